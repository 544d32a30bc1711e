/**
 * authorizedFetch's headers: the caller's, and the token, with as few copies as the form they come in
 * allows (issue 17). Plain objects (the usual form) are spread with the token added, no `Headers` built
 * here (fetch builds its own); any other form is copied into one `Headers`, which takes the token.
 */

/** The caller's headers with the token added; the retry's call replaces the first's token. */
export type WithToken = (authorization: string) => Headers | Record<string, string>

/**
 * How to add the token to `given` (a request's headers in any `HeadersInit` form), or `undefined` when
 * they carry an `authorization` header already (in any case), which is then left alone.
 *
 * @example
 * ```ts
 * const withToken = tokenHeaders({ accept: 'application/json' })
 * withToken?.('Bearer eyJ…') // { accept: 'application/json', authorization: 'Bearer eyJ…' }
 * ```
 */
export function tokenHeaders(given: RequestInit['headers']): WithToken | undefined {
  if (given === undefined || given === null) return (authorization) => ({ authorization })
  if (isPlainRecord(given)) {
    for (const name of Object.keys(given)) if (name.toLowerCase() === 'authorization') return undefined
    return (authorization) => ({ ...given, authorization })
  }
  const headers = new Headers(given)
  if (headers.has('authorization')) return undefined
  return (authorization) => {
    // fetch copies the headers into its request before it returns: the retry's token never reaches the first
    headers.set('authorization', authorization)
    return headers
  }
}

function isPlainRecord(value: object): value is Record<string, string> {
  const prototype: unknown = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}
