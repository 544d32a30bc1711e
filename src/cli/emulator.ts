/**
 * `oauth-client-credentials emulator`: runs the local authority until interrupted and prints its endpoints and
 * the test credentials of its registry.
 */
import { parseArgs } from 'node:util'
import { EXAMPLE, startLocalAuthority } from '../testing/index.js'
import { EXIT, type Io, styler } from './output.js'

export const EMULATOR_HELP = `Usage: oauth-client-credentials emulator [--config registry.json] [--port 0] [--https] [--issuer cloud|local]

Runs a local Entra ID authority on 127.0.0.1: v1 and v2 token endpoints, OpenID metadata, JWKS and
instance discovery, with the example registration (or the registry in --config). Prints its endpoints
and test credentials; stops on Ctrl-C.

Options:
  --config <file>   a registry JSON file (tenants, apis, clients, grants)
  --port <n>        port to listen on (default: a free port)
  --https           serve https with a generated self-signed certificate (its PEM is printed)
  --issuer <mode>   'cloud' (real Entra issuers in tokens, the default) or 'local' (this server's URL)
  -h, --help        this help`

/** Runs the emulator until `stop` resolves (SIGINT/SIGTERM by default). */
export async function runEmulator(
  argv: string[],
  io: Io,
  stop: Promise<unknown> = interrupted(),
): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      port: { type: 'string' },
      https: { type: 'boolean' },
      issuer: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    io.out(EMULATOR_HELP)
    return EXIT.ok
  }
  const port = values.port === undefined ? 0 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.err(`emulator: --port must be a port number (got ${values.port})`)
    return EXIT.usage
  }
  if (values.issuer !== undefined && values.issuer !== 'cloud' && values.issuer !== 'local') {
    io.err(`emulator: --issuer must be cloud or local (got ${values.issuer})`)
    return EXIT.usage
  }
  const authority = await startLocalAuthority({
    port,
    https: values.https ?? false,
    console: true,
    ...(values.config ? { registryFile: values.config } : {}),
    ...(values.issuer ? { issuer: values.issuer } : {}),
  })
  const s = styler(io.color)
  io.out(`${s.bold('Local authority')} listening at ${authority.url}`)
  io.out(`  console     ${authority.consoleUrl} ${s.dim('(requests live, registrations, faults, decode)')}`)
  for (const tenant of authority.tenants.list()) {
    io.out(`  tenant ${tenant.id} ${s.dim(tenant.domains.join(', '))}`)
    io.out(`    token (v2)  ${authority.tokenEndpoint(tenant.id, 'v2')}`)
    io.out(`    token (v1)  ${authority.tokenEndpoint(tenant.id, 'v1')}`)
    io.out(`    metadata    ${authority.metadataUrl(tenant.id, 'v2')}`)
    io.out(`    jwks        ${authority.jwksUrl(tenant.id, 'v2')}`)
  }
  io.out(s.bold('Clients (test-only secrets)'))
  for (const client of authority.clients.list()) {
    const secret = client.secrets[0]?.value
    io.out(`  ${client.appId}  ${client.displayName ?? ''}${secret ? `  secret ${secret}` : ''}`)
  }
  if (!values.config) io.out(s.dim(`  API: ${EXAMPLE.api.uri} (${EXAMPLE.api.appId}), roles Admin, ReadOnly`))
  if (authority.caPem)
    io.out(`${s.bold('CA certificate')} (trust it in your client):\n${authority.caPem.trim()}`)
  io.out(s.dim('Ctrl-C to stop.'))
  await stop
  await authority.close()
  return EXIT.ok
}

function interrupted(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve())
    process.once('SIGTERM', () => resolve())
  })
}
