/**
 * The request target of an HTTP request as a URL on the authority's own origin. Node hands the
 * target over as sent: `//`, `//[`, `http://[` and `*` are no path, and must be refused, not parsed
 * into an exception.
 */

/**
 * What the log shows instead of a target that could not be read (the target itself is not logged:
 * it may hold anything, a secret included).
 *
 * @example
 * ```ts
 * authority.requests.last()?.path // '[unparsable request target]'
 * ```
 */
export const UNPARSABLE_TARGET = '[unparsable request target]'

/**
 * Reads a request target: origin-form (`/path?query`, kept as a path even when it starts with `//`)
 * or absolute-form (`http://host/path`, whose path is kept); anything else is `undefined`.
 *
 * @example
 * ```ts
 * parseRequestTarget('/t/oauth2/v2.0/token?x=1', 'http://127.0.0.1:5312')?.pathname // '/t/oauth2/v2.0/token'
 * parseRequestTarget('//x:99999/', 'http://127.0.0.1:5312')?.pathname               // '//x:99999/'
 * parseRequestTarget('http://[', 'http://127.0.0.1:5312')                            // undefined
 * ```
 */
export function parseRequestTarget(target: string | undefined, origin: string): URL | undefined {
  if (target === undefined || target === '') return undefined
  if (target.startsWith('/')) return onOrigin(URL.parse(`${origin}${target}`), origin)
  const absolute = URL.parse(target)
  if (absolute === null || (absolute.protocol !== 'http:' && absolute.protocol !== 'https:')) return undefined
  return onOrigin(URL.parse(`${origin}${absolute.pathname}${absolute.search}`), origin)
}

/** The URL when it stayed on the authority's origin (a path cannot move it; checked all the same). */
function onOrigin(url: URL | null, origin: string): URL | undefined {
  return url !== null && url.origin === URL.parse(origin)?.origin ? url : undefined
}
