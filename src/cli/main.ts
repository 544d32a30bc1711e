/**
 * The `oauth-client-credentials` command: `token`, `decode`, `emulator`, `demo`.
 */
import { ClientCredentialsError, ConfigurationError, CredentialError } from '../errors.js'
import { VERSION } from '../version.js'
import { runDecode } from './decode.js'
import { runDemo } from './demo.js'
import { runEmulator } from './emulator.js'
import { EXIT, type Io, processIo } from './output.js'
import { escapeControls } from './printable.js'
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

/** Runs the CLI with `argv` (without node and the script) and returns the exit code. */
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
  if (!run) {
    io.err(`oauth-client-credentials: unknown command '${command}'.\n\n${MAIN_HELP}`)
    return EXIT.usage
  }
  try {
    return await run(rest, io)
  } catch (error) {
    return report(error, command, io)
  }
}

function report(error: unknown, command: string, io: Io): number {
  if (error instanceof ClientCredentialsError) {
    // messages can quote the authority (error_description): printed escaped, like everything from outside
    const hint = error.hint ? `\nhint: ${escapeControls(error.hint)}` : ''
    io.err(`${command}: ${error.code}: ${escapeControls(error.message)}${hint}`)
    // the options or the credential are wrong (2), or the authority refused or was unreachable (1)
    const configuration = error instanceof ConfigurationError || error instanceof CredentialError
    return configuration ? EXIT.usage : EXIT.failed
  }
  if ((error as { code?: unknown })?.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || error instanceof TypeError) {
    io.err(`${command}: ${(error as Error).message}`)
    return EXIT.usage
  }
  io.err(`${command}: ${error instanceof Error ? error.message : String(error)}`)
  return EXIT.failed
}
