/**
 * `node:diagnostics_channel` reporting: one message per lookup on {@link TOKEN_CHANNEL}, and a
 * `TracingChannel` around each token request on {@link TOKEN_REQUEST_CHANNEL}. Nobody listening costs
 * the library nothing: messages and contexts are only built when a channel has subscribers.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { channel, tracingChannel } from 'node:diagnostics_channel'
import type { Clock } from './clock.js'

/** The channel's name: `diagnostics_channel.subscribe(TOKEN_CHANNEL, listener)`. */
export const TOKEN_CHANNEL = 'oauth-client-credentials:token'

/**
 * How a lookup was served: `hit` fresh from the cache; `stale` from the cache while one background
 * refresh runs; `miss` nothing usable cached, a request was sent; `inflight` joined a request already
 * under way; `refresh` a forced refresh, or a background refresh that succeeded (`background: true`);
 * `error` the request failed (`background` tells whether a caller was waiting on it).
 */
export type TokenLookupEvent = 'hit' | 'stale' | 'miss' | 'inflight' | 'refresh' | 'error'

/**
 * One message on {@link TOKEN_CHANNEL}. It never holds a secret or a token.
 *
 * @example
 * ```ts
 * import { subscribe } from 'node:diagnostics_channel'
 * import { TOKEN_CHANNEL, type TokenLookupMessage } from 'oauth-client-credentials'
 * subscribe(TOKEN_CHANNEL, (m) => {
 *   const msg = m as TokenLookupMessage
 *   metrics.increment(`token.${msg.event}`)
 * })
 * ```
 */
export interface TokenLookupMessage {
  event: TokenLookupEvent
  /** The cache key's readable part: tenant and scope (or resource). */
  key: string
  /** Milliseconds the lookup took (for `miss`, `refresh` and `error`: until the request settled). */
  durationMs: number
  /** For `error`: the error's code. */
  errorCode?: string | undefined
  /**
   * For `miss`, `refresh` and `error` (the lookups that sent a request): whether it was a background
   * refresh, which no caller waits on (a failure is seen by no caller; a `refresh` was not forced).
   */
  background?: boolean | undefined
}

const tokenChannel = channel(TOKEN_CHANNEL)

/** Whether anybody listens (check before building a message). */
export function diagnosticsActive(): boolean {
  return tokenChannel.hasSubscribers
}

/** Publishes one lookup message. */
export function publishLookup(message: TokenLookupMessage): void {
  tokenChannel.publish(message)
}

/**
 * The token-request tracing channel's name.
 *
 * @example
 * ```ts
 * import { tracingChannel } from 'node:diagnostics_channel'
 * const requests = tracingChannel<unknown, TokenRequestContext>(TOKEN_REQUEST_CHANNEL)
 * ```
 */
export const TOKEN_REQUEST_CHANNEL = 'oauth-client-credentials:token-request'

/**
 * One token request on {@link TOKEN_REQUEST_CHANNEL}: the same object at `start`, `end`, `asyncStart`,
 * `asyncEnd` and `error`, filled in as the request goes. A request is what the cache sends on a miss, a
 * forced refresh or a background refresh (a fleet's store answering is not one); retries are attempts
 * of the same request. It never holds a secret, an assertion or a token: the channel's `result` is
 * always `undefined`, and `error` is the error the caller gets.
 *
 * @example
 * ```ts
 * import { tracingChannel } from 'node:diagnostics_channel'
 * import { TOKEN_REQUEST_CHANNEL, type TokenRequestContext } from 'oauth-client-credentials'
 * tracingChannel<unknown, TokenRequestContext>(TOKEN_REQUEST_CHANNEL).subscribe({
 *   start() {},
 *   end() {},
 *   asyncStart() {},
 *   asyncEnd: (request) => metrics.histogram('token.request', request.durationMs ?? 0, { outcome: `${request.outcome}` }),
 *   error() {},
 * })
 * ```
 */
export interface TokenRequestContext {
  /** The token endpoint's host (`undefined` when the cache was not told where requests go). */
  readonly serverAddress: string | undefined
  /** The token endpoint's port (443 or 80 when the URL names none). */
  readonly serverPort: number | undefined
  /** The tenant asked for (`undefined` for a generic authority). */
  readonly tenant: string | undefined
  /** The scope (or v1 resource) asked for. */
  readonly scope: string | undefined
  /** A background refresh: no caller waits on it, and it is not retried. */
  readonly background: boolean
  /** When it replaces a cached token: what that token had left, in ms, as the request started (0 once expired). */
  readonly remainingLifetimeMs: number | undefined
  /** Attempts sent so far: 1 + retries once it settles. */
  readonly attempts: number
  /** How it ended (`undefined` until it settles). */
  readonly outcome: 'success' | 'error' | undefined
  /** On failure: the error's `code` (`UNKNOWN` when it has none). */
  readonly errorCode: string | undefined
  /** Milliseconds from start to settling, retries and their waits included (by the client's clock). */
  readonly durationMs: number | undefined
  /** On failure: the error (set by the tracing channel). */
  readonly error?: unknown
}

/**
 * What the cache knows of a request it starts.
 *
 * @example
 * ```ts
 * const start: TokenRequestStart = { target, background: true, replacing: cachedToken, clock }
 * ```
 */
export interface TokenRequestStart {
  readonly target: {
    readonly tokenEndpoint?: string | undefined
    readonly tenant?: string | undefined
    readonly scope?: string | undefined
  }
  readonly background: boolean
  /** The cached token the request replaces, if any. */
  readonly replacing: { readonly expiresAt: number } | undefined
  readonly clock: Clock
}

type MutableContext = { -readonly [K in keyof TokenRequestContext]: TokenRequestContext[K] }

const requestChannel = tracingChannel<unknown, MutableContext>(TOKEN_REQUEST_CHANNEL)
/** The request under way in this async context: where its retry loop counts attempts. */
const requestScope = new AsyncLocalStorage<MutableContext>()

/**
 * Runs `request` (one token request, retries included) inside the tracing channel when it has
 * subscribers; otherwise returns `request()` itself, nothing built.
 *
 * @example
 * ```ts
 * const token = await traceTokenRequest({ target, background: false, replacing: undefined, clock }, () => send(target))
 * ```
 */
export function traceTokenRequest<T>(start: TokenRequestStart, request: () => Promise<T>): Promise<T> {
  if (!requestChannel.hasSubscribers) return request()
  const context = requestContext(start)
  const startedAt = start.clock.now()
  const settled: { value?: T } = {}
  const traced = async (): Promise<void> => {
    try {
      settled.value = await requestScope.run(context, request)
      context.outcome = 'success'
    } catch (error) {
      context.outcome = 'error'
      context.errorCode = errorCodeOf(error)
      throw error
    } finally {
      context.durationMs = start.clock.now() - startedAt
    }
  }
  return requestChannel.tracePromise(traced, context).then(() => settled.value as T)
}

/**
 * Counts one attempt of the token request under way (none outside {@link traceTokenRequest}).
 *
 * @example
 * ```ts
 * for (let attempt = 0; ; attempt++) {
 *   noteTokenRequestAttempt() // the retry loop, before each attempt
 * }
 * ```
 */
export function noteTokenRequestAttempt(): void {
  const context = requestScope.getStore()
  if (context !== undefined) context.attempts++
}

function requestContext({ target, background, replacing, clock }: TokenRequestStart): MutableContext {
  const server = serverOf(target.tokenEndpoint)
  return {
    serverAddress: server?.address,
    serverPort: server?.port,
    tenant: target.tenant,
    scope: target.scope,
    background,
    remainingLifetimeMs: replacing && Math.max(0, replacing.expiresAt - clock.now()),
    attempts: 0,
    outcome: undefined,
    errorCode: undefined,
    durationMs: undefined,
  }
}

function serverOf(endpoint: string | undefined): { address: string; port: number } | undefined {
  const url = endpoint === undefined ? null : URL.parse(endpoint)
  if (url === null) return undefined
  const address = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname
  return { address, port: Number(url.port) || (url.protocol === 'http:' ? 80 : 443) }
}

/** An error's `code`, as the channels report it. */
function errorCodeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null | undefined)?.code
  return typeof code === 'string' ? code : 'UNKNOWN'
}
