/**
 * `oauth-client-credentials token`: gets a token for real use, with credentials from flags or from the
 * AZURE_* environment variables that @azure/identity users already set.
 */
import { TokenClient } from '../client.js'
import { optionsFromEnvironment } from '../env.js'
import type { CredentialOptions, TokenClientOptions } from '../options.js'
import type { AccessToken } from '../token.js'
import { parseFlags, type RefusedFlags, UsageError } from './flags.js'
import { EXIT, type Io } from './output.js'
import { escapeControls, printableJson } from './printable.js'

export const TOKEN_HELP = `Usage: oauth-client-credentials token (--resource <uri|guid> | --scope <uri/.default>) [options]

Gets an access token with the client-credentials grant and prints it (or, with --json, the token, its
type, expiry and decoded claims). Credentials come from the flags, or else from AZURE_TENANT_ID,
AZURE_CLIENT_ID, AZURE_CLIENT_SECRET | AZURE_CLIENT_CERTIFICATE_PATH (+ _PASSWORD) |
AZURE_FEDERATED_TOKEN_FILE and AZURE_AUTHORITY_HOST. A client secret is taken from AZURE_CLIENT_SECRET
only: on the command line it would show in process lists and shell history. With none of those but a
managed-identity source in the environment (IDENTITY_ENDPOINT, MSI_ENDPOINT, …), or AZURE_CLIENT_ID
alone, the managed identity's token is printed; --managed-identity asks for it whatever else is set.

Options:
  --resource <uri|guid>      the API: App ID URI or application id (/.default is added)
  --scope <uri/.default>     or the API's /.default scope, as az account get-access-token takes it
  --tenant <id|domain>       the tenant (default: AZURE_TENANT_ID)
  --client-id <guid>         the application (client) id (default: AZURE_CLIENT_ID); with
                             --managed-identity, the user-assigned managed identity's client id
  --managed-identity         the token of this host's managed identity (system-assigned unless
                             --client-id), from IMDS, App Service, Arc, … as the environment names
  --certificate <path>       a PEM or PFX file holding the key and certificate
  --certificate-password <p> its passphrase (default: AZURE_CLIENT_CERTIFICATE_PASSWORD, preferred)
  --authority-host <url>     e.g. https://login.microsoftonline.us, or a local authority
  --cloud <name>             AzurePublic | AzureUSGovernment | AzureChina
  --endpoint-version <v>     v2 (default) or v1
  --json                     print JSON: accessToken, tokenType, expiresAt, refreshAt, scope, tenant,
                             claims (errors too: one JSON object on standard error)
  -h, --help                 this help

Exit codes: 0 a token was printed; 1 the authority refused or could not be reached; 2 bad usage or
configuration.`

const DEFAULT_SUFFIX = '/.default'

/** Flags refused whatever their value: a secret typed on a command line is visible to the whole machine. */
const REFUSED: RefusedFlags = {
  'client-secret': {
    message:
      '--client-secret is not accepted: a secret on the command line shows in process lists and shell history.',
    hint: 'set AZURE_CLIENT_SECRET in the environment instead (or use a certificate: --certificate).',
  },
}

/**
 * Runs `token`: prints an access token (or, with `--json`, its details) and returns the exit code.
 *
 * @example
 * ```ts
 * const code = await runToken(['--scope', 'api://myapis/mywebapi/.default', '--json'], processIo())
 * ```
 */
export async function runToken(argv: string[], io: Io): Promise<number> {
  const { values } = parseFlags(
    'token',
    {
      args: argv,
      options: {
        resource: { type: 'string' },
        scope: { type: 'string' },
        tenant: { type: 'string' },
        'client-id': { type: 'string' },
        certificate: { type: 'string' },
        'certificate-password': { type: 'string' },
        'authority-host': { type: 'string' },
        cloud: { type: 'string' },
        'endpoint-version': { type: 'string' },
        'managed-identity': { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    },
    REFUSED,
  )
  if (values.help) {
    io.out(TOKEN_HELP)
    return EXIT.ok
  }
  const resource = resourceOf(values)
  const client = new TokenClient(clientOptions(values, io.env))
  const token = await client.getToken(resource)
  io.out(values.json ? tokenJson(token) : escapeControls(token.accessToken))
  return EXIT.ok
}

/** What to ask for: `--resource`, or `--scope` (which must be a `/.default` scope). */
function resourceOf(flags: { resource?: string | undefined; scope?: string | undefined }): string {
  const { resource, scope } = flags
  if (resource !== undefined && scope !== undefined) {
    throw new UsageError('--resource and --scope name the same thing: give one.')
  }
  if (scope !== undefined && !scope.endsWith(DEFAULT_SUFFIX)) {
    throw new UsageError(
      `--scope '${scope}' is not a /.default scope: client credentials take only {resource}/.default.`,
      { hint: `use --scope ${scope}${DEFAULT_SUFFIX}, or --resource ${scope}` },
    )
  }
  const chosen = resource ?? scope
  if (!chosen) {
    throw new UsageError("--resource or --scope is required (the API's App ID URI or application id).", {
      hint: 'e.g. --resource api://myapis/mywebapi, or --scope api://myapis/mywebapi/.default',
    })
  }
  return chosen
}

function tokenJson(token: AccessToken): string {
  const { accessToken, tokenType, expiresAt, refreshAt, scope, tenant, claims } = token
  return printableJson({
    accessToken,
    tokenType,
    expiresAt: new Date(expiresAt).toISOString(),
    refreshAt: new Date(refreshAt).toISOString(),
    scope,
    tenant,
    claims,
  })
}

type TokenFlags = {
  'managed-identity'?: boolean | undefined
  tenant?: string | undefined
  'client-id'?: string | undefined
  certificate?: string | undefined
  'certificate-password'?: string | undefined
  'authority-host'?: string | undefined
  cloud?: string | undefined
  'endpoint-version'?: string | undefined
}

/** The flags that name an app registration or its authority: refused beside `--managed-identity`. */
const APP_FLAGS = [
  'tenant',
  'certificate',
  'certificate-password',
  'authority-host',
  'cloud',
  'endpoint-version',
] as const

/** `--managed-identity`: the host's identity (`--client-id`: a user-assigned one), detected from `env`. */
function managedIdentityOptions(flags: TokenFlags, env: NodeJS.ProcessEnv): TokenClientOptions {
  for (const flag of APP_FLAGS) {
    if (flags[flag] !== undefined) {
      throw new UsageError(`--${flag} does not apply to --managed-identity: the identity is the host's.`, {
        hint: 'remove it, or drop --managed-identity to use an app registration',
      })
    }
  }
  const clientId = flags['client-id']
  return { managedIdentity: clientId ? { clientId } : {}, environment: env }
}

/** Flags first, the AZURE_* environment for the rest. */
function clientOptions(flags: TokenFlags, env: NodeJS.ProcessEnv): TokenClientOptions {
  if (flags['managed-identity']) return managedIdentityOptions(flags, env)
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
