/**
 * `TokenClient`: options → credential, targets, cache and transport, composed. The cache knows nothing
 * of HTTP and the transport nothing of caching; this file joins them.
 */
import type { Dispatcher } from 'undici'
import { type AzureTokenCredential, type TokenCredentialOptions, toTokenCredential } from './attach/azure.js'
import { type AuthorizedFetchOptions, createAuthorizedFetch, type FetchFunction } from './attach/fetch.js'
import { type AuthRoutes, createAuthInterceptor } from './attach/interceptor.js'
import { CLOUD_HOSTS, normalizeAuthorityHost } from './authority.js'
import { TokenCache } from './cache.js'
import type { Clock } from './clock.js'
import { createCredential } from './credentials/create.js'
import type { Credential } from './credentials/credential.js'
import { type Environment, optionsFromEnvironment } from './env.js'
import { checkResourceArgument } from './get-token-arguments.js'
import {
  type GetTokenOptions,
  type Logger,
  parseGetTokenOptions,
  parseTokenClientOptions,
  type TokenClientOptions,
  type TokenRequest,
  type ValidTokenClientOptions,
} from './options.js'
import { redactInstances } from './redact.js'
import { type AuthorityConfig, RequestResolver, type ResolvedRequest } from './target.js'
import { AccessToken, storedToken } from './token.js'
import { createTokenRequest } from './token-request.js'

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
  readonly #credential: Credential
  readonly #requests: RequestResolver
  readonly #cache: TokenCache<ResolvedRequest, AccessToken>
  readonly #clock: Clock

  /** Validates `options` (throwing one `ConfigurationError` naming the option) and sets the client up. */
  constructor(options: TokenClientOptions) {
    const o = parseTokenClientOptions(options)
    const { clock, logger } = o
    this.clientId = o.clientId
    this.#clock = clock
    this.#authority = authorityOf(o)
    this.#credential = createCredential(o.credential, { authMethod: o.authMethod, logger, clock })
    this.#requests = new RequestResolver(this.#authority, o.cache.maxEntries)
    const request = createTokenRequest({
      clientId: o.clientId,
      authority: this.#authority,
      credential: this.#credential,
      clock,
      logger,
      http: o.http,
      refreshWindowMs: o.refresh.windowMs,
    })
    this.#cache = new TokenCache({
      maxEntries: o.cache.maxEntries,
      clock,
      fetch: request,
      onBackgroundError: (label, error, info) => logBackgroundError(logger, label, error, info),
      store: o.cache.store && {
        store: o.cache.store,
        keyPrefix: storeKeyPrefix(this.#authority, this.clientId),
        toStored: storedToken,
        revive: (stored) => new AccessToken(stored),
        logger,
      },
    })
  }

  /**
   * A client configured from the variables `@azure/identity` users already set: `AZURE_TENANT_ID`,
   * `AZURE_CLIENT_ID`, and one of `AZURE_CLIENT_SECRET`, `AZURE_CLIENT_CERTIFICATE_PATH`
   * (+ `AZURE_CLIENT_CERTIFICATE_PASSWORD`, `AZURE_CLIENT_SEND_CERTIFICATE_CHAIN`) or
   * `AZURE_FEDERATED_TOKEN_FILE`; `AZURE_AUTHORITY_HOST`. `overrides` win; what is missing is named.
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
    try {
      checkResourceArgument(resource, this.#authority.kind)
      if (options === undefined) return this.#cache.lookup(this.#requests.resolve(resource, undefined))
      const checked = parseGetTokenOptions(options)
      const target = this.#requests.resolve(resource, checked.tenant)
      return this.#cache.lookup(target, checked)
    } catch (error) {
      return Promise.reject(error)
    }
  }

  /**
   * Forgets every cached token. Requests in flight still answer their callers but cache nothing.
   *
   * @example
   * ```ts
   * client.clearCache()
   * ```
   */
  clearCache(): void {
    this.#cache.clear()
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
    const authority = this.#authority
    return {
      clientId: this.clientId,
      credential: this.#credential.kind,
      ...(authority.kind === 'entra'
        ? {
            authorityHost: authority.authorityHost,
            tenant: authority.tenant,
            endpointVersion: authority.version,
          }
        : { tokenEndpoint: authority.tokenEndpoint }),
      cachedTokens: this.#cache.size,
    }
  }
}
redactInstances(TokenClient, (client) => client.describe())

function authorityOf(o: ValidTokenClientOptions): AuthorityConfig {
  if (o.tokenEndpoint !== undefined) return { kind: 'generic', tokenEndpoint: o.tokenEndpoint }
  const host = o.authorityHost ?? CLOUD_HOSTS[o.cloud ?? 'AzurePublic']
  return {
    kind: 'entra',
    authorityHost: normalizeAuthorityHost(host),
    tenant: o.tenant as string,
    version: o.endpointVersion ?? 'v2',
  }
}

/** Names the client in a shared store's keys: its authority (host, or generic token endpoint) and client id. */
function storeKeyPrefix(authority: AuthorityConfig, clientId: string): string {
  const where = authority.kind === 'entra' ? authority.authorityHost : authority.tokenEndpoint
  return `${where}\u0000${clientId}`
}

function logBackgroundError(
  logger: Logger | undefined,
  label: string,
  error: unknown,
  info: { failures: number; retryAt: number },
): void {
  logger?.warn?.('Background token refresh failed; the cached token stays in service.', {
    target: label,
    code: (error as { code?: unknown }).code,
    error: error instanceof Error ? error.message : String(error),
    failures: info.failures,
    nextAttemptAt: new Date(info.retryAt).toISOString(),
  })
}
