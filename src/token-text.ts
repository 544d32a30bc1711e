/**
 * Which strings can be sent as a token in an `Authorization` header. Its own file because both the
 * token response's parser and `AccessToken` check it, and the transport side must not reach the cache
 * side (docs/architecture.md).
 */

/** Visible ASCII: every character a Bearer token may hold (RFC 6750's b64token is a subset). */
const NOT_SENDABLE = /[^\x21-\x7e]/

/**
 * Why `token` cannot be sent as `Authorization: Bearer <token>`, or `undefined` when it can. Only visible
 * ASCII is: CR/LF would split the header, other controls and spaces break it, and characters outside
 * Latin-1 make `Headers` throw an error that quotes the value. The problem names the character's code
 * point and position, never the token.
 *
 * @example
 * ```ts
 * tokenProblem('eyJ0eXAi.eyJhdWQi.c2ln') // undefined
 * tokenProblem('abc\r\nX-Injected: 1')  // 'holds a character that cannot be sent in an HTTP header (U+000D at position 3) …'
 * ```
 */
export function tokenProblem(token: unknown): string | undefined {
  if (typeof token !== 'string') return 'is not a string'
  if (token.length === 0) return 'is empty'
  const at = token.search(NOT_SENDABLE)
  if (at === -1) return undefined
  const code = (token.codePointAt(at) ?? 0).toString(16).toUpperCase().padStart(4, '0')
  return `holds a character that cannot be sent in an HTTP header (U+${code} at position ${at}): only visible ASCII is allowed`
}
