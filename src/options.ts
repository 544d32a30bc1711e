/**
 * The schemas of the client's options and of `getToken`'s arguments: validation, once. The public types
 * are the interfaces of `option-types.ts` and `credential-options.ts` (documented field by field), proven
 * equal to these schemas' input types by a test. A failure becomes one `ConfigurationError` naming the
 * option and the fix (`option-problems.ts`); no value of an option (a secret above all) is ever echoed.
 */
import type { Dispatcher } from 'undici'
import type { z } from 'zod'
import { authorityHostProblem, tokenEndpointProblem } from './authority.js'
import { systemClock } from './clock.js'
import { credentialSchema } from './credential-schema.js'
import { managedIdentitySchema } from './managed-identity-schema.js'
import { CLIENT_ALIASES, GET_TOKEN_ALIASES, TOKEN_REQUEST_ALIASES } from './option-aliases.js'
import { crossChecks } from './option-checks.js'
import { dpopOptionSchema } from './option-dpop.js'
import { CLIENT_EXAMPLE, CLIENT_HINTS, GET_TOKEN_EXAMPLE, GET_TOKEN_HINTS } from './option-hints.js'
import { authMethodSchema, mtlsSchema } from './option-mtls.js'
import type { OptionGuide } from './option-problems.js'
import type {
  CacheOptions,
  GetTokenOptions,
  HttpOptions,
  Logger,
  RefreshOptions,
  TokenClientOptions,
  TokenRequest,
} from './option-types.js'
import { textOption, urlOption } from './option-values.js'
import type { TokenStore } from './store.js'
import { parseWith } from './validation/parse.js'
import { clockSchema, oneOrMore } from './validation/schemas.js'
import { lazySchema } from './validation/zod.js'

export type {
  CertificateFileOptions,
  CertificateKeyOptions,
  CertificateOptions,
  CertificateSigningOptions,
  ClientAssertionOptions,
  ClientSecretOptions,
  CredentialOptions,
  FederatedTokenFileOptions,
  ManagedIdentityCredentialOptions,
  PrivateKeyOptions,
} from './credential-options.js'
export type {
  CacheOptions,
  GetTokenOptions,
  HttpOptions,
  Logger,
  MtlsOptions,
  RefreshOptions,
  TokenClientOptions,
  TokenRequest,
} from './option-types.js'

const LOGGER_METHODS = ['debug', 'info', 'warn', 'error'] as const

const loggerSchema = lazySchema((z) =>
  z.custom<Logger>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      LOGGER_METHODS.some((m) => typeof (value as Record<string, unknown>)[m] === 'function'),
    'must be an object with at least one of debug, info, warn, error as functions (console works)',
  ),
)
const dispatcherSchema = lazySchema((z) =>
  z.custom<Dispatcher>(
    (value) => typeof (value as Partial<Dispatcher> | null)?.dispatch === 'function',
    'must be an undici Dispatcher (an Agent, Pool, ProxyAgent or MockAgent)',
  ),
)

const environmentSchema = lazySchema((z) =>
  z.custom<Readonly<Record<string, string | undefined>>>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      Object.values(value).every((v) => v === undefined || typeof v === 'string'),
    'must be an object of environment variables (names to strings), such as process.env',
  ),
)

const CLOUDS = ['AzurePublic', 'AzureUSGovernment', 'AzureChina'] as const

const tokenStoreSchema = lazySchema((z) =>
  z.custom<TokenStore>(
    (value) =>
      typeof (value as Partial<TokenStore> | null)?.get === 'function' &&
      typeof (value as Partial<TokenStore> | null)?.set === 'function',
    'must be a token store with get and set, e.g. createRedisStore(redis) from oauth-client-credentials/redis',
  ),
)

// The fields' meanings and defaults are documented once, on the interfaces of option-types.ts; the
// defaults themselves live here, in the schemas, and nowhere else.
const DEFAULTS = {
  maxEntries: 10_000,
  refreshWindowMs: 5 * 60_000,
  timeoutMs: 10_000,
  retries: 2,
  maxRetryDelayMs: 60_000,
  maxResponseBytes: 1024 * 1024,
} as const

/**
 * The schema of {@link CacheOptions}.
 *
 * @example
 * ```ts
 * cacheSchema().safeParse(input).success
 * ```
 */
export const cacheSchema = lazySchema((z) =>
  z.strictObject({
    maxEntries: z.int().positive().default(DEFAULTS.maxEntries),
    store: tokenStoreSchema().optional(),
  }),
)

/**
 * The schema of {@link RefreshOptions}.
 *
 * @example
 * ```ts
 * refreshSchema().safeParse(input).success
 * ```
 */
export const refreshSchema = lazySchema((z) =>
  z.strictObject({
    windowMs: z.int().nonnegative().default(DEFAULTS.refreshWindowMs),
  }),
)

/**
 * The schema of {@link HttpOptions}.
 *
 * @example
 * ```ts
 * httpSchema().safeParse(input).success
 * ```
 */
export const httpSchema = lazySchema((z) =>
  z.strictObject({
    dispatcher: dispatcherSchema().optional(),
    timeoutMs: z.int().positive().default(DEFAULTS.timeoutMs),
    retries: z.int().min(0).max(10).default(DEFAULTS.retries),
    maxRetryDelayMs: z.int().nonnegative().default(DEFAULTS.maxRetryDelayMs),
    maxResponseBytes: z.int().positive().default(DEFAULTS.maxResponseBytes),
  }),
)

/**
 * The schema of {@link TokenClientOptions}: each field, then the checks across fields.
 *
 * @example
 * ```ts
 * tokenClientOptionsSchema().safeParse({ tenant, clientId, credential: { clientSecret } }).success
 * ```
 */
export const tokenClientOptionsSchema = lazySchema(() =>
  tokenClientFieldsSchema().check((ctx) => crossChecks(ctx.value, ctx.issues)),
)

/** Each field of {@link TokenClientOptions}, without the checks across fields. */
const tokenClientFieldsSchema = lazySchema((z) =>
  z.strictObject({
    tenant: textOption('is empty: give the tenant id or a verified domain').optional(),
    clientId: textOption('is empty: give the application (client) id').optional(),
    credential: credentialSchema().optional(),
    managedIdentity: managedIdentitySchema().optional(),
    imdsBaseUrl: textOption('is empty: omit it to use IMDS at http://169.254.169.254').optional(),
    environment: environmentSchema().optional(),
    clientCapabilities: z
      .array(z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be a capability name such as cp1'))
      .optional(),
    cloud: z.enum(CLOUDS).optional(),
    authorityHost: urlOption(authorityHostProblem).optional(),
    endpointVersion: z.enum(['v1', 'v2']).optional(),
    tokenEndpoint: urlOption(tokenEndpointProblem).optional(),
    authMethod: authMethodSchema().optional(),
    dpop: dpopOptionSchema().optional(),
    mtlsProofOfPossession: z.boolean().optional(),
    mtls: mtlsSchema().optional(),
    cache: cacheSchema().prefault({}),
    refresh: refreshSchema().prefault({}),
    http: httpSchema().prefault({}),
    logger: loggerSchema().optional(),
    clock: clockSchema().default(systemClock),
  }),
)

/**
 * The options after validation.
 *
 * @example
 * ```ts
 * const valid: ValidTokenClientOptions = parseTokenClientOptions(options)
 * ```
 */
export type ValidTokenClientOptions = z.output<ReturnType<typeof tokenClientFieldsSchema>>

const CLIENT_GUIDE: OptionGuide = { aliases: CLIENT_ALIASES, hints: CLIENT_HINTS, example: CLIENT_EXAMPLE }

/**
 * Validates the options of a `TokenClient`.
 *
 * @example
 * ```ts
 * const valid = parseTokenClientOptions({ tenant, clientId, credential: { clientSecret } })
 * ```
 */
export function parseTokenClientOptions(input: unknown): ValidTokenClientOptions {
  return parseWith(tokenClientOptionsSchema(), input, 'TokenClient options', CLIENT_GUIDE)
}

/**
 * The schema of {@link TokenRequest}.
 *
 * @example
 * ```ts
 * tokenRequestSchema().safeParse(input).success
 * ```
 */
export const tokenRequestSchema = lazySchema((z) =>
  z.strictObject({
    scope: oneOrMore().optional(),
    resource: oneOrMore().optional(),
  }),
)

/**
 * Validates a {@link TokenRequest}.
 *
 * @example
 * ```ts
 * parseTokenRequest({ scope: ['read', 'write'] })
 * ```
 */
export function parseTokenRequest(input: unknown): TokenRequest {
  return parseWith(tokenRequestSchema(), input, 'token request', {
    aliases: TOKEN_REQUEST_ALIASES,
    hints: GET_TOKEN_HINTS,
    example: "getToken({ scope: ['read', 'write'] })",
  })
}

/**
 * The schema of {@link GetTokenOptions}.
 *
 * @example
 * ```ts
 * getTokenOptionsSchema().safeParse(input).success
 * ```
 */
export const getTokenOptionsSchema = lazySchema((z) =>
  z.strictObject({
    tenant: textOption('is empty: give the tenant id or a verified domain, or omit it').optional(),
    claims: z.string().min(1).optional(),
    forceRefresh: z.boolean().optional(),
    enableCae: z.boolean().optional(),
    signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal, 'must be an AbortSignal').optional(),
  }),
)

/**
 * Validates {@link GetTokenOptions}.
 *
 * @example
 * ```ts
 * parseGetTokenOptions({ forceRefresh: true })
 * ```
 */
export function parseGetTokenOptions(input: unknown): GetTokenOptions {
  return parseWith(getTokenOptionsSchema(), input, 'getToken options', {
    aliases: GET_TOKEN_ALIASES,
    hints: GET_TOKEN_HINTS,
    example: GET_TOKEN_EXAMPLE,
  })
}
