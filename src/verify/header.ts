/**
 * Reading the bearer token out of an `Authorization` header (RFC 6750 §2.1): the scheme is
 * case-insensitive, surrounding and separating spaces are tolerated, other schemes are refused.
 */

import type { TokenVerificationError } from '../errors.js'
import { rejectMissingToken, rejectToken } from './challenge.js'

/** What an `Authorization` header held. */
export type AuthorizationHeader =
  /** No header, or an empty one. */
  | { kind: 'missing' }
  /** A scheme other than Bearer (`Basic …`); the scheme is reported, its credentials never are. */
  | { kind: 'other-scheme'; scheme: string }
  /** `Bearer` followed by something that is not one token68 value. */
  | { kind: 'invalid' }
  | { kind: 'bearer'; token: string }

/** The token68 syntax of RFC 7235 §2.1, which a bearer token must match. */
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/
/** An auth-scheme is an HTTP token; anything else is not worth echoing. */
const SCHEME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]{1,32}$/

/**
 * Parses an `Authorization` header value. A header repeated by a proxy arrives as an array:
 * only a single value is accepted.
 *
 * @example
 * ```ts
 * parseAuthorizationHeader('bearer   eyJ0eXAi.eyJhdWQi.c2ln ') // { kind: 'bearer', token: 'eyJ0eXAi.eyJhdWQi.c2ln' }
 * parseAuthorizationHeader('Basic dXNlcjpwYXNz')                // { kind: 'other-scheme', scheme: 'Basic' }
 * parseAuthorizationHeader(undefined)                           // { kind: 'missing' }
 * ```
 */
export function parseAuthorizationHeader(
  value: string | readonly string[] | null | undefined,
): AuthorizationHeader {
  if (Array.isArray(value))
    return value.length === 1 ? parseAuthorizationHeader(value[0]) : { kind: 'invalid' }
  const text = typeof value === 'string' ? value.trim() : ''
  if (text === '') return { kind: 'missing' }
  const [scheme = '', ...rest] = text.split(/[ \t]+/)
  if (scheme.toLowerCase() !== 'bearer') {
    return { kind: 'other-scheme', scheme: SCHEME.test(scheme) ? scheme : '(unreadable)' }
  }
  const [token, ...extra] = rest
  if (token === undefined || extra.length > 0 || !TOKEN68.test(token)) return { kind: 'invalid' }
  return { kind: 'bearer', token }
}

/**
 * Whether a string is a header value (`Bearer …`, `Basic …`) rather than a bare token: a compact
 * JWT never contains whitespace.
 *
 * @example
 * ```ts
 * looksLikeHeader('Bearer eyJ…') // true
 * looksLikeHeader('eyJ…')        // false
 * ```
 */
export function looksLikeHeader(value: string): boolean {
  const text = value.trim()
  return /\s/.test(text) || /^bearer$/i.test(text) || text === ''
}

/**
 * Takes a bare token or an `Authorization` header value and returns the token, or throws the
 * rejection: no token or another scheme (reason `malformed`, bare `Bearer` challenge per RFC 6750
 * §3.1), or a `Bearer` header that does not hold one token (`malformed`, `invalid_token`).
 *
 * @example
 * ```ts
 * tokenFromInput('Bearer eyJ…', {}) // 'eyJ…'
 * tokenFromInput('eyJ…', {})        // 'eyJ…'
 * tokenFromInput(undefined, {})     // throws TokenVerificationError, challenge 'Bearer'
 * ```
 */
export function tokenFromInput(
  input: string | null | undefined,
  options: { realm?: string | undefined },
): string {
  if (typeof input === 'string' && !looksLikeHeader(input)) return input.trim()
  const header = parseAuthorizationHeader(input)
  if (header.kind === 'bearer') return header.token
  throw headerRejection(header, options)
}

/**
 * The rejection for a header that did not yield a token.
 *
 * @example
 * ```ts
 * headerRejection({ kind: 'missing' }, { realm: 'orders' }).challenge // 'Bearer realm="orders"'
 * ```
 */
export function headerRejection(
  header: Exclude<AuthorizationHeader, { kind: 'bearer' }>,
  options: { realm?: string | undefined },
): TokenVerificationError {
  switch (header.kind) {
    case 'missing':
      return rejectMissingToken('no bearer token in the request', options)
    case 'other-scheme':
      return rejectMissingToken(
        `the ${header.scheme} authorization scheme is not accepted: use Bearer`,
        options,
      )
    case 'invalid':
      return rejectToken(
        { reason: 'malformed', description: 'the Authorization header is not "Bearer <token>"' },
        options,
      )
  }
}
