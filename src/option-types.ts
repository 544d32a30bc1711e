/**
 * The public option interfaces, written out so that a hover shows each field's meaning and default.
 * `test/option-types.test.ts` proves each equal to the input type of its schema in `options.ts`, which
 * validates it.
 */
import type { Dispatcher } from 'undici'
import type { Clock } from './clock.js'
import type { CredentialOptions } from './credential-options.js'
import type { DpopOption } from './dpop/session.js'
import type { ManagedIdentityOptions } from './managed-identity/identity.js'
import type { TrustedCa } from './mtls/trusted-ca.js'
import type { TokenStore } from './store.js'

/**
 * Where the library reports what callers do not see (a failed background refresh, a retry).
 * `console` fits; so do pino and winston loggers.
 *
 * @example
 * ```ts
 * const logger: Logger = { warn: (message, details) => console.warn(message, details) } // pino: pino.warn(details, message)
 * ```
 */
export interface Logger {
  debug?(message: string, details?: Record<string, unknown>): void
  info?(message: string, details?: Record<string, unknown>): void
  warn?(message: string, details?: Record<string, unknown>): void
  error?(message: string, details?: Record<string, unknown>): void
}

/**
 * The in-memory token cache.
 *
 * @example
 * ```ts
 * const cache: CacheOptions = { maxEntries: 500, store: createRedisStore(redis) }
 * ```
 */
export interface CacheOptions {
  /** The most tokens kept in memory; the least recently used go first. @defaultValue 10000 */
  maxEntries?: number | undefined
  /**
   * A store shared by a fleet of processes (`createRedisStore(redis)` from `oauth-client-credentials/redis`),
   * behind the memory cache: looked up on a miss and written with every new token, so that the fleet
   * sends one token request per key. @defaultValue none: each process requests its own tokens
   */
  store?: TokenStore | undefined
}

/**
 * Early refresh.
 *
 * @example
 * ```ts
 * const refresh: RefreshOptions = { windowMs: 10 * 60_000 }
 * ```
 */
export interface RefreshOptions {
  /**
   * How long before expiry a token is refreshed in the background, in ms (tokens living under 10 min
   * are refreshed at half their life). @defaultValue 300000 (5 minutes)
   */
  windowMs?: number | undefined
}

/**
 * Token requests.
 *
 * @example
 * ```ts
 * import { ProxyAgent } from 'undici'
 * const http: HttpOptions = { timeoutMs: 5000, retries: 1, dispatcher: new ProxyAgent('http://127.0.0.1:3128') }
 * ```
 */
export interface HttpOptions {
  /**
   * The undici dispatcher for token requests (an `Agent`, `Pool`, `ProxyAgent` or `MockAgent`).
   * @defaultValue one keep-alive Agent shared by all clients (an EnvHttpProxyAgent when HTTPS_PROXY or HTTP_PROXY is set)
   */
  dispatcher?: Dispatcher | undefined
  /** The timeout of one token request, body included, in ms. @defaultValue 10000 */
  timeoutMs?: number | undefined
  /** Retries after the first attempt (0 to 10), for network errors, timeouts, 429 and 5xx only. @defaultValue 2 */
  retries?: number | undefined
  /** The longest `Retry-After` waited for, in ms; a longer one fails at once with `retryAfterMs`. @defaultValue 60000 */
  maxRetryDelayMs?: number | undefined
  /** The largest answer read, in bytes. @defaultValue 1048576 (1 MiB) */
  maxResponseBytes?: number | undefined
}

/**
 * Mutual TLS (`authMethod: 'tls_client_auth'`, `'self_signed_tls_client_auth'`, `mtlsProofOfPossession`).
 *
 * @example
 * ```ts
 * const mtls: MtlsOptions = { region: 'westeurope', ca: readFileSync('/etc/pki/internal-ca.pem', 'utf8') }
 * ```
 */
export interface MtlsOptions {
  /**
   * Entra's mTLS host (scheme and host), https only.
   * @defaultValue derived from the authority host: https://mtlsauth.microsoft.com (…microsoftonline.us,
   * …partner.microsoftonline.cn); a loopback authority host (a local authority) serves it itself
   */
  host?: string | undefined
  /** An Azure region, for Entra's regional mTLS host (`https://{region}.mtlsauth.microsoft.com`). @defaultValue the global host */
  region?: string | undefined
  /**
   * Certificate authorities (PEM) to trust for the servers reached over mutual TLS (token endpoint and
   * APIs), besides Node's own. @defaultValue Node's trusted CAs only
   */
  ca?: TrustedCa | undefined
}

/**
 * The options of a `TokenClient`. Give `tenant` (Entra) or `tokenEndpoint` (any OAuth 2.0 server).
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
export interface TokenClientOptions {
  /**
   * The Entra tenant: its GUID (Directory (tenant) ID) or a verified domain (`contoso.onmicrosoft.com`).
   * `common`, `organizations` and `consumers` are refused: with client credentials Entra answers them
   * inconsistently. @defaultValue none: required for Entra, refused with tokenEndpoint
   */
  tenant?: string | undefined
  /**
   * The application (client) id: a GUID for Entra (the app registration's Overview page).
   * @defaultValue none: required, unless `managedIdentity` is given (then refused)
   */
  clientId?: string | undefined
  /**
   * The credential: exactly one of `clientSecret`, `certificate`, `certificatePath`, `privateKey`, `clientAssertion`,
   * `federatedTokenFile`, `managedIdentity`. @defaultValue none: required, unless `managedIdentity` is given (then refused)
   */
  credential?: CredentialOptions | undefined
  /**
   * A managed identity as the client's identity, instead of `tenant`, `clientId` and `credential`: `{}` for
   * the system-assigned identity, or one of `clientId`, `objectId`, `resourceId` for a user-assigned one.
   * Tokens come from the platform's endpoint (IMDS, App Service, Arc, …), through the same cache.
   * @defaultValue none: the client is an app registration
   */
  managedIdentity?: ManagedIdentityOptions | undefined
  /**
   * The IMDS base URL (http, a loopback host or the link-local address), for `managedIdentity` and
   * `credential: { managedIdentity }`; wins over `AZURE_POD_IDENTITY_AUTHORITY_HOST`.
   * @defaultValue http://169.254.169.254
   */
  imdsBaseUrl?: string | undefined
  /**
   * The environment variables a managed identity's source is detected from (`IDENTITY_ENDPOINT`,
   * `MSI_ENDPOINT`, `AZURE_POD_IDENTITY_AUTHORITY_HOST`, …), for `managedIdentity` and
   * `credential: { managedIdentity }`. `fromEnvironment(overrides, env)` passes its `env`.
   * @defaultValue process.env
   */
  environment?: Readonly<Record<string, string | undefined>> | undefined
  /**
   * Client capabilities, e.g. `['cp1']`: the app handles Continuous Access Evaluation claims challenges,
   * so Entra may issue CAE-capable tokens (without it, it never does). Sent in every token request as
   * `claims` `{"access_token":{"xms_cc":{"values":["cp1"]}}}` (merged with a challenge's claims), or as
   * `xms_cc` to a managed identity's endpoint; `getToken(…, { enableCae: false })` asks without them.
   * @defaultValue none: tokens are not CAE-capable
   */
  clientCapabilities?: string[] | undefined
  /** The Azure cloud, which gives the authority host. @defaultValue 'AzurePublic' */
  cloud?: 'AzurePublic' | 'AzureUSGovernment' | 'AzureChina' | undefined
  /**
   * The authority host instead of `cloud`: the scheme and host only (the tenant goes in `tenant`), https,
   * or http to a loopback host (a local authority); no user name or password.
   * @defaultValue the host of `cloud`: https://login.microsoftonline.com
   */
  authorityHost?: string | undefined
  /** The Entra endpoint version: v2 sends `scope`, v1 sends `resource`. @defaultValue 'v2' */
  endpointVersion?: 'v1' | 'v2' | undefined
  /**
   * The token endpoint of a generic OAuth 2.0 server, instead of `tenant`, `cloud` and `authorityHost`:
   * https (http to loopback only), no user name or password, no fragment.
   * @defaultValue none: the Entra endpoint is built from cloud or authorityHost and tenant
   */
  tokenEndpoint?: string | undefined
  /**
   * How the client authenticates: `client_secret_post` or `client_secret_basic` with a secret,
   * `private_key_jwt` (an RFC 7523 assertion) with the other kinds, or, with a certificate, mutual TLS
   * (RFC 8705): `tls_client_auth` (a CA-issued certificate) or `self_signed_tls_client_auth`; the
   * certificate is then presented in the TLS handshake, the form carries no secret and no assertion,
   * and tokens are attached over connections presenting the same certificate.
   * @defaultValue 'client_secret_post' for a secret, 'tls_client_auth' with mtlsProofOfPossession, 'private_key_jwt' otherwise
   */
  authMethod?:
    | 'client_secret_post'
    | 'client_secret_basic'
    | 'private_key_jwt'
    | 'tls_client_auth'
    | 'self_signed_tls_client_auth'
    | undefined
  /**
   * DPoP (RFC 9449), generic servers (`tokenEndpoint`) only: tokens bound to a key this process holds,
   * each request with a fresh proof. `true` generates an ES256 key in process (never exported, never
   * stored); `{ algorithm }` picks PS256, RS256 or EdDSA; `{ key }` brings a private `KeyObject` or a
   * `CryptoKeyPair`. @defaultValue none: bearer tokens
   */
  dpop?: DpopOption | undefined
  /**
   * Entra mTLS proof of possession (docs/entra.md §12): tokens bound to the certificate credential
   * (`token_type: mtls_pop`, `cnf.x5t#S256`), requested from the tenant's mTLS endpoint and attached as
   * `Authorization: mtls_pop …` over mutual TLS with that certificate. Entra, a tenant, v2, a certificate
   * credential; Entra issues them only for resources on its allow list (Microsoft Graph, Key Vault).
   * @defaultValue false
   */
  mtlsProofOfPossession?: boolean | undefined
  /** Mutual TLS: Entra's mTLS host or region, trusted CAs. @defaultValue see {@link MtlsOptions} */
  mtls?: MtlsOptions | undefined
  /** The in-memory token cache. @defaultValue { maxEntries: 10000 }, no shared store */
  cache?: CacheOptions | undefined
  /** Early refresh. @defaultValue { windowMs: 300000 } */
  refresh?: RefreshOptions | undefined
  /** Token requests: dispatcher, timeout, retries, limits. @defaultValue see {@link HttpOptions} */
  http?: HttpOptions | undefined
  /** Where failed background refreshes and retries are reported. @defaultValue none: nothing is logged */
  logger?: Logger | undefined
  /** The time source, for tests. @defaultValue the system clock */
  clock?: Clock | undefined
}

/**
 * What a token is asked for, when not a plain string.
 *
 * @example
 * ```ts
 * await client.getToken({ scope: ['read', 'write'], resource: 'https://api.example.com' })
 * ```
 */
export interface TokenRequest {
  /**
   * The scope(s): with Entra exactly one (`{resource}/.default`); with other servers any number.
   * @defaultValue none: the server's default scope
   */
  scope?: string | string[] | undefined
  /**
   * The resource(s): with Entra an App ID URI or application id; with other servers an RFC 8707 resource
   * (an absolute URI). @defaultValue none
   */
  resource?: string | string[] | undefined
}

/**
 * Per-call options of `getToken`.
 *
 * @example
 * ```ts
 * await client.getToken('api://myapis/mywebapi', { signal: AbortSignal.timeout(2000) })
 * ```
 */
export interface GetTokenOptions {
  /** Another tenant for this call (multi-tenant apps), validated as `tenant` is. @defaultValue the client's tenant */
  tenant?: string | undefined
  /** A claims challenge (JSON), e.g. from a CAE `insufficient_claims` answer: bypasses the cache. @defaultValue none */
  claims?: string | undefined
  /** Fetch a new token even if a valid one is cached. @defaultValue false */
  forceRefresh?: boolean | undefined
  /**
   * Ask for a CAE-capable token: send the client's `clientCapabilities`. `false` asks without them (a
   * token cached apart), as `asTokenCredential()` does when the Azure SDK does not set `enableCae`.
   * @defaultValue true: the client's clientCapabilities, if any, are sent
   */
  enableCae?: boolean | undefined
  /** Abandons this caller's wait (the request that others share goes on). @defaultValue none */
  signal?: AbortSignal | undefined
}
