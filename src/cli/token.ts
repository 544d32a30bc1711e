/**
 * `oauth-client-credentials token`: gets a token for real use, with credentials from flags or from the
 * AZURE_* environment variables that @azure/identity users already set.
 */
import { parseArgs } from 'node:util'
import { TokenClient } from '../client.js'
import { optionsFromEnvironment } from '../env.js'
import type { CredentialOptions, TokenClientOptions } from '../options.js'
import { EXIT, type Io } from './output.js'
import { escapeControls, printableJson } from './printable.js'

export const TOKEN_HELP = `Usage: oauth-client-credentials token --resource <uri|guid> [options]

Gets an access token with the client-credentials grant and prints it (or, with --json, the token, its
expiry and its decoded claims). Credentials come from the flags, or else from AZURE_TENANT_ID,
AZURE_CLIENT_ID, AZURE_CLIENT_SECRET | AZURE_CLIENT_CERTIFICATE_PATH (+ _PASSWORD) |
AZURE_FEDERATED_TOKEN_FILE and AZURE_AUTHORITY_HOST. Prefer the environment for secrets: flags are
visible to other users of the machine.

Options:
  --resource <uri|guid>      the API: App ID URI or application id (/.default is added)
  --tenant <id|domain>       the tenant (default: AZURE_TENANT_ID)
  --client-id <guid>         the application (client) id (default: AZURE_CLIENT_ID)
  --certificate <path>       a PEM or PFX file holding the key and certificate
  --certificate-password <p> its passphrase (default: AZURE_CLIENT_CERTIFICATE_PASSWORD)
  --authority-host <url>     e.g. https://login.microsoftonline.us, or a local authority
  --cloud <name>             AzurePublic | AzureUSGovernment | AzureChina
  --endpoint-version <v>     v2 (default) or v1
  --json                     print JSON: accessToken, expiresAt, refreshAt, scope, claims
  -h, --help                 this help

Exit codes: 0 a token was printed; 1 the authority refused or could not be reached; 2 bad usage or
configuration.`

/** Runs `token`. */
export async function runToken(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      resource: { type: 'string' },
      tenant: { type: 'string' },
      'client-id': { type: 'string' },
      certificate: { type: 'string' },
      'certificate-password': { type: 'string' },
      'authority-host': { type: 'string' },
      cloud: { type: 'string' },
      'endpoint-version': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    io.out(TOKEN_HELP)
    return EXIT.ok
  }
  if (!values.resource) {
    io.err('token: --resource is required (the API App ID URI or application id). See --help.')
    return EXIT.usage
  }
  const client = new TokenClient(clientOptions(values, io.env))
  const token = await client.getToken(values.resource)
  if (values.json) {
    const { accessToken, expiresAt, refreshAt, scope, tenant, claims } = token
    io.out(
      printableJson({
        accessToken,
        expiresAt: new Date(expiresAt).toISOString(),
        refreshAt: new Date(refreshAt).toISOString(),
        scope,
        tenant,
        claims,
      }),
    )
  } else {
    io.out(escapeControls(token.accessToken))
  }
  return EXIT.ok
}

type TokenFlags = {
  tenant?: string | undefined
  'client-id'?: string | undefined
  certificate?: string | undefined
  'certificate-password'?: string | undefined
  'authority-host'?: string | undefined
  cloud?: string | undefined
  'endpoint-version'?: string | undefined
}

/** Flags first, the AZURE_* environment for the rest. */
function clientOptions(flags: TokenFlags, env: NodeJS.ProcessEnv): TokenClientOptions {
  const overrides: Partial<TokenClientOptions> = {}
  if (flags.tenant) overrides.tenant = flags.tenant
  if (flags['client-id']) overrides.clientId = flags['client-id']
  if (flags['authority-host']) overrides.authorityHost = flags['authority-host']
  // the option schema refuses values outside its choices, naming them
  if (flags.cloud) overrides.cloud = flags.cloud as NonNullable<TokenClientOptions['cloud']>
  if (flags['endpoint-version']) {
    overrides.endpointVersion = flags['endpoint-version'] as NonNullable<
      TokenClientOptions['endpointVersion']
    >
  }
  if (flags.certificate) {
    const passphrase = flags['certificate-password'] ?? env.AZURE_CLIENT_CERTIFICATE_PASSWORD
    const credential: CredentialOptions = passphrase
      ? { certificatePath: flags.certificate, passphrase }
      : { certificatePath: flags.certificate }
    overrides.credential = credential
  }
  return optionsFromEnvironment(env, overrides)
}
