/**
 * The Azure SDK adapter: a token source as a `TokenCredential` of `@azure/core-auth`, so that it plugs
 * into any `@azure/*` client. The shapes are declared here, structurally: the main entry depends on no
 * `@azure` package, not even for types. Azure SDK policies take `tenantId` from a resource server's
 * challenge: only the source's own tenant, and those the app lists, are asked for tokens (as
 * `@azure/identity` does with `additionallyAllowedTenants`).
 */
import type { z } from 'zod'
import { dpopSessionOf } from '../dpop/session.js'
import { ConfigurationError } from '../errors.js'
import type { GetTokenOptions } from '../options.js'
import { sendableToken } from '../token.js'
import { parseWith } from '../validation/parse.js'
import { lazySchema } from '../validation/zod.js'
import type { TokenSource } from './source.js'

/**
 * Options of `client.asTokenCredential()` (and {@link toTokenCredential}).
 *
 * @example
 * ```ts
 * client.asTokenCredential({ additionallyAllowedTenants: ['fabrikam.onmicrosoft.com'] })
 * ```
 */
export const tokenCredentialOptionsSchema = lazySchema((z) =>
  z.strictObject({
    /**
     * Tenants besides the client's own that an Azure SDK client may ask tokens for (its `tenantId` comes
     * from a resource server's challenge); `'*'` allows any. @defaultValue none: only the client's own tenant
     */
    additionallyAllowedTenants: z.array(z.string().min(1)).optional(),
  }),
)

/**
 * Options of `client.asTokenCredential()` (see {@link tokenCredentialOptionsSchema}).
 *
 * @example
 * ```ts
 * const options: TokenCredentialOptions = { additionallyAllowedTenants: ['*'] }
 * ```
 */
export type TokenCredentialOptions = z.input<ReturnType<typeof tokenCredentialOptionsSchema>>

/**
 * An abort signal as `@azure/abort-controller` declares it (`AbortSignal` is one).
 *
 * @example
 * ```ts
 * const signal: AbortSignalLike = AbortSignal.timeout(5000)
 * ```
 */
export interface AbortSignalLike {
  readonly aborted: boolean
  readonly reason?: unknown
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void
  removeEventListener(type: 'abort', listener: () => void): void
}

/**
 * The options the Azure SDK passes to `TokenCredential.getToken` (`@azure/core-auth` `GetTokenOptions`).
 *
 * @example
 * ```ts
 * const options: AzureGetTokenOptions = { tenantId: 'fabrikam.onmicrosoft.com', abortSignal: AbortSignal.timeout(5000) }
 * ```
 */
export interface AzureGetTokenOptions {
  /** Abandons the wait. */
  abortSignal?: AbortSignalLike | undefined
  /** A timeout for the wait, in ms. */
  requestOptions?: { timeout?: number | undefined } | undefined
  /** Tracing context (not used). */
  tracingOptions?: unknown
  /** A CAE claims challenge, decoded JSON: bypasses the cache. */
  claims?: string | undefined
  /** Whether CAE is on: only then are the client's `clientCapabilities` sent (a CAE-capable token). */
  enableCae?: boolean | undefined
  /** Another tenant for this call (multi-tenant apps). */
  tenantId?: string | undefined
  /** Proof-of-possession tokens: not supported (this library gets Bearer tokens only). */
  proofOfPossessionOptions?: unknown
}

/**
 * The token the Azure SDK expects (`@azure/core-auth` `AccessToken`).
 *
 * @example
 * ```ts
 * const { token, expiresOnTimestamp } = await credential.getToken('https://storage.azure.com/.default')
 * ```
 */
export interface AzureAccessToken {
  token: string
  /** Expiry, epoch ms. */
  expiresOnTimestamp: number
  /** When the SDK should ask again, epoch ms. */
  refreshAfterTimestamp: number
  tokenType: 'Bearer'
}

/**
 * The `TokenCredential` interface of `@azure/core-auth`, declared structurally.
 *
 * @example
 * ```ts
 * import { BlobServiceClient } from '@azure/storage-blob'
 * const credential: AzureTokenCredential = client.asTokenCredential()
 * const blobs = new BlobServiceClient('https://contoso.blob.core.windows.net', credential)
 * ```
 */
export interface AzureTokenCredential {
  getToken(scopes: string | string[], options?: AzureGetTokenOptions): Promise<AzureAccessToken | null>
}

/**
 * `source` as an Azure SDK `TokenCredential`: `scopes` are asked for as `getToken` asks (one
 * `{resource}/.default` with Entra), with `claims` and the abort signal passed on. Tokens come from the
 * source's cache, and `refreshAfterTimestamp` is the source's `refreshAt`. A `tenantId` other than
 * `tenant` (the source's own, compared without case) is refused with a `ConfigurationError` unless
 * `additionallyAllowedTenants` lists it (or `'*'`); the source's own is asked for as the default tenant.
 *
 * @example
 * ```ts
 * import { bearerTokenAuthenticationPolicy } from '@azure/core-rest-pipeline'
 * const policy = bearerTokenAuthenticationPolicy({
 *   credential: toTokenCredential(client),
 *   scopes: 'api://myapis/mywebapi/.default',
 * })
 * ```
 */
export function toTokenCredential(
  source: TokenSource,
  options: TokenCredentialOptions & { tenant?: string | undefined } = {},
): AzureTokenCredential {
  const { tenant, ...rest } = options
  if (dpopSessionOf(source) !== undefined) throw dpopRefused()
  const { additionallyAllowedTenants = [] } = parseWith(
    tokenCredentialOptionsSchema(),
    rest,
    'asTokenCredential options',
  )
  const allowed = new Set(additionallyAllowedTenants.map((t) => t.toLowerCase()))
  const tenantFor = (tenantId: string | undefined) => {
    if (tenantId === undefined || tenantId.toLowerCase() === tenant?.toLowerCase()) return undefined
    if (allowed.has('*') || allowed.has(tenantId.toLowerCase())) return tenantId
    throw tenantRefused(tenantId, tenant)
  }
  return {
    async getToken(scopes, options = {}) {
      if (options.proofOfPossessionOptions !== undefined) {
        throw new ConfigurationError(
          'proofOfPossessionOptions',
          'proof-of-possession tokens are not supported: this credential gets Bearer tokens',
        )
      }
      const [only, ...more] = typeof scopes === 'string' ? [scopes] : scopes
      const what = only !== undefined && more.length === 0 ? only : { scope: [...scopes] }
      const tenantId = tenantFor(options.tenantId)
      const signal = signalOf(options)
      try {
        const token = await source.getToken(what, tokenOptionsOf(options, tenantId, signal?.signal))
        if (token.tokenType === 'DPoP') throw dpopRefused()
        if (token.certificateThumbprint !== undefined) throw boundToCertificate()
        return {
          token: sendableToken(token),
          expiresOnTimestamp: token.expiresAt,
          refreshAfterTimestamp: token.refreshAt,
          tokenType: 'Bearer',
        }
      } finally {
        signal?.dispose()
      }
    },
  }
}

/** An Azure SDK client sends tokens over its own connections, which never present the certificate. */
function boundToCertificate(): ConfigurationError {
  return new ConfigurationError(
    'tokenCredential',
    'the client gets tokens over mutual TLS (bound to its certificate), and an Azure SDK client cannot present that certificate: no token was handed out',
    {
      hint: 'Use client.authorizedFetch or client.interceptor for mTLS clients, or a client without authMethod tls_client_auth / mtlsProofOfPossession for Azure SDK clients.',
    },
  )
}

function tokenOptionsOf(
  options: AzureGetTokenOptions,
  tenantId: string | undefined,
  signal: AbortSignal | undefined,
): GetTokenOptions {
  return {
    ...(tenantId === undefined ? {} : { tenant: tenantId }),
    ...(options.claims === undefined ? {} : { claims: options.claims }),
    enableCae: options.enableCae === true, // as @azure/identity: CAE-capable tokens only when asked for
    ...(signal === undefined ? {} : { signal }),
  }
}

/** One `AbortSignal` for the SDK's signal and timeout, and how to let go of it. */
function signalOf(options: AzureGetTokenOptions): { signal: AbortSignal; dispose(): void } | undefined {
  const like = options.abortSignal
  const timeoutMs = options.requestOptions?.timeout
  const signals: AbortSignal[] = []
  let dispose = () => {}
  if (like instanceof AbortSignal) signals.push(like)
  else if (like !== undefined) {
    const controller = new AbortController()
    const onAbort = () => controller.abort(like.reason)
    if (like.aborted) onAbort()
    else like.addEventListener('abort', onAbort, { once: true })
    dispose = () => like.removeEventListener('abort', onAbort)
    signals.push(controller.signal)
  }
  if (timeoutMs !== undefined && timeoutMs > 0) signals.push(AbortSignal.timeout(timeoutMs))
  const [first, ...rest] = signals
  if (first === undefined) return undefined
  return { signal: rest.length === 0 ? first : AbortSignal.any(signals), dispose }
}

/** The error for a tenant the app did not allow; the name, chosen by a resource server, is quoted and cut. */
function tenantRefused(tenantId: string, own: string | undefined): ConfigurationError {
  const quoted = JSON.stringify(tenantId.length > 80 ? `${tenantId.slice(0, 80)}…` : tenantId)
  const ours = own === undefined ? 'this client has no tenant' : `this client's tenant is ${own}`
  return new ConfigurationError(
    'tenantId',
    `a token for tenant ${quoted} was asked for (an Azure SDK client takes the tenant from a resource server's challenge); ${ours}, and additionallyAllowedTenants does not list it`,
    {
      hint: "If the app is meant to get tokens in that tenant, list it: client.asTokenCredential({ additionallyAllowedTenants: ['<tenant>'] }) ('*' allows any).",
    },
  )
}

/** The Azure SDK sends a credential's token as `Bearer`: a DPoP-bound token would be refused (RFC 9449 §7.1). */
function dpopRefused(): ConfigurationError {
  return new ConfigurationError(
    'dpop',
    'a DPoP client cannot be an Azure SDK TokenCredential (the SDK sends tokens as Bearer): use authorizedFetch or the interceptor, which send DPoP proofs, or a client without dpop',
  )
}
