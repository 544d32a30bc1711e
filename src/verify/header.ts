/**
 * Reading the token out of an `Authorization` header (RFC 6750 §2.1): the scheme is case-insensitive,
 * surrounding and separating spaces are tolerated. `parseAuthorizationHeader` reads `Bearer` only; the
 * verifier also takes the schemes of bound tokens, `DPoP` (RFC 9449 §7.1) and Entra's `mtls_pop`.
 */

import type { TokenVerificationError } from '../errors.js'
import { type ChallengeOptions, rejectMissingToken, rejectToken } from './challenge.js'

/** What an `Authorization` header held. */
export type AuthorizationHeader =
  /** No header, or an empty one. */
  | { kind: 'missing' }
  /** A scheme other than Bearer (`Basic …`); the scheme is reported, its credentials never are. */
  | { kind: 'other-scheme'; scheme: string }
  /** `Bearer` followed by something that is not one token68 value. */
  | { kind: 'invalid' }
  | { kind: 'bearer'; token: string }

/**
 * The schemes a token is accepted under: Bearer (RFC 6750), DPoP (RFC 9449), mtls_pop (Entra mTLS PoP).
 *
 * @example
 * ```ts
 * const scheme: TokenScheme = 'DPoP'
 * ```
 */
export type TokenScheme = 'Bearer' | 'DPoP' | 'mtls_pop'

/**
 * An `Authorization` header read with any token scheme.
 *
 * @example
 * ```ts
 * const header: PresentedHeader = parseTokenAuthorization('mtls_pop eyJ…') // { kind: 'token', token: 'eyJ…', scheme: 'mtls_pop' }
 * ```
 */
export type PresentedHeader =
  | Exclude<AuthorizationHeader, { kind: 'bearer' } | { kind: 'invalid' }>
  | { kind: 'invalid'; scheme: TokenScheme }
  | { kind: 'token'; token: string; scheme: TokenScheme }

/** A token and the scheme it came with (`undefined`: a bare token, no header). */
export interface PresentedToken {
  token: string
  scheme: TokenScheme | undefined
}

/** The token68 syntax of RFC 7235 §2.1, which a bearer token must match. */
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/
/** An auth-scheme is an HTTP token; anything else is not worth echoing. */
const SCHEME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]{1,32}$/
const TOKEN_SCHEMES: Readonly<Record<string, TokenScheme>> = {
  bearer: 'Bearer',
  dpop: 'DPoP',
  mtls_pop: 'mtls_pop',
}

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
  const header = readHeader(value, ['bearer'])
  if (header.kind === 'token') return { kind: 'bearer', token: header.token }
  return header.kind === 'invalid' ? { kind: 'invalid' } : header
}

/**
 * Parses an `Authorization` header value under any token scheme: `Bearer`, `DPoP` or `mtls_pop`.
 *
 * @example
 * ```ts
 * parseTokenAuthorization('DPoP eyJ0eXAi.eyJhdWQi.c2ln') // { kind: 'token', token: 'eyJ0eXAi.eyJhdWQi.c2ln', scheme: 'DPoP' }
 * ```
 */
export function parseTokenAuthorization(
  value: string | readonly string[] | null | undefined,
): PresentedHeader {
  return readHeader(value, Object.keys(TOKEN_SCHEMES))
}

function readHeader(
  value: string | readonly string[] | null | undefined,
  schemes: readonly string[],
): PresentedHeader {
  if (Array.isArray(value)) {
    return value.length === 1 ? readHeader(value[0], schemes) : { kind: 'invalid', scheme: 'Bearer' }
  }
  const text = typeof value === 'string' ? value.trim() : ''
  if (text === '') return { kind: 'missing' }
  const [written = '', ...rest] = text.split(/[ \t]+/)
  const scheme = schemes.includes(written.toLowerCase()) ? TOKEN_SCHEMES[written.toLowerCase()] : undefined
  if (scheme === undefined) {
    return { kind: 'other-scheme', scheme: SCHEME.test(written) ? written : '(unreadable)' }
  }
  const [token, ...extra] = rest
  if (token === undefined || extra.length > 0 || !TOKEN68.test(token)) return { kind: 'invalid', scheme }
  return { kind: 'token', token, scheme }
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
export function tokenFromInput(input: string | null | undefined, options: ChallengeOptions): string {
  return presentedToken(input, options).token
}

/**
 * Like {@link tokenFromInput}, with the scheme the token came under (`Bearer`, `DPoP`, `mtls_pop`),
 * or `undefined` for a bare token.
 *
 * @example
 * ```ts
 * presentedToken('DPoP eyJ…', {}) // { token: 'eyJ…', scheme: 'DPoP' }
 * presentedToken('eyJ…', {})      // { token: 'eyJ…', scheme: undefined }
 * ```
 */
export function presentedToken(input: string | null | undefined, options: ChallengeOptions): PresentedToken {
  if (typeof input === 'string' && !looksLikeHeader(input)) return { token: input.trim(), scheme: undefined }
  const header = parseTokenAuthorization(input)
  if (header.kind === 'token') return { token: header.token, scheme: header.scheme }
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
  header: Exclude<AuthorizationHeader | PresentedHeader, { kind: 'bearer' } | { kind: 'token' }>,
  options: ChallengeOptions,
): TokenVerificationError {
  switch (header.kind) {
    case 'missing':
      return rejectMissingToken('no bearer token in the request', options)
    case 'other-scheme':
      return rejectMissingToken(
        `the ${header.scheme} authorization scheme is not accepted: use ${options.dpopAlgorithms ? 'Bearer or DPoP' : 'Bearer'}`,
        options,
      )
    case 'invalid': {
      const scheme = 'scheme' in header ? header.scheme : 'Bearer'
      return rejectToken(
        {
          reason: 'malformed',
          description: `the Authorization header is not "${scheme} <token>"`,
          ...(scheme === 'DPoP' ? { scheme } : {}),
        },
        options,
      )
    }
  }
}
