/**
 * Client options from the `AZURE_*` environment variables that `@azure/identity` users already set,
 * with the same precedence as its EnvironmentCredential then WorkloadIdentityCredential: a client
 * secret, then a certificate file, then a federated token file. Errors name variables, never values.
 */
import { managedIdentityFromEnvironment } from './env-managed-identity.js'
import { ConfigurationError } from './errors.js'
import { type CredentialOptions, parseTokenClientOptions, type TokenClientOptions } from './options.js'

/**
 * The variables read, as `@azure/identity` names them.
 *
 * @example
 * ```ts
 * const present = ENVIRONMENT_VARIABLES.filter((name) => name in process.env)
 * ```
 */
export const ENVIRONMENT_VARIABLES = [
  'AZURE_TENANT_ID',
  'AZURE_CLIENT_ID',
  'AZURE_CLIENT_SECRET',
  'AZURE_CLIENT_CERTIFICATE_PATH',
  'AZURE_CLIENT_CERTIFICATE_PASSWORD',
  'AZURE_CLIENT_SEND_CERTIFICATE_CHAIN',
  'AZURE_FEDERATED_TOKEN_FILE',
  'AZURE_AUTHORITY_HOST',
] as const

/**
 * A process environment (`process.env`, or a plain object in tests).
 *
 * @example
 * ```ts
 * optionsFromEnvironment({ AZURE_TENANT_ID: tenant, AZURE_CLIENT_ID: clientId, AZURE_CLIENT_SECRET: clientSecret } satisfies Environment)
 * ```
 */
export type Environment = Readonly<Record<string, string | undefined>>

const CREDENTIAL_VARIABLES =
  'one of AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH or AZURE_FEDERATED_TOKEN_FILE'

/** Which variable an option path came from, for errors. */
type Origins = Map<string, string>

/**
 * Options for a `TokenClient` from `env`, with `overrides` taking precedence (an override of `tenant`,
 * `clientId` or `credential` makes its variables unnecessary; `tokenEndpoint` makes the tenant and
 * authority host unnecessary). Throws one `ConfigurationError` listing every missing variable, or
 * naming the variable whose value is not valid.
 *
 * | set (with AZURE_TENANT_ID and AZURE_CLIENT_ID) | credential |
 * |---|---|
 * | AZURE_CLIENT_SECRET | `{ clientSecret }` (wins over the others, as in `@azure/identity`) |
 * | AZURE_CLIENT_CERTIFICATE_PATH (+ _PASSWORD, AZURE_CLIENT_SEND_CERTIFICATE_CHAIN "true"/"1") | `{ certificatePath, passphrase, sendCertificateChain }` |
 * | AZURE_FEDERATED_TOKEN_FILE | `{ federatedTokenFile }` |
 *
 * `AZURE_AUTHORITY_HOST` becomes `authorityHost` (unless `cloud` or `authorityHost` is overridden).
 *
 * With none of the three credential variables, a managed identity is the identity when a source's
 * variables are set (`IDENTITY_ENDPOINT`, `MSI_ENDPOINT`, `IMDS_ENDPOINT`, `AZURE_POD_IDENTITY_AUTHORITY_HOST`,
 * …), or when `AZURE_CLIENT_ID` is set without `AZURE_TENANT_ID` (user-assigned, over IMDS):
 * `{ managedIdentity: {} | { clientId: AZURE_CLIENT_ID }, environment: env }`. So does a `managedIdentity`
 * override. The client detects the source from `env`; `describe()` names it.
 *
 * @example
 * ```ts
 * const client = new TokenClient(optionsFromEnvironment(process.env, { logger: console }))
 * ```
 */
export function optionsFromEnvironment(
  env: Environment = process.env,
  overrides: Partial<TokenClientOptions> = {},
): TokenClientOptions {
  const managed = managedIdentityOptions(env, overrides)
  if (managed !== undefined) return managed
  const origins: Origins = new Map()
  const missing: string[] = []
  const pick = (path: string, name: string, value: string | undefined) => {
    if (value === undefined) missing.push(name)
    else origins.set(path, name)
    return value
  }
  const generic = overrides.tokenEndpoint !== undefined
  const tenant =
    overrides.tenant ??
    (generic ? undefined : pick('tenant', 'AZURE_TENANT_ID', trimmed(env.AZURE_TENANT_ID)))
  const clientId = overrides.clientId ?? pick('clientId', 'AZURE_CLIENT_ID', trimmed(env.AZURE_CLIENT_ID))
  const credential = overrides.credential ?? credentialFromEnvironment(env, origins)
  if (credential === undefined) missing.push(CREDENTIAL_VARIABLES)
  if (missing.length > 0 || clientId === undefined || credential === undefined) {
    throw new ConfigurationError('environment', `missing environment variable(s): ${missing.join('; ')}.`, {
      hint: 'Set AZURE_TENANT_ID, AZURE_CLIENT_ID and one credential variable (as for @azure/identity), or pass them as overrides.',
    })
  }
  const authorityHost =
    overrides.authorityHost ??
    (generic || overrides.cloud !== undefined ? undefined : authorityHostOf(env, origins))
  const options: TokenClientOptions = {
    ...overrides,
    ...(authorityHost === undefined ? {} : { authorityHost }),
    ...(tenant === undefined ? {} : { tenant }),
    clientId,
    credential,
  }
  validate(options, origins)
  return options
}

/**
 * The credential the environment describes, in `@azure/identity`'s order, or undefined.
 *
 * @example
 * ```ts
 * credentialFromEnvironment({ AZURE_FEDERATED_TOKEN_FILE: '/var/run/token' }) // { federatedTokenFile: '/var/run/token' }
 * ```
 */
export function credentialFromEnvironment(
  env: Environment,
  origins: Origins = new Map(),
): CredentialOptions | undefined {
  const secret = nonEmpty(env.AZURE_CLIENT_SECRET)
  if (secret !== undefined) {
    origins.set('credential.clientSecret', 'AZURE_CLIENT_SECRET')
    return { clientSecret: secret }
  }
  const certificatePath = trimmed(env.AZURE_CLIENT_CERTIFICATE_PATH)
  if (certificatePath !== undefined) {
    origins.set('credential.certificatePath', 'AZURE_CLIENT_CERTIFICATE_PATH')
    origins.set('credential.passphrase', 'AZURE_CLIENT_CERTIFICATE_PASSWORD')
    const passphrase = nonEmpty(env.AZURE_CLIENT_CERTIFICATE_PASSWORD)
    const chain = (env.AZURE_CLIENT_SEND_CERTIFICATE_CHAIN ?? '').trim().toLowerCase()
    return {
      certificatePath,
      ...(passphrase === undefined ? {} : { passphrase }),
      ...(chain === 'true' || chain === '1' ? { sendCertificateChain: true } : {}),
    }
  }
  const federatedTokenFile = trimmed(env.AZURE_FEDERATED_TOKEN_FILE)
  if (federatedTokenFile !== undefined) {
    origins.set('credential.federatedTokenFile', 'AZURE_FEDERATED_TOKEN_FILE')
    return { federatedTokenFile }
  }
  return undefined
}

/** The options of a managed identity as the identity, when the overrides or the environment ask for one. */
function managedIdentityOptions(
  env: Environment,
  overrides: Partial<TokenClientOptions>,
): TokenClientOptions | undefined {
  const appOverride = ['tenant', 'clientId', 'credential', 'tokenEndpoint'] as const
  if (overrides.managedIdentity === undefined && appOverride.some((key) => overrides[key] !== undefined))
    return undefined
  const fromEnv = overrides.managedIdentity === undefined
  const managedIdentity = overrides.managedIdentity ?? managedIdentityFromEnvironment(env)
  if (managedIdentity === undefined) return undefined
  const options: TokenClientOptions = { environment: env, ...overrides, managedIdentity }
  validate(options, new Map(fromEnv ? [['managedIdentity', 'AZURE_CLIENT_ID']] : []))
  return options
}

/** `AZURE_AUTHORITY_HOST`, with `https://` added when it names a bare host (as AKS never does). */
function authorityHostOf(env: Environment, origins: Origins): string | undefined {
  const value = trimmed(env.AZURE_AUTHORITY_HOST)
  if (value === undefined) return undefined
  origins.set('authorityHost', 'AZURE_AUTHORITY_HOST')
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`
}

/** Validates as the client will, but names the variable a bad value came from. */
function validate(options: TokenClientOptions, origins: Origins): void {
  try {
    parseTokenClientOptions(options)
  } catch (error) {
    const variable = error instanceof ConfigurationError ? variableFor(error.path, origins) : undefined
    if (error instanceof ConfigurationError && variable !== undefined) {
      const message = error.message.startsWith(`${error.path}: `)
        ? error.message.slice(error.path.length + 2)
        : error.message
      throw new ConfigurationError(variable, `${message} (option ${error.path})`, {
        hint: `Check the environment variable ${variable}.`,
      })
    }
    throw error
  }
}

function variableFor(path: string, origins: Origins): string | undefined {
  for (let at = path; at !== ''; at = at.slice(0, Math.max(0, at.lastIndexOf('.')))) {
    const variable = origins.get(at)
    if (variable !== undefined) return variable
  }
  return undefined
}

function trimmed(value: string | undefined): string | undefined {
  const text = value?.trim()
  return text === undefined || text === '' ? undefined : text
}

/** Secrets are kept exactly as set; only an empty value counts as unset (as in `@azure/identity`). */
function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
}
