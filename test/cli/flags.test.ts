import { describe, expect, it } from 'vitest'
import { parseFlags, UsageError } from '../../src/cli/flags.js'

const options = {
  resource: { type: 'string' },
  'client-id': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const
const REFUSED = {
  'client-secret': { message: '--client-secret is not accepted', hint: 'use the environment' },
}

const parse = (args: string[]) => parseFlags('token', { args, options, allowPositionals: true }, REFUSED)
const failure = (args: string[]) => {
  try {
    parse(args)
  } catch (error) {
    return error
  }
  throw new Error('parseFlags accepted the flags')
}

describe('parseFlags', () => {
  it('returns what parseArgs returns for known flags, short ones included', () => {
    const { values, positionals } = parse([
      '--resource',
      'api://x',
      '--client-id=abc',
      '--json',
      '-h',
      'rest',
    ])
    expect(values).toEqual({ resource: 'api://x', 'client-id': 'abc', json: true, help: true })
    expect(positionals).toEqual(['rest'])
  })

  it.each([
    [['--resorce', 'api://x'], "unknown option '--resorce'", "did you mean '--resource'?"],
    [['--clientid=abc'], "unknown option '--clientid'", "did you mean '--client-id'?"],
    [['--JSON'], "unknown option '--JSON'", "did you mean '--json'?"],
    [
      ['--verbose'],
      "unknown option '--verbose'",
      "'oauth-client-credentials token --help' lists the options",
    ],
    [['-x'], "unknown option '-x'", "'oauth-client-credentials token --help' lists the options"],
  ])('refuses an unknown flag, with the closest known one when there is one: %j', (args, message, hint) => {
    const error = failure(args)
    expect(error).toBeInstanceOf(UsageError)
    expect(error).toMatchObject({ code: 'ERR_CLI_USAGE', message, hint })
  })

  it('refuses a refused flag with its reason, whatever follows it, never quoting its value', () => {
    for (const args of [
      ['--client-secret', 'value-typed'],
      ['--client-secret=value-typed'],
      ['--client-secret'],
    ]) {
      const error = failure(args) as UsageError
      expect(error).toMatchObject({ message: '--client-secret is not accepted', hint: 'use the environment' })
      expect(JSON.stringify({ message: error.message, hint: error.hint })).not.toContain('value-typed')
    }
  })

  it('does not look at what follows --', () => {
    expect(parse(['--', '--client-secret', '--nope']).positionals).toEqual(['--client-secret', '--nope'])
  })

  it("leaves parseArgs' own errors for other mistakes", () => {
    expect(failure(['--resource'])).toMatchObject({ code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' })
    expect(() => parseFlags('decode', { args: ['stray'], options })).toThrow(
      expect.objectContaining({ code: 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' }),
    )
  })
})

describe('UsageError', () => {
  it('carries the code, the hint and the usage to print', () => {
    const error = new UsageError('a token is needed', { hint: 'give it', usage: 'Usage: …' })
    expect(error).toMatchObject({
      name: 'UsageError',
      code: 'ERR_CLI_USAGE',
      hint: 'give it',
      usage: 'Usage: …',
    })
    expect(new UsageError('bare')).toMatchObject({ hint: undefined, usage: undefined })
  })
})
