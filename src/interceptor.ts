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

type DispatchOptions = Dispatcher.DispatchOptions
type DispatchHandler = Dispatcher.DispatchHandler
type DispatchController = Dispatcher.DispatchController
type RawHeaders = Exclude<DispatchController['rawHeaders'], undefined>
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
 * `undici.fetch` and, through `setGlobalDispatcher`, Node's global `fetch`. With undici's `redirect`
 * interceptor, in either order, a cross-origin hop gets no token of ours; composed before it (inside),
 * every hop is matched against the routes by its own origin.
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
  return (dispatch) =>
    function authInterceptor(opts, handler) {
      const target = table.get(requestOrigin(opts.origin) ?? '')
      if (target === undefined) return dispatch(opts, handler)
      const headers = headerList(opts.headers)
      if (hasHeader(headers, 'authorization')) return dispatch({ ...opts, headers }, handler)
      new AuthorizingHandler({ source, target, clock, dispatch }, { ...opts, headers }, handler).start()
      return true
    }
}

interface Settings {
  readonly source: TokenSource
  readonly target: TokenTarget
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
    const headers = [...this.#opts.headers, 'authorization', `Bearer ${grant.token.accessToken}`]
    try {
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
    if (statusCode === 401 && this.#grant && !this.#retried && isReplayable(this.#opts.body)) {
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

/**
 * One controller for the caller's handler across both attempts: it acts on the attempt under way and
 * keeps an abort or a pause for the next one.
 */
class ForwardingController implements DispatchController {
  #target: DispatchController | undefined
  #reason: Error | null = null
  #paused = false

  set target(controller: DispatchController) {
    this.#target = controller
    if (this.#reason !== null) controller.abort(this.#reason)
    else if (this.#paused) controller.pause()
  }

  get aborted(): boolean {
    return this.#reason !== null || (this.#target?.aborted ?? false)
  }

  get paused(): boolean {
    return this.#paused
  }

  get reason(): Error | null {
    return this.#reason ?? this.#target?.reason ?? null
  }

  get rawHeaders(): RawHeaders {
    return this.#target?.rawHeaders ?? null
  }

  get rawTrailers(): RawHeaders {
    return this.#target?.rawTrailers ?? null
  }

  abort(reason: Error): void {
    this.#reason ??= reason
    this.#target?.abort(reason)
  }

  pause(): void {
    this.#paused = true
    this.#target?.pause()
  }

  resume(): void {
    this.#paused = false
    this.#target?.resume()
  }
}

/** A copy of `headers` (an object, a flat array, an array of pairs or any iterable of pairs) as a flat array. */
function headerList(headers: DispatchOptions['headers']): string[] {
  if (headers === undefined || headers === null) return []
  if (Array.isArray(headers) && !Array.isArray(headers[0])) return [...headers]
  const list: string[] = []
  const entries: Iterable<readonly [string, unknown]> = isIterable(headers)
    ? headers
    : Object.entries(headers)
  for (const [name, value] of entries) {
    if (value === undefined) continue
    for (const item of Array.isArray(value) ? value : [value])
      list.push(name, item === null ? '' : String(item))
  }
  return list
}

function isIterable(value: object): value is Iterable<readonly [string, unknown]> {
  return typeof (value as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function'
}

function hasHeader(list: readonly string[], name: string): boolean {
  for (let i = 0; i < list.length; i += 2) if (list[i]?.toLowerCase() === name) return true
  return false
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value
}

function isReplayable(body: DispatchOptions['body']): boolean {
  return body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array
}
