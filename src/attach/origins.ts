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
  const href = typeof url === 'string' ? url : url instanceof URL ? url.href : undefined
  if (href === undefined) return undefined
  let parsed: URL
  try {
    parsed = new URL(href)
  } catch {
    return undefined
  }
  return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.origin : undefined
}
