/**
 * Every option of the library, as zod schemas: the one source of truth for validation and types.
 * A failure becomes one {@link ConfigurationError} naming the option's path and the fix; no value of
 * an option (a secret above all) is ever echoed.
 */
import { KeyObject, X509Certificate } from 'node:crypto'
import type { Dispatcher } from 'undici'
import { z } from 'zod'
import { insecureUrlProblem, isGuid, tenantProblem } from './authority.js'
import type { Clock } from './clock.js'
import type { ClientAssertionCallback } from './credentials/assertion.js'
import type { CertificateInput, PrivateKeyInput } from './credentials/key-material.js'
import { ConfigurationError } from './errors.js'

/**
 * Where the library reports what callers do not see (a failed background refresh, a retry).
 * `console` fits; so do pino and winston loggers.
 *
 * @example
 * ```ts
 * const logger: Logger = { warn: (message, details) => pino.warn(details, message) }
 * ```
 */
export interface Logger {
  debug?(message: string, details?: Record<string, unknown>): void
  info?(message: string, details?: Record<string, unknown>): void
  warn?(message: string, details?: Record<string, unknown>): void
  error?(message: string, details?: Record<string, unknown>): void
}

const LOGGER_METHODS = ['debug', 'info', 'warn', 'error'] as const

const loggerSchema = z.custom<Logger>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    LOGGER_METHODS.some((m) => typeof (value as Record<string, unknown>)[m] === 'function'),
  'must be an object with at least one of debug, info, warn, error as functions (console works)',
)
const clockSchema = z.custom<Clock>(
  (value) => typeof (value as Partial<Clock> | null)?.now === 'function',
  'must be an object with a now() method returning epoch milliseconds',
)
const dispatcherSchema = z.custom<Dispatcher>(
  (value) => typeof (value as Partial<Dispatcher> | null)?.dispatch === 'function',
  'must be an undici Dispatcher (an Agent, Pool, ProxyAgent or MockAgent)',
)

const secretCredentialSchema = z.strictObject({
  /** The client secret's Value (not its Secret ID). */
  clientSecret: z.string().min(1, 'is empty: give the secret Value from the app registration'),
})

const privateKeySchema = z.custom<PrivateKeyInput>(
  (value) =>
    (typeof value === 'string' && value.length > 0) ||
    value instanceof Uint8Array ||
    value instanceof KeyObject,
  'must be PEM text, a Buffer (PEM, DER or PKCS#12) or a private KeyObject',
)

const certificateItem = (value: unknown) =>
  (typeof value === 'string' && value.length > 0) ||
  value instanceof Uint8Array ||
  value instanceof X509Certificate

const certificateInputSchema = z.custom<CertificateInput>(
  (value) =>
    certificateItem(value) || (Array.isArray(value) && value.length > 0 && value.every(certificateItem)),
  'must be PEM text (one certificate or a leaf-first chain), DER bytes, an X509Certificate, or a list of them',
)

/** Options shared by the credentials that sign an assertion with a certificate. */
const signingFields = {
  /** The passphrase of an encrypted private key or PKCS#12 file. */
  passphrase: z.string().optional(),
  /** Send the certificate chain as `x5c` (subject name / issuer authentication). @defaultValue false */
  sendCertificateChain: z.boolean().optional(),
  /** The assertion's signing algorithm. @defaultValue 'PS256' */
  algorithm: z.enum(['PS256', 'RS256']).optional(),
  /** The assertion's `aud` (generic servers that want their issuer). @defaultValue the token endpoint called */
  audience: z.string().min(1, 'is empty: omit it to use the token endpoint').optional(),
  /** A `kid` header, for servers that find the key by id. @defaultValue none */
  keyId: z.string().min(1, 'is empty: omit it or give the key id registered with the server').optional(),
}

const certificateCredentialSchema = z.strictObject({
  /** A private key and its certificate, as values. */
  certificate: z.strictObject({
    /** The RSA private key (≥ 2048 bits); may also hold the certificate (combined PEM, or PKCS#12). */
    privateKey: privateKeySchema,
    /** The certificate (and chain, leaf first) when privateKey does not hold it. */
    certificate: certificateInputSchema.optional(),
    ...signingFields,
  }),
})

const certificateFileCredentialSchema = z.strictObject({
  /** A file holding key and certificate: PEM, or PKCS#12 (.pfx); reloaded when it changes. */
  certificatePath: z.string().min(1, 'is empty: give the path of the PEM or PFX file'),
  ...signingFields,
})

const clientAssertionCredentialSchema = z.strictObject({
  /** A ready client assertion (JWT), or a callback producing one per token request. */
  clientAssertion: z.custom<string | ClientAssertionCallback>(
    (value) => (typeof value === 'string' && value.trim().length > 0) || typeof value === 'function',
    'must be a non-empty JWT string or a function returning one',
  ),
})

const federatedTokenFileCredentialSchema = z.strictObject({
  /** A federated token file (workload identity), re-read for every token request. */
  federatedTokenFile: z.string().min(1, 'is empty: give the path of the federated token file'),
})

/** The keys that name a credential kind: two or more are refused with one clear message (none: the union says which is missing). */
const CREDENTIAL_KINDS = [
  'clientSecret',
  'certificate',
  'certificatePath',
  'clientAssertion',
  'federatedTokenFile',
]

const credentialKinds = z.union([
  secretCredentialSchema,
  certificateCredentialSchema,
  certificateFileCredentialSchema,
  clientAssertionCredentialSchema,
  federatedTokenFileCredentialSchema,
])

/**
 * The client's credential: exactly one kind.
 *
 * @example
 * ```ts
 * const secret: CredentialOptions = { clientSecret: process.env.CLIENT_SECRET! }
 * const certificate: CredentialOptions = { certificate: { privateKey: keyPem, certificate: certPem } }
 * const file: CredentialOptions = { certificatePath: '/etc/app/client.pem' }
 * const assertion: CredentialOptions = { clientAssertion: async ({ signal }) => getJwt(signal) }
 * const workload: CredentialOptions = { federatedTokenFile: process.env.AZURE_FEDERATED_TOKEN_FILE! }
 * ```
 */
export const credentialSchema = z
  .custom<z.input<typeof credentialKinds>>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      CREDENTIAL_KINDS.filter((kind) => kind in value).length <= 1,
    'holds more than one credential kind: give exactly one of clientSecret, certificate, certificatePath, clientAssertion or federatedTokenFile',
  )
  .pipe(credentialKinds)

/** The client's credential (see {@link credentialSchema}). */
export type CredentialOptions = z.input<typeof credentialSchema>

const CLOUDS = ['AzurePublic', 'AzureUSGovernment', 'AzureChina'] as const

const urlString = z.string().check((ctx) => {
  let url: URL
  try {
    url = new URL(ctx.value)
  } catch {
    ctx.issues.push({ code: 'custom', input: ctx.value, message: 'is not a valid URL' })
    return
  }
  const problem = insecureUrlProblem(url)
  if (problem) ctx.issues.push({ code: 'custom', input: ctx.value, message: problem })
})

type TokenStore = import('./store.js').TokenStore

const tokenStoreSchema = z.custom<TokenStore>(
  (value) =>
    typeof (value as Partial<TokenStore> | null)?.get === 'function' &&
    typeof (value as Partial<TokenStore> | null)?.set === 'function',
  'must be a token store with get and set, e.g. createRedisStore(redis) from oauth-client-credentials/redis',
)

const cacheSchema = z.strictObject({
  /** The most tokens kept in memory (least recently used go first). @defaultValue 10000 */
  maxEntries: z.int().positive().optional(),
  /**
   * A store shared by a fleet of processes (`createRedisStore(redis)` from `oauth-client-credentials/redis`),
   * behind the in-memory cache: looked up on a miss, written with every new token, so that the fleet
   * sends one token request per key. @defaultValue none: each process requests its own tokens
   */
  store: tokenStoreSchema.optional(),
})

const refreshSchema = z.strictObject({
  /**
   * How long before expiry a token is refreshed in the background, in ms (tokens living under 10 min
   * are refreshed at half their life). @defaultValue 300000
   */
  windowMs: z.int().nonnegative().optional(),
})

const httpSchema = z.strictObject({
  /** The undici dispatcher for token requests. @defaultValue one keep-alive Agent shared by all clients (or an EnvHttpProxyAgent when HTTPS_PROXY/HTTP_PROXY is set) */
  dispatcher: dispatcherSchema.optional(),
  /** Timeout of one token request, body included, in ms. @defaultValue 10000 */
  timeoutMs: z.int().positive().optional(),
  /** Retries after the first attempt, for network errors, timeouts, 429 and 5xx. @defaultValue 2 */
  retries: z.int().min(0).max(10).optional(),
  /** The largest `Retry-After` honoured before giving up, in ms. @defaultValue 60000 */
  maxRetryDelayMs: z.int().nonnegative().optional(),
  /** The largest answer read, in bytes. @defaultValue 1048576 */
  maxResponseBytes: z.int().positive().optional(),
})

/**
 * The options of a {@link TokenClient}. Give `tenant` (Entra) or `tokenEndpoint` (any OAuth 2.0 server).
 *
 * @example
 * ```ts
 * const options: TokenClientOptions = {
 *   tenant: 'contoso.onmicrosoft.com',
 *   clientId: '55b2a7ec-73f3-45c2-af08-21ecc33dc40e',
 *   credential: { clientSecret: process.env.CLIENT_SECRET! },
 *   refresh: { windowMs: 10 * 60_000 },
 * }
 * ```
 */
export const tokenClientOptionsSchema = z
  .strictObject({
    /** Entra tenant: its GUID or a verified domain (`contoso.onmicrosoft.com`). Not `common`, `organizations` or `consumers`. */
    tenant: z.string().optional(),
    /** The application (client) id. */
    clientId: z.string().min(1, 'is empty: give the application (client) id'),
    /** Exactly one credential kind. */
    credential: credentialSchema,
    /** The Azure cloud. @defaultValue 'AzurePublic' */
    cloud: z.enum(CLOUDS).optional(),
    /** The authority host URL instead of `cloud` (https; http only for loopback hosts, e.g. a local authority). */
    authorityHost: urlString.optional(),
    /** Entra endpoint version: v2 sends `scope`, v1 sends `resource`. @defaultValue 'v2' */
    endpointVersion: z.enum(['v1', 'v2']).optional(),
    /** The token endpoint of a generic OAuth 2.0 server (replaces tenant and authority). */
    tokenEndpoint: urlString.optional(),
    /**
     * How the client authenticates: `client_secret_post` / `client_secret_basic` with a secret,
     * `private_key_jwt` (RFC 7523 assertion) with a certificate, assertion or federated token file.
     * @defaultValue 'client_secret_post' for a secret, 'private_key_jwt' otherwise
     */
    authMethod: z.enum(['client_secret_post', 'client_secret_basic', 'private_key_jwt']).optional(),
    /** The in-memory token cache. */
    cache: cacheSchema.optional(),
    /** Early refresh. */
    refresh: refreshSchema.optional(),
    /** Token requests. */
    http: httpSchema.optional(),
    /** Where failed background refreshes and retries are reported. @defaultValue nothing is logged */
    logger: loggerSchema.optional(),
    /** The time source (tests). @defaultValue the system clock */
    clock: clockSchema.optional(),
  })
  .check((ctx) => crossChecks(ctx.value, ctx.issues))

/** The options of a {@link TokenClient} (see {@link tokenClientOptionsSchema}). */
export type TokenClientOptions = z.input<typeof tokenClientOptionsSchema>
/** The options after validation. */
export type ValidTokenClientOptions = z.output<typeof tokenClientOptionsSchema>

type Issues = { code: 'custom'; input: unknown; message: string; path: PropertyKey[] }[]

function crossChecks(o: ValidTokenClientOptions, issues: unknown[]): void {
  const add = (path: string, message: string) =>
    (issues as Issues).push({ code: 'custom', input: undefined, message, path: [path] })
  if (o.tokenEndpoint !== undefined) {
    for (const key of ['tenant', 'cloud', 'authorityHost', 'endpointVersion'] as const) {
      if (o[key] !== undefined)
        add(key, 'cannot be combined with tokenEndpoint: tokenEndpoint replaces the Entra authority')
    }
    return
  }
  if (o.tenant === undefined) {
    add(
      'tenant',
      'is required: give the Entra tenant id or domain (or tokenEndpoint for another OAuth server)',
    )
  } else {
    const problem = tenantProblem(o.tenant)
    if (problem) add('tenant', problem)
  }
  if (o.cloud !== undefined && o.authorityHost !== undefined)
    add('authorityHost', 'give cloud or authorityHost, not both')
  if (!isGuid(o.clientId)) add('clientId', 'must be the application (client) id, a GUID, for Entra')
}

/**
 * Validates `input` against `schema`; a failure throws one {@link ConfigurationError} for the first
 * problem, prefixed by `prefix` (e.g. `options`).
 */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const issue = firstIssue(result.error.issues)
  const path = issue.path.map(String).join('.')
  throw new ConfigurationError(path, issue.message, { hint: `Check the ${what} you passed.` })
}

type Issue = z.core.$ZodIssue

/** The issue to report: in a union, the branch closest to matching (fewest issues). */
function firstIssue(issues: readonly Issue[]): { path: PropertyKey[]; message: string } {
  const issue = issues[0]
  if (!issue) return { path: [], message: 'is not valid' }
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0] ?? []
    const inner = firstIssue(closest)
    return { path: [...issue.path, ...inner.path], message: inner.message }
  }
  if (issue.code === 'unrecognized_keys') {
    return { path: issue.path, message: `has unknown option(s): ${issue.keys.join(', ')}` }
  }
  if (issue.code === 'invalid_type' && issue.message.includes('received undefined')) {
    return { path: issue.path, message: `is required (expected ${issue.expected})` }
  }
  return { path: issue.path, message: issue.message }
}

/**
 * Validates the options of a {@link TokenClient}.
 *
 * @example
 * ```ts
 * const valid = parseTokenClientOptions({ tenant, clientId, credential: { clientSecret } })
 * ```
 */
export function parseTokenClientOptions(input: unknown): ValidTokenClientOptions {
  return parseWith(tokenClientOptionsSchema, input, 'TokenClient options')
}

const tokenRequestSchema = z.strictObject({
  /** Scope(s) to ask for: with Entra exactly one `{resource}/.default`; with other servers any. */
  scope: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
  /** The resource: with Entra an App ID URI or GUID; with other servers an RFC 8707 `resource` (URI). */
  resource: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
})

/**
 * What a token is asked for, when not a plain string.
 *
 * @example
 * ```ts
 * await client.getToken({ scope: ['read', 'write'], resource: 'https://api.example.com' })
 * ```
 */
export type TokenRequest = z.input<typeof tokenRequestSchema>

/** Validates a {@link TokenRequest}. */
export function parseTokenRequest(input: unknown): TokenRequest {
  return parseWith(tokenRequestSchema, input, 'token request')
}

const getTokenOptionsSchema = z.strictObject({
  /** Another tenant for this call (multi-tenant apps), validated as `tenant` is. */
  tenant: z.string().optional(),
  /** A claims challenge (JSON), e.g. from a CAE `insufficient_claims` answer: bypasses the cache. */
  claims: z.string().min(1).optional(),
  /** Fetch a new token even if a valid one is cached. */
  forceRefresh: z.boolean().optional(),
  /** Abandons this caller's wait (the request that others share goes on). */
  signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal, 'must be an AbortSignal').optional(),
})

/**
 * Per-call options of `getToken`.
 *
 * @example
 * ```ts
 * await client.getToken('api://myapis/mywebapi', { signal: AbortSignal.timeout(2000) })
 * ```
 */
export type GetTokenOptions = z.input<typeof getTokenOptionsSchema>

/** Validates {@link GetTokenOptions}. */
export function parseGetTokenOptions(input: unknown): GetTokenOptions {
  return parseWith(getTokenOptionsSchema, input, 'getToken options')
}
