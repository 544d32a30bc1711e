/**
 * Keeps every hop of a token request on the configured token endpoint, whatever dispatcher the app passed
 * (issue 13). A token request carries the client secret or assertion: a dispatcher that follows redirects
 * (undici's `interceptors.redirect`, or a hand-written one), sends requests where its own `Client`/`Pool`
 * is bound, or rewrites where they go must not take it anywhere else. Four checks, each before a byte of
 * the request is written to the wrong place:
 * - the request asks every redirect interceptor not to follow (`maxRedirections: 0`, which undici's
 *   honours, as undici's own `fetch` asks), so a 3xx comes back to the transport and is refused there;
 * - a dispatcher bound to another origin (a `Client` or `Pool`, as `compose` tells an interceptor) is
 *   refused before dispatch;
 * - a hop after a followed redirect (undici's redirect handler hands each hop its history) is aborted at
 *   its start, and an answer from anywhere but the endpoint is refused;
 * - each request undici creates for it is checked where it really goes (`request-watch.ts`): one bound
 *   anywhere but the endpoint is aborted when it starts.
 */
import { isIP } from 'node:net'
import type { Dispatcher } from 'undici'
import { isLoopbackHost } from './authority.js'
import { TransportError } from './errors.js'
import { type CreatedRequest, watchRequests } from './request-watch.js'

type DispatchHandler = Dispatcher.DispatchHandler
type DispatchController = Dispatcher.DispatchController
type IncomingHeaders = Parameters<NonNullable<DispatchHandler['onResponseStart']>>[2]

/** The token request, as errors name it. */
export interface GuardedRequest {
  readonly url: string
  readonly clientRequestId: string
}

/**
 * The app's dispatcher, wrapped for one token request, and how to let go of it.
 *
 * @example
 * ```ts
 * const guard = guardEndpoint(dispatcher, { url, clientRequestId })
 * try { await request(url, { dispatcher: guard.dispatcher, … }) } finally { guard.close() }
 * ```
 */
export interface EndpointGuard {
  readonly dispatcher: Dispatcher
  /** Stops watching the request: call it when the answer has been read (or the request failed). */
  close(): void
}

/**
 * Wraps `dispatcher` so that the token request `info` (whose headers must carry `client-request-id:
 * info.clientRequestId`) goes to `info.url` and nowhere else.
 *
 * @example
 * ```ts
 * const guard = guardEndpoint(settings.dispatcher, { url: post.url, clientRequestId: post.clientRequestId })
 * ```
 */
export function guardEndpoint(dispatcher: Dispatcher, info: GuardedRequest): EndpointGuard {
  const endpoint = new URL(info.url)
  let misrouted: TransportError | undefined
  const interceptor = (dispatch: Dispatcher.Dispatch, boundOrigin?: unknown): Dispatcher.Dispatch =>
    function keepOnEndpoint(opts, handler) {
      if (typeof boundOrigin === 'string' && originOf(boundOrigin) !== endpoint.origin) {
        throw misroutedError(boundOrigin, info)
      }
      const guard = new HopGuard(handler, endpoint, info, () => misrouted)
      return dispatch({ ...opts, maxRedirections: 0 } as Dispatcher.DispatchOptions, guard)
    }
  // a dispatcher without `compose` (not undici's): one that inherits from it, with the guarded dispatch
  const guarded =
    typeof dispatcher.compose === 'function'
      ? dispatcher.compose(interceptor)
      : (Object.create(dispatcher, {
          dispatch: { value: interceptor(dispatcher.dispatch.bind(dispatcher)) },
        }) as Dispatcher)
  const close = watchRequests(info.clientRequestId, (created) => {
    if (misrouted === undefined && !isOnEndpoint(created, endpoint)) {
      misrouted = misroutedError(describe(created), info)
    }
  })
  return { dispatcher: guarded, close }
}

/**
 * Passes every callback on, and refuses a hop (at its start, before it is written) or an answer that is
 * not the token endpoint's.
 */
class HopGuard implements DispatchHandler {
  readonly #handler: DispatchHandler
  readonly #endpoint: URL
  readonly #info: GuardedRequest
  readonly #misrouted: () => TransportError | undefined
  #history: readonly unknown[] | undefined
  #refused = false

  constructor(
    handler: DispatchHandler,
    endpoint: URL,
    info: GuardedRequest,
    misrouted: () => TransportError | undefined,
  ) {
    this.#handler = handler
    this.#endpoint = endpoint
    this.#info = info
    this.#misrouted = misrouted
  }

  onRequestStart(controller: DispatchController, context: unknown): void {
    this.#handler.onRequestStart?.(controller, context)
    const history = (context as { history?: unknown } | null | undefined)?.history
    if (Array.isArray(history)) this.#history = history
    // a redirect handler records each hop when its answer comes: any entry now means a redirect was followed
    const followed = this.#history !== undefined && this.#history.length > 0
    this.#refuse(controller, followed ? redirectFollowedError(this.#info) : this.#misrouted())
  }

  onResponseStart(
    controller: DispatchController,
    statusCode: number,
    headers: IncomingHeaders,
    statusMessage?: string,
  ): void {
    if (this.#refused) return
    const answeredBy = this.#history ?? []
    const elsewhere = answeredBy.length > 1 || answeredBy.some((url) => String(url) !== this.#endpoint.href)
    this.#refuse(controller, elsewhere ? redirectFollowedError(this.#info) : this.#misrouted())
    if (!this.#refused) this.#handler.onResponseStart?.(controller, statusCode, headers, statusMessage)
  }

  onResponseData(controller: DispatchController, chunk: Buffer): void {
    if (!this.#refused) this.#handler.onResponseData?.(controller, chunk)
  }

  onResponseEnd(controller: DispatchController, trailers: IncomingHeaders): void {
    if (!this.#refused) this.#handler.onResponseEnd?.(controller, trailers)
  }

  onResponseError(controller: DispatchController, error: Error): void {
    this.#handler.onResponseError?.(controller, error)
  }

  onRequestUpgrade(...args: Parameters<NonNullable<DispatchHandler['onRequestUpgrade']>>): void {
    this.#handler.onRequestUpgrade?.(...args)
  }

  onResponseStarted(): void {
    this.#handler.onResponseStarted?.()
  }

  onBodySent(chunk: Buffer): void {
    this.#handler.onBodySent?.(chunk)
  }

  onRequestSent(): void {
    this.#handler.onRequestSent?.()
  }

  #refuse(controller: DispatchController, problem: TransportError | undefined): void {
    if (problem === undefined || this.#refused) return
    this.#refused = true
    controller.abort(problem)
  }
}

/**
 * Whether a request undici created goes to `endpoint`: the same origin and path; or the endpoint's host
 * resolved to an address by the dispatcher (undici's `dns` interceptor): an IP literal with the same
 * scheme and port whose `Host` header names the endpoint, and over plain http a loopback address.
 */
function isOnEndpoint(created: CreatedRequest, endpoint: URL): boolean {
  let url: URL
  try {
    url = new URL(created.origin)
  } catch {
    return false
  }
  if (created.path !== `${endpoint.pathname}${endpoint.search}`) return false
  if (url.origin === endpoint.origin) return true
  return (
    url.protocol === endpoint.protocol &&
    url.port === endpoint.port &&
    isIP(url.hostname.replace(/^\[(.*)\]$/, '$1')) !== 0 &&
    created.host?.toLowerCase() === endpoint.host &&
    (url.protocol === 'https:' || isLoopbackHost(url.hostname))
  )
}

function originOf(value: string): string | undefined {
  try {
    return new URL(value).origin
  } catch {
    return undefined
  }
}

/** Where a created request goes, without its query. */
function describe(created: CreatedRequest): string {
  const origin = originOf(created.origin) ?? created.origin
  return `${origin}${created.path.split('?')[0] ?? ''}`
}

const REDIRECT_HINT =
  'Configure the final token endpoint URL: credentials are never sent on to a redirect target.'

function redirectFollowedError(info: GuardedRequest): TransportError {
  return new TransportError(
    'redirect',
    'The token endpoint redirected and the dispatcher followed; the token request was stopped before anything was sent to the redirect target.',
    info,
    { hint: REDIRECT_HINT },
  )
}

function misroutedError(where: string, info: GuardedRequest): TransportError {
  return new TransportError(
    'misrouted',
    `The dispatcher would have sent the token request to ${where}, not to the token endpoint; it was stopped before anything was written.`,
    info,
    {
      hint: 'Pass an http.dispatcher that sends requests where they are addressed (an Agent, a ProxyAgent, or a Pool for the token endpoint origin). Through a proxy, plain http is refused: list a local authority in NO_PROXY.',
    },
  )
}
