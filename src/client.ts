/**
 * `TokenClient`: options → credential, targets, cache and transport, composed. The cache knows nothing
 * of HTTP and the transport nothing of caching; this file joins them.
 */
import { randomUUID } from 'node:crypto'
import type { Dispatcher } from 'undici'
import { CLOUD_HOSTS, normalizeAuthorityHost } from './authority.js'
import { type AzureTokenCredential, type TokenCredentialOptions, toTokenCredential } from './azure.js'
import { DEFAULT_REFRESH_WINDOW_MS, type FetchContext, TokenCache, tokenTimes } from './cache.js'
import { type Clock, systemClock } from './clock.js'
import { createCredential } from './credentials/create.js'
import type { Credential } from './credentials/credential.js'
import { noteTokenRequestAttempt } from './diagnostics.js'
import { type Environment, optionsFromEnvironment } from './env.js'
import { type AuthorizedFetchOptions, createAuthorizedFetch, type FetchFunction } from './fetch.js'
import { checkGetTokenOptions, checkResourceArgument } from './get-token-arguments.js'
import { type AuthRoutes, createAuthInterceptor } from './interceptor.js'
import {
  type GetTokenOptions,
  type Logger,
  parseTokenClientOptions,
  type TokenClientOptions,
  type TokenRequest,
  type ValidTokenClientOptions,
} from './options.js'
import { redactInstances } from './redact.js'
import { parseTokenResponse } from './response.js'
import { isRetryable, retryAfterOf, retryDelayMs, sleep } from './retry.js'
import { type AuthorityConfig, type Target, Targets } from './target.js'
import { AccessToken, storedToken } from './token.js'
import { defaultDispatcher, postForm } from './transport.js'
import { VERSION } from './version.js'

const DEFAULTS = {
  maxEntries: 10_000,
  timeoutMs: 10_000,
  retries: 2,
  maxRetryDelayMs: 60_000,
  maxResponseBytes: 1024 * 1024,
} as const

const USER_AGENT = `oauth-client-credentials/${VERSION} node/${process.versions.node}`

interface HttpSettings {
  dispatcher: Dispatcher | undefined
  timeoutMs: number
  retries: number
  maxRetryDelayMs: number
  maxResponseBytes: number
}

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
  readonly #targets: Targets
  readonly #cache: TokenCache<Target, AccessToken>
  readonly #clock: Clock
  readonly #logger: Logger | undefined
  readonly #http: HttpSettings
  readonly #windowMs: number

  /** Validates `options` (throwing one `ConfigurationError` naming the option) and sets the client up. */
  constructor(options: TokenClientOptions) {
    const o = parseTokenClientOptions(options)
    this.clientId = o.clientId
    this.#authority = authorityOf(o)
    this.#clock = o.clock ?? systemClock
    this.#logger = o.logger
    this.#windowMs = o.refresh?.windowMs ?? DEFAULT_REFRESH_WINDOW_MS
    this.#http = {
      dispatcher: o.http?.dispatcher,
      timeoutMs: o.http?.timeoutMs ?? DEFAULTS.timeoutMs,
      retries: o.http?.retries ?? DEFAULTS.retries,
      maxRetryDelayMs: o.http?.maxRetryDelayMs ?? DEFAULTS.maxRetryDelayMs,
      maxResponseBytes: o.http?.maxResponseBytes ?? DEFAULTS.maxResponseBytes,
    }
    this.#credential = createCredential(o.credential, {
      authMethod: o.authMethod,
      logger: o.logger,
      clock: this.#clock,
    })
    const maxEntries = o.cache?.maxEntries ?? DEFAULTS.maxEntries
    this.#targets = new Targets(this.#authority, maxEntries)
    this.#cache = new TokenCache({
      maxEntries,
      clock: this.#clock,
      fetch: (target, ctx) => this.#fetch(target, ctx),
      onBackgroundError: (label, error, info) =>
        this.#logger?.warn?.('Background token refresh failed; the cached token stays in service.', {
          target: label,
          code: (error as { code?: unknown }).code,
          error: error instanceof Error ? error.message : String(error),
          failures: info.failures,
          nextAttemptAt: new Date(info.retryAt).toISOString(),
        }),
      store: o.cache?.store && {
        store: o.cache.store,
        keyPrefix: storeKeyPrefix(this.#authority, this.clientId),
        toStored: storedToken,
        revive: (stored) => new AccessToken(stored),
        logger: o.logger,
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
      if (options === undefined) return this.#cache.lookup(this.#targets.resolve(resource, undefined))
      const checked = checkGetTokenOptions(options)
      const target = this.#targets.resolve(resource, checked.tenant)
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

  async #fetch(target: Target, ctx: FetchContext): Promise<AccessToken> {
    const attempts = ctx.background ? 1 : 1 + this.#http.retries
    for (let attempt = 0; ; attempt++) {
      noteTokenRequestAttempt()
      try {
        return await this.#attempt(target, ctx.claims)
      } catch (error) {
        const delayMs =
          attempt + 1 < attempts && isRetryable(error) ? this.#retryDelay(attempt, error) : undefined
        if (delayMs === undefined) throw error
        this.#logger?.debug?.('Token request failed; retrying.', {
          target: target.label,
          attempt: attempt + 1,
          delayMs,
        })
        await sleep(delayMs)
      }
    }
  }

  #retryDelay(attempt: number, error: unknown): number | undefined {
    const delayMs = retryDelayMs(attempt, retryAfterOf(error), Math.random)
    return delayMs <= this.#http.maxRetryDelayMs ? delayMs : undefined
  }

  /** The form and headers of one attempt, the credential applied (a fresh assertion each time). */
  async #request(target: Target, claims: string | undefined) {
    const clientRequestId = randomUUID()
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: this.clientId })
    for (const [name, value] of target.params) form.append(name, value)
    if (claims !== undefined) form.set('claims', claims)
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
      'user-agent': USER_AGENT,
      'client-request-id': clientRequestId,
    }
    if (this.#authority.kind === 'entra') headers['x-ms-lib-capability'] = 'retry-after, h429'
    // the credential (an assertion callback, a file) gets the request's time budget, and no longer
    const controller = new AbortController()
    const timer = setTimeout(
      () => controller.abort(new DOMException('The credential did not answer in time.', 'TimeoutError')),
      this.#http.timeoutMs,
    )
    try {
      const context = {
        clientId: this.clientId,
        tokenEndpoint: target.tokenEndpoint,
        clock: this.#clock,
        signal: controller.signal,
      }
      await this.#credential.authenticate({ form, headers }, context)
    } finally {
      clearTimeout(timer)
    }
    return { form, headers, clientRequestId }
  }

  async #attempt(target: Target, claims: string | undefined): Promise<AccessToken> {
    const { form, headers, clientRequestId } = await this.#request(target, claims)
    const raw = await postForm(
      { url: target.tokenEndpoint, body: form.toString(), headers, clientRequestId },
      {
        dispatcher: this.#http.dispatcher ?? defaultDispatcher(),
        timeoutMs: this.#http.timeoutMs,
        maxResponseBytes: this.#http.maxResponseBytes,
        clock: this.#clock,
      },
    )
    const parsed = parseTokenResponse(raw, {
      secretLooksLikeId: this.#credential.secretLooksLikeId,
      endpointVersion: this.#authority.kind === 'entra' ? this.#authority.version : undefined,
    })
    const times = tokenTimes(raw.sentAt, parsed.expiresInSec, parsed.refreshInSec, this.#windowMs)
    return new AccessToken({
      accessToken: parsed.accessToken,
      requestedAt: raw.sentAt,
      ...times,
      scope: target.scope,
      tenant: target.tenant,
    })
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
