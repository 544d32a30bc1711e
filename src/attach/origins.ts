/**
 * Origin matching: which origins may receive a token (https only, loopback http aside) and the origin a
 * request goes to.
 */
import { insecureUrlProblem } from '../authority.js'
import { lazySchema } from '../validation/zod.js'

/**
 * Why `value` cannot name an origin that tokens are sent to, or `undefined` when it can: an https
 * origin (http only for loopback hosts), without credentials, path, query or fragment.
 *
 * @example
 * ```ts
 * originProblem('https://api.contoso.com/orders') // 'must be an origin only …'
 * ```
 */
export function originProblem(value: string): string | undefined {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return 'is not a valid URL'
  }
  const insecure = insecureUrlProblem(url)
  if (insecure) return `${insecure} Bearer tokens travel over TLS only (RFC 6750 §5.3).`
  if (url.username || url.password) return 'must not hold a user name or password'
  if (url.pathname !== '/' || url.search || url.hash || /[?#]/.test(value)) {
    return 'must be an origin only (scheme://host[:port]): tokens are attached by origin, not by path'
  }
  return undefined
}

/**
 * An origin string, checked by {@link originProblem} and normalised.
 *
 * @example
 * ```ts
 * originSchema().parse('https://API.contoso.com:443/') // 'https://api.contoso.com'
 * ```
 */
export const originSchema = lazySchema((z) =>
  z
    .string()
    .check((ctx) => {
      const problem = originProblem(ctx.value)
      if (problem) ctx.issues.push({ code: 'custom', input: ctx.value, message: problem })
    })
    .transform((value) => new URL(value).origin),
)

/**
 * The origin of a request URL given as a string or `URL` (scheme, lower-cased host, port without the
 * scheme's default), or `undefined` for anything else: not an absolute http(s) URL, or another kind of
 * value (which therefore never gets a token).
 *
 * @example
 * ```ts
 * requestOrigin('HTTPS://API.contoso.com:443/orders?id=1') // 'https://api.contoso.com'
 * ```
 */
export function requestOrigin(url: unknown): string | undefined {
  if (typeof url === 'string') {
    // the usual URL, `scheme://host[:port]` in plain lower case then a path, query or nothing: its origin
    // is that prefix's, parsed once and remembered (issue 17: no URL parsed per request)
    const prefix = PLAIN_PREFIX.exec(url)?.[0]
    return prefix === undefined ? parseOrigin(url) : memoisedOrigin(prefix)
  }
  if (url instanceof URL)
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : undefined
  return undefined
}

/**
 * `http(s)://host[:port]` with nothing the URL parser would rewrite or that could hide another host
 * (no upper case, user info, percent-escape, backslash or white space), followed by a path, a query, a
 * fragment or the end: the origin of such a URL is the origin of this prefix alone.
 */
const PLAIN_PREFIX = /^https?:\/\/[a-z0-9.-]+(?::[0-9]{1,5})?(?=[/?#]|$)/
/** Origins of the prefixes seen; emptied when full, so any sequence of URLs keeps it small. */
const origins = new Map<string, string | undefined>()
const MAX_REMEMBERED = 256

function memoisedOrigin(prefix: string): string | undefined {
  const known = origins.get(prefix)
  if (known !== undefined || origins.has(prefix)) return known
  if (origins.size >= MAX_REMEMBERED) origins.clear()
  const origin = parseOrigin(prefix)
  origins.set(prefix, origin)
  return origin
}

function parseOrigin(href: string): string | undefined {
  let parsed: URL
  try {
    parsed = new URL(href)
  } catch {
    return undefined
  }
  return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.origin : undefined
}
