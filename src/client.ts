/**
 * `TokenClient`: options → credential, targets, cache and transport, composed. The cache knows nothing
 * of HTTP and the transport nothing of caching; this file joins them.
 */
import type { Dispatcher } from 'undici'
import { type AzureTokenCredential, type TokenCredentialOptions, toTokenCredential } from './attach/azure.js'
import { type AuthorizedFetchOptions, createAuthorizedFetch, type FetchFunction } from './attach/fetch.js'
import { type AuthRoutes, createAuthInterceptor } from './attach/interceptor.js'
import { logBackgroundError } from './background-error-log.js'
import { TokenCache } from './cache.js'
import { wireClient } from './client-wiring.js'
import type { Clock } from './clock.js'
import { attachDpopSession } from './dpop/session.js'
import { type Environment, optionsFromEnvironment } from './env.js'
import { checkResourceArgument } from './get-token-arguments.js'
import type { CertificateConnections } from './mtls/connections.js'
import {
  type GetTokenOptions,
  parseGetTokenOptions,
  parseTokenClientOptions,
  type TokenClientOptions,
  type TokenRequest,
} from './options.js'
import { type PrewarmResult, prewarmTokens } from './prewarm.js'
import { redactInstances } from './redact.js'
import { type AuthorityConfig, RequestResolver, type ResolvedRequest } from './target.js'
import { AccessToken, storedToken } from './token.js'
import { parseWith } from './validation/parse.js'
import { lazySchema } from './validation/zod.js'

const clearCacheOptionsSchema = lazySchema((z) =>
  z.strictObject({
    /** Also delete this client's entries from the shared token store. @defaultValue false */
    shared: z.boolean().optional(),
  }),
)

/**
 * Gets OAuth 2.0 client-credentials tokens, caches them until they expire and refreshes them early in
 * the background, so that no caller waits on the network after the first.
 *
 * @example
 * ```ts
 * import { TokenClient } from 'oauth-client-credentials'
 *
 * const client = new TokenClient({
 *   tenant: 'f6aba1d9-da41-4ea3-8f30-4970725586a8',
 *   clientId: '55b2a7ec-73f3-45c2-af08-21ecc33dc40e',
 *   credential: { clientSecret: process.env.CLIENT_SECRET! },
 * })
 * const token = await client.getToken('api://myapis/mywebapi')
 * token.accessToken // send as `Authorization: Bearer …`
 * ```
 */
export class TokenClient {
  /** The application (client) id. */
  readonly clientId: string
  readonly #authority: AuthorityConfig
  readonly #description: Readonly<Record<string, unknown>>
  readonly #requests: RequestResolver
  /** Without the client capabilities (`enableCae: false`); the same resolver when there are none. */
  readonly #plainRequests: RequestResolver
  readonly #cache: TokenCache<ResolvedRequest, AccessToken>
  readonly #clock: Clock
  readonly #connections: CertificateConnections | undefined

  /** Validates `options` (throwing one `ConfigurationError` naming the option) and sets the client up. */
  constructor(options: TokenClientOptions) {
    const o = parseTokenClientOptions(options)
    const { clock, logger } = o
    const wiring = wireClient(o)
    this.clientId = wiring.clientId
    this.#clock = clock
    this.#authority = wiring.authority
    this.#description = wiring.description
    if (wiring.dpop) attachDpopSession(this, wiring.dpop)
    this.#connections = wiring.connections
    const capabilities = o.clientCapabilities ?? []
    this.#requests = new RequestResolver(this.#authority, o.cache.maxEntries, capabilities)
    this.#plainRequests =
      capabilities.length === 0 ? this.#requests : new RequestResolver(this.#authority, o.cache.maxEntries)
    this.#cache = new TokenCache({
      maxEntries: o.cache.maxEntries,
      clock,
      fetch: wiring.request,
      onBackgroundError: (label, error, info) => logBackgroundError(logger, label, error, info),
      store: o.cache.store && {
        store: o.cache.store,
        keyPrefix: wiring.storeKeyPrefix,
        toStored: storedToken,
        revive: (stored) => new AccessToken({ ...stored, tokenType: wiring.dpop ? 'DPoP' : 'Bearer' }),
        logger,
      },
    })
  }

  /**
   * A client configured from the variables `@azure/identity` users already set: `AZURE_TENANT_ID`,
   * `AZURE_CLIENT_ID`, and one of `AZURE_CLIENT_SECRET`, `AZURE_CLIENT_CERTIFICATE_PATH`
   * (+ `AZURE_CLIENT_CERTIFICATE_PASSWORD`, `AZURE_CLIENT_SEND_CERTIFICATE_CHAIN`) or
   * `AZURE_FEDERATED_TOKEN_FILE`; `AZURE_AUTHORITY_HOST`. `overrides` win; what is missing is named.
   * With no credential variable but a managed-identity source (`IDENTITY_ENDPOINT`, `MSI_ENDPOINT`, …),
   * or `AZURE_CLIENT_ID` alone, the client is that managed identity; `describe()` names the source.
   *
   * @example
   * ```ts
   * const client = TokenClient.fromEnvironment({ logger: console })
   * ```
   */
  static fromEnvironment(
    overrides?: Partial<TokenClientOptions>,
    env: Environment = process.env,
  ): TokenClient {
    return new TokenClient(optionsFromEnvironment(env, overrides))
  }

  /**
   * A token for `resource`: an Entra App ID URI or application id (the `/.default` scope is built), or
   * for generic servers a scope string or `{ scope, resource }`. Served from memory while fresh; after
   * `refreshAt` served from memory while one background refresh runs; otherwise from the one request
   * in flight for that key.
   *
   * @example
   * ```ts
   * const { accessToken } = await client.getToken('api://myapis/mywebapi')
   * await client.getToken('https://graph.microsoft.com', { tenant: 'fabrikam.onmicrosoft.com' })
   * ```
   */
  getToken(resource: string | TokenRequest, options?: GetTokenOptions): Promise<AccessToken> {
    // the hot path (issue 17): a memoised string resource, no options: one hash lookup, then the cache
    const memoised = options === undefined ? this.#requests.memoised(resource) : undefined
    if (memoised !== undefined) return this.#cache.lookup(memoised)
    try {
      checkResourceArgument(resource, this.#authority.kind === 'generic' ? 'generic' : 'entra')
      if (options === undefined) return this.#cache.lookup(this.#requests.resolve(resource, undefined))
      const checked = parseGetTokenOptions(options)
      const requests = checked.enableCae === false ? this.#plainRequests : this.#requests
      const target = requests.resolve(resource, checked.tenant)
      return this.#cache.lookup(target, checked)
    } catch (error) {
      return Promise.reject(error)
    }
  }

  /**
   * Forgets every cached token. Requests in flight still answer their callers but cache nothing. With
   * `{ shared: true }` it also deletes this client's entries (and only this client's) from the shared
   * token store first, e.g. after a credential rotation; that promise never rejects.
   *
   * @example
   * ```ts
   * client.clearCache()
   * await client.clearCache({ shared: true }) // the fleet's Redis entries of this client too
   * ```
   */
  clearCache(): void
  clearCache(options: { shared: boolean }): Promise<void>
  clearCache(options?: { shared?: boolean }): void | Promise<void> {
    const { shared } = parseWith(clearCacheOptionsSchema(), options ?? {}, 'clearCache options')
    if (!shared) return this.#cache.clear()
    return this.#cache.clearWithStore()
  }

  /**
   * Requests the tokens for `resources` at once (each as `getToken(resource, options)` would), so that a
   * service does not take its first requests cold. Never rejects: it reports the resources whose token
   * is now cached, and those that failed with their error.
   *
   * @example
   * ```ts
   * const { failed } = await client.prewarm(['api://myapis/mywebapi', 'https://graph.microsoft.com'])
   * for (const { resource, error } of failed) logger.warn('no token at start-up', { resource, error })
   * ```
   */
  prewarm<Resource extends string | TokenRequest>(
    resources: readonly Resource[],
    options?: GetTokenOptions,
  ): Promise<PrewarmResult<Resource>> {
    return prewarmTokens(resources, (resource) => this.getToken(resource, options))
  }

  /**
   * The connection a token of this client must travel over: for a client using mutual TLS, the undici
   * dispatcher presenting the certificate the token was requested with (`undefined` once that
   * certificate has been rotated out: get a new token); for any other client, `undefined`.
   * `authorizedFetch` and `interceptor` use it by themselves.
   *
   * @example
   * ```ts
   * import { request } from 'undici'
   * const token = await client.getToken('https://graph.microsoft.com')
   * await request('https://graph.microsoft.com/v1.0/applications', {
   *   dispatcher: client.certificateDispatcher(token),
   *   headers: { authorization: `${token.tokenType} ${token.accessToken}` },
   * })
   * ```
   */
  certificateDispatcher(token: AccessToken): Dispatcher | undefined {
    const thumbprint = token.certificateThumbprint
    return thumbprint === undefined ? undefined : this.#connections?.dispatcherFor(thumbprint)
  }

  /**
   * Closes the client: callers still waiting for a token, and every later call, reject with
   * `ClientClosedError`; a background refresh in flight is stopped and settles quietly; the cache is
   * emptied. Nothing of the client then keeps the process alive. A `dispatcher` or a shared store
   * (Redis) you passed in is yours: it is left open. Idempotent; `await using` calls it.
   *
   * @example
   * ```ts
   * process.once('SIGTERM', () => void client.close())
   * ```
   */
  close(): Promise<void> {
    const connections = this.#connections?.close()
    return connections
      ? Promise.all([this.#cache.close(), connections]).then(() => undefined)
      : this.#cache.close()
  }

  /**
   * Closes the client at the end of an `await using` block (see {@link TokenClient.close}).
   *
   * @example
   * ```ts
   * await using client = new TokenClient(options)
   * await client.getToken('api://myapis/mywebapi')
   * // closed here
   * ```
   */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }

  /** Whether {@link TokenClient.close} was called. */
  get closed(): boolean {
    return this.#cache.closed
  }

  /**
   * A `fetch` that attaches this client's token to requests for `origins` only (scheme, host and port
   * exactly), retries once after a 401 with a refreshed token, and answers a CAE claims challenge.
   *
   * @example
   * ```ts
   * const api = client.authorizedFetch({ resource: 'api://myapis/mywebapi', origins: ['https://api.contoso.com'] })
   * const res = await api('https://api.contoso.com/orders')
   * ```
   */
  authorizedFetch(options: Omit<AuthorizedFetchOptions, 'clock'>): FetchFunction {
    return createAuthorizedFetch(this, { ...options, clock: this.#clock })
  }

  /**
   * An undici interceptor that attaches this client's token to the configured origins (origin → resource
   * or scope), for `Agent.compose`, `undici.request`, `undici.fetch` and `setGlobalDispatcher`.
   *
   * @example
   * ```ts
   * import { Agent, setGlobalDispatcher } from 'undici'
   * setGlobalDispatcher(new Agent().compose(client.interceptor({ 'https://api.contoso.com': 'api://myapis/mywebapi' })))
   * ```
   */
  interceptor(routes: AuthRoutes): Dispatcher.DispatcherComposeInterceptor {
    return createAuthInterceptor(this, routes, { clock: this.#clock })
  }

  /**
   * This client as an Azure SDK `TokenCredential` (`@azure/core-auth`), for any `@azure/*` client. A
   * `tenantId` other than the client's own is refused unless `additionallyAllowedTenants` lists it.
   *
   * @example
   * ```ts
   * const blobs = new BlobServiceClient('https://acct.blob.core.windows.net', client.asTokenCredential())
   * ```
   */
  asTokenCredential(options?: TokenCredentialOptions): AzureTokenCredential {
    const tenant = this.#authority.kind === 'entra' ? this.#authority.tenant : undefined
    return toTokenCredential(this, { ...options, tenant })
  }

  /** How many tokens are cached. */
  get cachedTokens(): number {
    return this.#cache.size
  }

  /** The credential kind and authority, for logs (never the secret). */
  describe(): Record<string, unknown> {
    return { ...this.#description, cachedTokens: this.#cache.size }
  }
}
redactInstances(TokenClient, (client) => client.describe())
