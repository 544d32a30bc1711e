/**
 * The `oauth-client-credentials` command: `token`, `decode`, `emulator`, `demo`.
 */
import { closestName } from '../did-you-mean.js'
import { ClientCredentialsError, ConfigurationError, CredentialError } from '../errors.js'
import { VERSION } from '../version.js'
import { runDecode } from './decode.js'
import { runDemo } from './demo.js'
import { runEmulator } from './emulator.js'
import { UsageError } from './flags.js'
import { EXIT, type Io, processIo } from './output.js'
import { escapeControls, printableJson } from './printable.js'
import { runToken } from './token.js'

export const MAIN_HELP = `Usage: oauth-client-credentials <command> [options]

Commands:
  token      get an access token (client-credentials grant) and print it
  decode     show a JWT's header and claims, and what each claim means
  emulator   run a local Entra ID authority on 127.0.0.1 for tests and development
  demo       the guided demo on the embedded local authority (npm start)

Run 'oauth-client-credentials <command> --help' for a command's options.
  -v, --version   print the version`

const COMMANDS: Record<string, (argv: string[], io: Io) => Promise<number>> = {
  token: runToken,
  decode: runDecode,
  emulator: runEmulator,
  demo: runDemo,
}

/**
 * Runs the CLI with `argv` (without node and the script) and returns the exit code. Errors are printed
 * on `io.err`, as `command: …` lines or, when `--json` is given, as one JSON object.
 *
 * @example
 * ```ts
 * process.exitCode = await main(['decode', '-', '--json'])
 * ```
 */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const [command, ...rest] = argv
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    io.out(MAIN_HELP)
    return command === undefined ? EXIT.usage : EXIT.ok
  }
  if (command === '-v' || command === '--version') {
    io.out(VERSION)
    return EXIT.ok
  }
  const run = COMMANDS[command]
  const json = wantsJson(rest)
  if (!run) {
    const suggestion = closestName(command, Object.keys(COMMANDS))
    const hint = suggestion ? `did you mean '${suggestion}'?` : undefined
    const error = new UsageError(`unknown command '${command}'`, { hint, usage: MAIN_HELP })
    return report(error, 'oauth-client-credentials', io, json)
  }
  try {
    return await run(rest, io)
  } catch (error) {
    return report(error, command, io, json)
  }
}

/** Whether `--json` is among the flags (before a `--`): its errors are then JSON too. */
function wantsJson(args: string[]): boolean {
  const end = args.indexOf('--')
  return (end === -1 ? args : args.slice(0, end)).includes('--json')
}

/** An error as printed: a code, a message and a hint; the library's own errors add their fields. */
type Summary = { code: string; message: string; hint?: string | undefined } & Record<string, unknown>

interface Outcome {
  exitCode: number
  summary: Summary
  /** Printed in text output only: the code for the library's errors, the usage for usage errors. */
  showCode: boolean
  usage?: string | undefined
}

function report(error: unknown, command: string, io: Io, json: boolean): number {
  const outcome = outcomeOf(error)
  io.err(json ? printableJson(outcome.summary, 0) : text(command, outcome))
  return outcome.exitCode
}

/** Messages can quote the authority (error_description) or the command line: printed escaped. */
function text(command: string, { summary, showCode, usage }: Outcome): string {
  const code = showCode ? `${summary.code}: ` : ''
  const hint = summary.hint ? `\nhint: ${escapeControls(summary.hint)}` : ''
  return `${command}: ${code}${escapeControls(summary.message)}${hint}${usage ? `\n\n${usage}` : ''}`
}

function outcomeOf(error: unknown): Outcome {
  if (error instanceof ClientCredentialsError) {
    // the options or the credential are wrong (2), or the authority refused or was unreachable (1)
    const configuration = error instanceof ConfigurationError || error instanceof CredentialError
    // toJSON: code, message, hint and the error's own fields (status, AADSTS codes…), never a secret
    const summary = { ...error.toJSON(), code: error.code, message: error.message, hint: error.hint }
    return { exitCode: configuration ? EXIT.usage : EXIT.failed, summary, showCode: true }
  }
  if (error instanceof UsageError) {
    const summary = { code: error.code, message: error.message, hint: error.hint }
    return { exitCode: EXIT.usage, summary, showCode: false, usage: error.usage }
  }
  const message = error instanceof Error ? error.message : String(error)
  // the emulator and the demo read their flags with util.parseArgs, whose mistakes are usage errors too
  if (/^ERR_PARSE_ARGS_/.test(String((error as { code?: unknown } | undefined)?.code))) {
    return { exitCode: EXIT.usage, summary: { code: 'ERR_CLI_USAGE', message }, showCode: false }
  }
  return { exitCode: EXIT.failed, summary: { code: 'ERR_CLI_FAILED', message }, showCode: false }
}
