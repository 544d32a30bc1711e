/**
 * Dispatchers that send a request somewhere other than where it is addressed, as an app might pass one
 * for token requests (issue 13): they drive the endpoint guard's tests, the leak suite and the fault
 * matrix. All of them stay on loopback: `toLoopback` resolves every name to 127.0.0.1.
 */
import type { LookupFunction } from 'node:net'
import type { Dispatcher } from 'undici'

/** Resolves every name to 127.0.0.1: `token-thief.test` is a non-loopback name reached on loopback. */
export const toLoopback = ((_host, options, callback) => {
  if ((options as { all?: boolean }).all) callback(null, [{ address: '127.0.0.1', family: 4 }])
  else callback(null, '127.0.0.1', 4)
}) as LookupFunction

/** Drops the per-request options it does not know (`maxRedirections` among them), as some wrappers do. */
export const dropsOptions: Dispatcher.DispatcherComposeInterceptor = (dispatch) =>
  function dropsOptions(opts, handler) {
    const { origin, path, method, headers, body } = opts
    return dispatch({ origin, path, method, headers, body } as Dispatcher.DispatchOptions, handler)
  }

/**
 * A hand-written redirect follower: on a 3xx it sends the request again, headers and body included, to
 * the Location, with no redirect history for the handler (unlike undici's own).
 */
export const naiveFollower: Dispatcher.DispatcherComposeInterceptor = (dispatch) =>
  function naiveFollower(opts, handler) {
    let location: string | undefined
    const follow: Dispatcher.DispatchHandler = {
      onRequestStart: (c, ctx) => handler.onRequestStart?.(c, ctx),
      onResponseStart: (c, status, headers, message) => {
        const where = headers.location
        if (status >= 300 && status < 400 && typeof where === 'string') location = where
        else handler.onResponseStart?.(c, status, headers, message)
      },
      onResponseData: (c, chunk) => {
        if (location === undefined) handler.onResponseData?.(c, chunk)
      },
      onResponseEnd: (c, trailers) => {
        if (location === undefined) return handler.onResponseEnd?.(c, trailers)
        const next = new URL(location, `${String(opts.origin)}${opts.path}`)
        dispatch({ ...opts, origin: next.origin, path: next.pathname }, handler)
      },
      onResponseError: (c, error) => handler.onResponseError?.(c, error),
    }
    return dispatch(opts, follow)
  }

/** Sends every request to `origin` instead (a dispatcher that rewrites where requests go). */
export const rewritingTo =
  (origin: string, path?: string): Dispatcher.DispatcherComposeInterceptor =>
  (dispatch) =>
    function rewrite(opts, handler) {
      return dispatch({ ...opts, origin, path: path ?? opts.path }, handler)
    }
