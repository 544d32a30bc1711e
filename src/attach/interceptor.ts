/**
 * The undici interceptor: `new Agent().compose(createAuthInterceptor(client, routes))`. Like undici's own
 * interceptors, a small factory (options validated once, there) around a handler class. It adds
 * `authorization: Bearer …` to requests for the routed origins only, never over the caller's own, never
 * by mutating the caller's options, and answers a 401 with one refresh and one retry when the body is
 * replayable (none, a string or a Buffer).
 */
import type { Dispatcher } from 'undici'
import type { z } from 'zod'
import { systemClock } from '../clock.js'
import { parseWith } from '../validation/parse.js'
import { clockSchema } from '../validation/schemas.js'
import { lazySchema } from '../validation/zod.js'
import { hasHeader, headerList } from './dispatch-headers.js'
import { AuthorizingHandler, type HandlerSettings } from './interceptor-handler.js'
import { originProblem, requestOrigin } from './origins.js'
import { type TokenSource, type TokenTarget, tokenTargetSchema } from './source.js'

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

const routesSchema = lazySchema((z) =>
  z.record(z.string(), tokenTargetSchema()).check((ctx) => {
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
  }),
)

/**
 * Options of {@link createAuthInterceptor} besides the routes.
 *
 * @example
 * ```ts
 * createAuthInterceptor(client, routes, { clock: fakeClock })
 * ```
 */
export const authInterceptorOptionsSchema = lazySchema((z) =>
  z.strictObject({
    /** The token source's clock, to tell a cached token from a fresh one (tests). @defaultValue the system clock */
    clock: clockSchema().optional(),
  }),
)

/**
 * Options of {@link createAuthInterceptor} (see {@link authInterceptorOptionsSchema}).
 *
 * @example
 * ```ts
 * const options: AuthInterceptorOptions = { clock: { now: () => Date.now() } }
 * ```
 */
export type AuthInterceptorOptions = z.input<ReturnType<typeof authInterceptorOptionsSchema>>

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
  const valid = parseWith(routesSchema(), routes, 'interceptor routes')
  const table = new Map(Object.entries(valid).map(([key, target]) => [new URL(key).origin, target] as const))
  const { clock = systemClock } = parseWith(authInterceptorOptionsSchema(), options, 'interceptor options')
  return (dispatch: Dispatcher.Dispatch, boundOrigin?: unknown): Dispatcher.Dispatch => {
    // per composed dispatcher, once: each route's handler settings, and the origin it is bound to
    const routed = new Map<string, HandlerSettings>()
    for (const [origin, target] of table) routed.set(origin, { source, target, origin, clock, dispatch })
    const bound = boundDestination(boundOrigin)
    return function authInterceptor(opts, handler) {
      const origin = bound === FROM_OPTIONS ? requestOrigin(opts.origin) : bound
      const settings = origin === undefined ? undefined : routed.get(origin)
      if (settings === undefined) return dispatch(opts, handler)
      const headers = headerList(opts.headers)
      if (hasHeader(headers, 'authorization')) return dispatch({ ...opts, headers }, handler)
      new AuthorizingHandler(settings, { ...opts, headers }, handler).start()
      return true
    }
  }
}

const FROM_OPTIONS = Symbol('the origin each request names')

/**
 * The origin requests really go to: a `Client` or `Pool` sends to the origin it is bound to, whatever
 * `opts.origin` says (undici's `compose` hands it to interceptors as a second argument); an originless
 * dispatcher (`BalancedPool`, `null`) to one it picks, unknown here; an `Agent` (`undefined`) to each
 * request's `opts.origin` ({@link FROM_OPTIONS}).
 */
function boundDestination(boundOrigin: unknown): string | undefined | typeof FROM_OPTIONS {
  if (boundOrigin === null) return undefined
  return typeof boundOrigin === 'string' ? requestOrigin(boundOrigin) : FROM_OPTIONS
}
