/**
 * The `htu` of a DPoP proof and the URL of the request it came with, compared the way RFC 9449 §4.3
 * asks: without query and fragment, after the syntax- and scheme-based normalisation of RFC 3986
 * §6.2.2-6.2.3 (lower-case scheme and host, no default port, no dot segments, `/` for an empty path,
 * upper-case percent-encodings, unreserved characters decoded). The WHATWG URL parser does all of it
 * but the last two, done here; userinfo is left out, as it is not part of what a proof names.
 */

/** Characters RFC 3986 §2.3 calls unreserved: a percent-encoding of one of them is the character. */
const UNRESERVED = /^[A-Za-z0-9\-._~]$/

/**
 * The normalised `scheme://host[:port]/path` of a URL, or `undefined` when it is not an absolute
 * http(s) URL.
 *
 * @example
 * ```ts
 * normalizeHtu('HTTPS://API.Example.com:443/a/./b/../%7euser?q=1#f') // 'https://api.example.com/a/~user'
 * normalizeHtu('/relative')                                          // undefined
 * ```
 */
export function normalizeHtu(value: string | URL): string | undefined {
  const text = typeof value === 'string' ? value : value.href
  if (!URL.canParse(text)) return undefined
  const url = new URL(text)
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined
  return `${url.protocol}//${url.host}${normalizePercentEncoding(url.pathname)}`
}

function normalizePercentEncoding(path: string): string {
  return path.replace(/%[0-9A-Fa-f]{2}/g, (encoded) => {
    const char = String.fromCharCode(Number.parseInt(encoded.slice(1), 16))
    return UNRESERVED.test(char) ? char : encoded.toUpperCase()
  })
}

/**
 * Whether a proof's `htu` names the request's URL (both normalised; an unreadable one never matches).
 *
 * @example
 * ```ts
 * sameHtu('https://api.example.com/orders', 'https://api.example.com:443/orders?page=2') // true
 * sameHtu('https://api.example.com/orders', 'https://api.example.com/orders/1')          // false
 * ```
 */
export function sameHtu(htu: string, requestUrl: string | URL): boolean {
  const expected = normalizeHtu(requestUrl)
  return expected !== undefined && normalizeHtu(htu) === expected
}
