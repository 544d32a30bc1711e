/**
 * The undici interceptor: `new Agent().compose(createAuthInterceptor(client, routes))`. Like undici's own
 * interceptors, a small factory (options validated once, there) around a handler class. It adds
 * `authorization: Bearer …` to requests for the routed origins only, never over the caller's own, never
 * by mutating the caller's options, and answers a 401 with one refresh and one retry when the body is
 * replayable (none, a string or a Buffer).
 */
import type { Dispatcher } from 'undici'
import { z } from 'zod'
import { type Clock, systemClock } from './clock.js'
import { hasHeader, headerList, headerValue, isReplayable } from './dispatch-headers.js'
import { ForwardingController } from './forwarding-controller.js'
import { parseWith } from './options.js'
import {
  clockSchema,
  type Grant,
  grantFor,
  grantForRetry,
  originProblem,
  requestOrigin,
  retryPlan,
  type TokenSource,
  type TokenTarget,
  tokenTargetSchema,
} from './origins.js'
import { sendableToken } from './token.js'

type DispatchOptions = Dispatcher.DispatchOptions
type DispatchHandler = Dispatcher.DispatchHandler
type DispatchController = Dispatcher.DispatchController
type IncomingHeaders = Parameters<NonNullable<DispatchHandler['onResponseStart']>>[2]
type Socket = Parameters<NonNullable<DispatchHandler['onRequestUpgrade']>>[3]

/**
 * Which origin gets a token for which API: origin (`https://host[:port]`) → what `getToken` takes
 * (an App ID URI string, or `{ scope }` / `{ resource }`).
 *
 * @example
 * ```ts
 * const routes: AuthRoutes = {
 *   'https://api.contoso.com': 'api://myapis/mywebapi',
 *   'https://graph.microsoft.com': { scope: 'https://graph.microsoft.com/.default' },
 * }
 * ```
 */
export type AuthRoutes = Readonly<Record<string, TokenTarget>>

const routesSchema = z.record(z.string(), tokenTargetSchema).check((ctx) => {
  const seen = new Map<string, string>()
  for (const key of Object.keys(ctx.value)) {
    const problem = originProblem(key)
    const origin = problem ? undefined : new URL(key).origin
    const clash = origin === undefined ? undefined : seen.get(origin)
    const message = problem ?? (clash === undefined ? undefined : `is the same origin as '${clash}'`)
    if (message) ctx.issues.push({ code: 'custom', input: key, message, path: [key] })
    if (origin !== undefined) seen.set(origin, key)
  }
  if (Object.keys(ctx.value).length === 0) {
    ctx.issues.push({ code: 'custom', input: ctx.value, message: 'is empty: route at least one origin' })
  }
})

/**
 * Options of {@link createAuthInterceptor} besides the routes.
 *
 * @example
 * ```ts
 * createAuthInterceptor(client, routes, { clock: fakeClock })
 * ```
 */
export const authInterceptorOptionsSchema = z.strictObject({
  /** The token source's clock, to tell a cached token from a fresh one (tests). @defaultValue the system clock */
  clock: clockSchema.optional(),
})

/**
 * Options of {@link createAuthInterceptor} (see {@link authInterceptorOptionsSchema}).
 *
 * @example
 * ```ts
 * const options: AuthInterceptorOptions = { clock: { now: () => Date.now() } }
 * ```
 */
export type AuthInterceptorOptions = z.input<typeof authInterceptorOptionsSchema>

/**
 * An undici interceptor that authorizes requests to the routed origins with tokens from `source`;
 * requests to other origins pass untouched. When no token can be had the request is not sent and the
 * error reaches the caller. Works with `Agent#compose` (and `Pool`, `Client`), `undici.request`,
 * `undici.fetch` and, through `setGlobalDispatcher`, Node's global `fetch`. A request is matched by where
 * it really goes: composed on a `Client` or `Pool`, by the origin that dispatcher is bound to (undici ≥ 8.13
 * tells its interceptors), whatever origin the request names; on a `BalancedPool`, never. With undici's
 * `redirect` interceptor, in either order, a cross-origin hop gets no token of ours and a 401 from
 * another origin is passed on, never retried; composed before it (inside), every hop is matched against
 * the routes by its own origin.
 *
 * @example
 * ```ts
 * import { Agent, setGlobalDispatcher } from 'undici'
 * const agent = new Agent().compose(
 *   createAuthInterceptor(client, { 'https://api.contoso.com': 'api://myapis/mywebapi' }),
 * )
 * setGlobalDispatcher(agent) // fetch('https://api.contoso.com/orders') now carries the token
 * ```
 */
export function createAuthInterceptor(
  source: TokenSource,
  routes: AuthRoutes,
  options: AuthInterceptorOptions = {},
): Dispatcher.DispatcherComposeInterceptor {
  const valid = parseWith(routesSchema, routes, 'interceptor routes')
  const table = new Map(Object.entries(valid).map(([key, target]) => [new URL(key).origin, target] as const))
  const { clock = systemClock } = parseWith(authInterceptorOptionsSchema, options, 'interceptor options')
  return (dispatch: Dispatcher.Dispatch, boundOrigin?: unknown): Dispatcher.Dispatch =>
    function authInterceptor(opts, handler) {
      const origin = destinationOf(opts, boundOrigin)
      const target = origin === undefined ? undefined : table.get(origin)
      if (origin === undefined || target === undefined) return dispatch(opts, handler)
      const headers = headerList(opts.headers)
      if (hasHeader(headers, 'authorization')) return dispatch({ ...opts, headers }, handler)
      const settings = { source, target, origin, clock, dispatch }
      new AuthorizingHandler(settings, { ...opts, headers }, handler).start()
      return true
    }
}

/**
 * The origin a request really goes to: a `Client` or `Pool` sends to the origin it is bound to, whatever
 * `opts.origin` says (undici's `compose` hands it to interceptors as a second argument); an originless
 * dispatcher (`BalancedPool`, `null`) to one it picks, unknown here; an `Agent` (`undefined`) to
 * `opts.origin`.
 */
function destinationOf(opts: DispatchOptions, boundOrigin: unknown): string | undefined {
  if (boundOrigin === null) return undefined
  return requestOrigin(typeof boundOrigin === 'string' ? boundOrigin : opts.origin)
}

interface Settings {
  readonly source: TokenSource
  readonly target: TokenTarget
  /** The origin the request goes to (a routed one). */
  readonly origin: string
  readonly clock: Clock
  readonly dispatch: Dispatcher.Dispatch
}

/**
 * Sends one request with a token, and once more after a 401 when that can help: the refused answer is
 * drained, not shown to the caller's handler, which sees exactly one response (or one error).
 */
class AuthorizingHandler implements DispatchHandler {
  readonly #settings: Settings
  readonly #opts: DispatchOptions & { headers: string[] }
  readonly #handler: DispatchHandler
  readonly #controller = new ForwardingController()
  #grant: Grant | undefined
  /** The token for the retry, while the refused answer is drained. */
  #retry: Promise<Grant> | undefined
  #retried = false
  #started = false
  #done = false
  /** The hops of the attempt under way, as a redirect handler records them (undici hands them over). */
  #history: readonly unknown[] | undefined
  /** How often the attempt under way started (more than once: a handler in between sent it again). */
  #starts = 0

  constructor(settings: Settings, opts: DispatchOptions & { headers: string[] }, handler: DispatchHandler) {
    this.#settings = settings
    this.#opts = opts
    this.#handler = handler
  }

  start(): void {
    const { source, target, clock } = this.#settings
    grantFor(source, target, clock).then(
      (grant) => this.#send(grant),
      (error: unknown) => this.#fail(error),
    )
  }

  #send(grant: Grant): void {
    if (this.#done) return
    const reason = this.#controller.reason
    if (reason !== null) {
      this.#fail(reason)
      return
    }
    this.#grant = grant
    this.#history = undefined
    this.#starts = 0
    try {
      const headers = [...this.#opts.headers, 'authorization', `Bearer ${sendableToken(grant.token)}`]
      this.#settings.dispatch({ ...this.#opts, headers }, this)
    } catch (error) {
      this.#fail(error)
    }
  }

  #fail(error: unknown): void {
    if (this.#done) return
    this.#done = true
    this.#handler.onResponseError?.(
      this.#controller,
      error instanceof Error ? error : new Error(String(error)),
    )
  }

  onRequestStart(controller: DispatchController, context: unknown): void {
    this.#controller.target = controller
    this.#starts++
    const history = (context as { history?: unknown } | null | undefined)?.history
    if (Array.isArray(history)) this.#history = history
    if (this.#started) return
    this.#started = true
    this.#handler.onRequestStart?.(this.#controller, context)
  }

  onRequestUpgrade(
    _c: DispatchController,
    statusCode: number,
    headers: IncomingHeaders,
    socket: Socket,
  ): void {
    this.#done = true
    this.#handler.onRequestUpgrade?.(this.#controller, statusCode, headers, socket)
  }

  onResponseStart(
    _c: DispatchController,
    statusCode: number,
    headers: IncomingHeaders,
    statusMessage?: string,
  ): void {
    if (
      statusCode === 401 &&
      this.#grant &&
      !this.#retried &&
      isReplayable(this.#opts.body) &&
      this.#answeredByOrigin()
    ) {
      const plan = retryPlan(this.#grant, headerValue(headers['www-authenticate']))
      if (plan !== undefined) {
        const { source, target } = this.#settings
        this.#retried = true
        this.#retry = grantForRetry(source, target, this.#grant, plan)
        this.#retry.catch(() => undefined) // handled when the refused answer has been drained
        return
      }
    }
    this.#handler.onResponseStart?.(this.#controller, statusCode, headers, statusMessage)
  }

  /**
   * Whether the answer under way came from the routed origin: the last hop a redirect handler recorded
   * is on it, or there was only the one hop. A hop we cannot place (sent again without a history) is not.
   */
  #answeredByOrigin(): boolean {
    const history = this.#history
    if (history === undefined || history.length === 0) return this.#starts <= 1
    return requestOrigin(history[history.length - 1]) === this.#settings.origin
  }

  onResponseData(_c: DispatchController, chunk: Buffer): void {
    if (this.#retry === undefined) this.#handler.onResponseData?.(this.#controller, chunk)
  }

  onResponseEnd(_c: DispatchController, trailers: IncomingHeaders): void {
    const retry = this.#retry
    if (retry === undefined) {
      this.#done = true
      this.#handler.onResponseEnd?.(this.#controller, trailers)
      return
    }
    this.#retry = undefined
    retry.then(
      (grant) => this.#send(grant),
      (error: unknown) => this.#fail(error),
    )
  }

  onResponseError(_c: DispatchController, error: Error): void {
    this.#retry = undefined
    this.#fail(error)
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
}
