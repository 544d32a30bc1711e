/**
 * The Azure SDK adapter: a token source as a `TokenCredential` of `@azure/core-auth`, so that it plugs
 * into any `@azure/*` client. The shapes are declared here, structurally: the main entry depends on no
 * `@azure` package, not even for types.
 */
import { ConfigurationError } from './errors.js'
import type { GetTokenOptions } from './options.js'
import type { TokenSource } from './origins.js'

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
  /** Whether CAE is on (tokens are asked for the same way either way). */
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
 * `{resource}/.default` with Entra), with `tenantId`, `claims` and the abort signal passed on. Tokens
 * come from the source's cache, and `refreshAfterTimestamp` is the source's `refreshAt`.
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
export function toTokenCredential(source: TokenSource): AzureTokenCredential {
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
      const signal = signalOf(options)
      try {
        const token = await source.getToken(what, tokenOptionsOf(options, signal?.signal))
        return {
          token: token.accessToken,
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

function tokenOptionsOf(options: AzureGetTokenOptions, signal: AbortSignal | undefined): GetTokenOptions {
  return {
    ...(options.tenantId === undefined ? {} : { tenant: options.tenantId }),
    ...(options.claims === undefined ? {} : { claims: options.claims }),
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
