/**
 * The command line's flags: `util.parseArgs`, plus what it lacks — "did you mean …?" for a misspelt
 * flag, flags refused with a reason (a secret typed on the command line), and one error for bad usage.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util'
import { closestName } from '../did-you-mean.js'

/** Details of a {@link UsageError}. */
export interface UsageDetails {
  /** What to do about it. */
  hint?: string | undefined
  /** The command's help, printed after the message (not in `--json` output). */
  usage?: string | undefined
}

/**
 * The command line was used wrongly: an unknown or refused flag, a missing argument. The command exits 2
 * and prints `command: message`, the hint and, when given, the usage. Messages never quote a flag's value.
 *
 * @example
 * ```ts
 * throw new UsageError('--resource or --scope is required', { hint: 'e.g. --resource api://myapis/mywebapi' })
 * ```
 */
export class UsageError extends Error {
  /** The code printed by `--json`. */
  readonly code = 'ERR_CLI_USAGE'
  /** What to do about it. */
  readonly hint: string | undefined
  /** The command's help, printed after the message. */
  readonly usage: string | undefined

  constructor(message: string, details: UsageDetails = {}) {
    super(message)
    this.name = 'UsageError'
    this.hint = details.hint
    this.usage = details.usage
  }
}

/** A flag the command refuses, and why. */
export type RefusedFlags = Readonly<Record<string, { message: string; hint: string }>>

/**
 * `parseArgs(config)` for `command`, after checking every flag given: a refused flag throws its
 * {@link UsageError} (whatever its value, never quoted), an unknown one a {@link UsageError} suggesting
 * the closest known flag. Other mistakes (a missing value, a stray argument) throw parseArgs' own errors.
 *
 * @example
 * ```ts
 * const { values } = parseFlags('decode', { args: ['--jsn'], options: { json: { type: 'boolean' } } })
 * // throws UsageError: unknown option '--jsn' (hint: did you mean '--json'?)
 * ```
 */
export function parseFlags<T extends ParseArgsConfig>(
  command: string,
  config: T,
  refused: RefusedFlags = {},
): ReturnType<typeof parseArgs<T>> {
  const known = Object.keys(config.options ?? {})
  // lenient first: every flag as a token (an unknown one does not stop the parse), values never read
  const { tokens = [] } = parseArgs({ ...config, strict: false, allowPositionals: true, tokens: true })
  for (const token of tokens) {
    if (token.kind !== 'option') continue
    const refusal = refused[token.name]
    if (refusal) throw new UsageError(refusal.message, { hint: refusal.hint })
    if (!known.includes(token.name)) throw unknownFlag(command, token.rawName, token.name, known)
  }
  return parseArgs(config)
}

function unknownFlag(command: string, rawName: string, name: string, known: string[]): UsageError {
  const suggestion = closestName(name, known)
  const hint = suggestion
    ? `did you mean '--${suggestion}'?`
    : `'oauth-client-credentials ${command} --help' lists the options`
  return new UsageError(`unknown option '${rawName}'`, { hint })
}
