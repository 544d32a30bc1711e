/**
 * authorizedFetch's headers: the caller's, and the token, with as few copies as the form they come in
 * allows (issue 17). Plain objects (the usual form) are spread with the token added, no `Headers` built
 * here (fetch builds its own); any other form is copied into one `Headers`, which takes the token.
 */

/**
 * The caller's headers with the token added (`authorization`, and a DPoP proof as `dpop` for a DPoP
 * token); the retry's call replaces the first's.
 */
export type WithToken = (authorization: string, dpop?: string | undefined) => Headers | Record<string, string>

/**
 * How to add the token to `given` (a request's headers in any `HeadersInit` form), or `undefined` when
 * they carry an `authorization` header already (in any case), which is then left alone.
 *
 * @example
 * ```ts
 * const withToken = callerHeaders({ accept: 'application/json' })
 * withToken?.('Bearer eyJ…') // { accept: 'application/json', authorization: 'Bearer eyJ…' }
 * ```
 */
export function callerHeaders(given: RequestInit['headers']): WithToken | undefined {
  if (given === undefined || given === null)
    return (authorization, dpop) => tokenRecord({}, authorization, dpop)
  if (isPlainRecord(given)) {
    for (const name of Object.keys(given)) if (name.toLowerCase() === 'authorization') return undefined
    return (authorization, dpop) => tokenRecord(given, authorization, dpop)
  }
  const headers = new Headers(given)
  if (headers.has('authorization')) return undefined
  return (authorization, dpop) => {
    // fetch copies the headers into its request before it returns: the retry's token never reaches the first
    headers.set('authorization', authorization)
    if (dpop !== undefined) headers.set('dpop', dpop)
    return headers
  }
}

/** `given` spread with the token's headers; a `dpop` the caller gave is replaced by the fresh proof. */
function tokenRecord(
  given: Record<string, string>,
  authorization: string,
  dpop: string | undefined,
): Record<string, string> {
  if (dpop === undefined) return { ...given, authorization }
  const headers: Record<string, string> = {}
  for (const name of Object.keys(given))
    if (name.toLowerCase() !== 'dpop') headers[name] = given[name] as string
  headers.authorization = authorization
  headers.dpop = dpop
  return headers
}

function isPlainRecord(value: object): value is Record<string, string> {
  const prototype: unknown = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}
