/**
 * `oauth-client-credentials emulator`: runs the local authority until interrupted and prints its endpoints,
 * issuers, a ready-to-paste `export AZURE_…` line per client and the verifier settings
 * (`emulator-banner.ts`); `--print-registry` prints the example registry as a starting point.
 */
import { exampleRegistry, type RegistryInput, startLocalAuthority } from '../testing/index.js'
import { REGISTRY_SCHEMA_REFERENCE } from '../testing/registry/json-schema.js'
import { readRegistryFile } from '../testing/registry/load.js'
import { emulatorBanner } from './emulator-banner.js'
import { managedIdentityLines } from './emulator-managed-identity.js'
import { parseFlags } from './flags.js'
import { EXIT, type Io, styler } from './output.js'

export const EMULATOR_HELP = `Usage: oauth-client-credentials emulator [--config registry.json] [--port 0] [--https] [--issuer local|cloud] [--managed-identity]
       oauth-client-credentials emulator --print-registry > registry.json

Runs a local Entra ID authority on 127.0.0.1: v1 and v2 token endpoints, OpenID metadata, JWKS and
instance discovery, with the example registration (or the registry in --config). Prints its endpoints,
an 'export AZURE_…' line per client for TokenClient.fromEnvironment(), and the verifier settings that
accept its tokens; stops on Ctrl-C.

Options:
  --config <file>    a registry JSON file (tenants, apis, clients, grants; JSON Schema in the package:
                     schema/registry.schema.json)
  --print-registry   print the example registry as JSON, a starting point for --config, and exit
  --port <n>         port to listen on (default: a free port)
  --https            serve https with a generated self-signed certificate (its PEM is printed)
  --issuer <mode>    'local' (this server's URL in tokens, the default: a verifier with
                     authorityHost set to it accepts them) or 'cloud' (the real Entra issuers)
  --managed-identity print the managed identities and, per source (IMDS, App Service, Azure Arc), the
                     'export' line that points a process at the emulated endpoint
  -h, --help         this help`

/** Runs the emulator until `stop` resolves (SIGINT/SIGTERM by default). */
export async function runEmulator(
  argv: string[],
  io: Io,
  stop: Promise<unknown> = interrupted(),
): Promise<number> {
  const settings = parseEmulatorArgs(argv, io)
  if ('exit' in settings) return settings.exit
  const { port, https, issuer, config, managedIdentity } = settings
  const registry = (config ? await readRegistryFile(config) : exampleRegistry()) as RegistryInput
  const authority = await startLocalAuthority({ port, https, registry, issuer, console: true })
  const style = styler(io.color)
  for (const line of emulatorBanner({ authority, registry, issuer, style })) io.out(line)
  if (managedIdentity) for (const line of managedIdentityLines(authority, style)) io.out(line)
  if (authority.caPem) {
    io.out(
      `${style.bold('CA certificate')} (trust it: save it to a file, start node with NODE_EXTRA_CA_CERTS=<that file>):`,
    )
    io.out(authority.caPem.trim())
  }
  io.out(style.dim('Ctrl-C to stop.'))
  await stop
  await authority.close()
  return EXIT.ok
}

type EmulatorSettings =
  | { exit: number }
  | {
      port: number
      https: boolean
      issuer: 'cloud' | 'local'
      config: string | undefined
      managedIdentity: boolean
    }

/** The command line's settings, or the exit code once help, the registry or a usage error is printed. */
function parseEmulatorArgs(argv: string[], io: Io): EmulatorSettings {
  const { values } = parseFlags('emulator', {
    args: argv,
    options: {
      config: { type: 'string' },
      'print-registry': { type: 'boolean' },
      port: { type: 'string' },
      https: { type: 'boolean' },
      issuer: { type: 'string' },
      'managed-identity': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    io.out(EMULATOR_HELP)
    return { exit: EXIT.ok }
  }
  if (values['print-registry']) {
    io.out(JSON.stringify({ $schema: REGISTRY_SCHEMA_REFERENCE, ...exampleRegistry() }, null, 2))
    return { exit: EXIT.ok }
  }
  const port = values.port === undefined ? 0 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.err(`emulator: --port must be a port number (got ${values.port})`)
    return { exit: EXIT.usage }
  }
  const issuer = values.issuer ?? 'local'
  if (issuer !== 'cloud' && issuer !== 'local') {
    io.err(`emulator: --issuer must be cloud or local (got ${issuer})`)
    return { exit: EXIT.usage }
  }
  return {
    port,
    https: values.https ?? false,
    issuer,
    config: values.config,
    managedIdentity: values['managed-identity'] ?? false,
  }
}

function interrupted(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve())
    process.once('SIGTERM', () => resolve())
  })
}
