/**
 * The `rfc9068` profile: JWT access tokens of any standards-compliant server (RFC 9068). The header's
 * `typ` must be `at+jwt` (§4: it keeps an ID token or any other JWT of the same issuer from passing as
 * an access token); `iss`, `exp`, `aud`, `sub`, `client_id`, `iat` and `jti` are required (§2.2);
 * `iss` is exactly the configured issuer. Entra's `ver` and `tid` rules do not apply.
 */

import type { ProtectedHeaderParameters } from 'jose'
import { checkConfirmation, type TokenBinding } from './binding.js'
import { clip, type Rejection } from './challenge.js'
import { checkAudience, checkLifetime } from './claims.js'
import type { TokenProfile } from './profile.js'
import { readRoles } from './token.js'

/**
 * The claims of a verified RFC 9068 access token; other claims are kept as they came.
 *
 * @example
 * ```ts
 * if (auth.profile === 'rfc9068') auth.claims.scope?.split(' ').includes('orders:write')
 * ```
 */
export interface GenericAccessTokenClaims {
  readonly [claim: string]: unknown
  readonly iss: string
  readonly exp: number
  readonly aud: string | readonly string[]
  readonly sub: string
  readonly client_id: string
  readonly iat: number
  readonly jti: string
  /** Space-separated scopes, when the server grants any. */
  readonly scope?: string
  readonly roles?: readonly string[]
}

/**
 * A verified RFC 9068 access token.
 *
 * @example
 * ```ts
 * const auth = await verifier.verify(req.headers.authorization)
 * if (auth.profile === 'rfc9068') console.log(auth.appId, auth.claims.sub)
 * ```
 */
export interface GenericVerifiedToken {
  readonly profile: 'rfc9068'
  readonly claims: GenericAccessTokenClaims
  /** The `roles` claim (RFC 9068 §2.2.3.1), `[]` when absent. */
  readonly roles: readonly string[]
  /** The client the token was issued to (`client_id`). */
  readonly appId: string
  /** Tenants are Entra's: always `undefined` here. */
  readonly tenantId: undefined
  /** Token versions are Entra's: always `undefined` here. */
  readonly version: undefined
  /** Issued to the client on its own behalf (client credentials): `sub` is the `client_id` (§2.2). */
  readonly appOnly: boolean
  /** For a bound token (`cnf`), what the request proved it holds. */
  readonly binding?: TokenBinding
}

/** The claims RFC 9068 §2.2 requires, with their JSON types (`aud` is checked by `checkAudience`). */
const REQUIRED: ReadonlyArray<readonly [string, 'string' | 'number']> = [
  ['iss', 'string'],
  ['exp', 'number'],
  ['sub', 'string'],
  ['client_id', 'string'],
  ['iat', 'number'],
  ['jti', 'string'],
]

/**
 * Requires `typ` to be `at+jwt` or `application/at+jwt` (media types compare case-insensitively).
 *
 * @example
 * ```ts
 * checkAccessTokenType('JWT') // { reason: 'malformed', description: 'typ JWT is not at+jwt: not an access token' }
 * ```
 */
export function checkAccessTokenType(typ: unknown): Rejection | undefined {
  const value = typeof typ === 'string' ? typ.toLowerCase() : undefined
  if (value === 'at+jwt' || value === 'application/at+jwt') return undefined
  return {
    reason: 'malformed',
    description: `typ ${clip(typ ?? 'missing', 40)} is not at+jwt: not an access token`,
  }
}

/**
 * Requires every claim of RFC 9068 §2.2 with its type.
 *
 * @example
 * ```ts
 * checkRequiredClaims({ iss: 'https://idp', exp: 1, sub: 's', iat: 0, jti: 'j' }) // { reason: 'malformed', description: 'token has no client_id claim' }
 * ```
 */
export function checkRequiredClaims(payload: Record<string, unknown>): Rejection | undefined {
  for (const [claim, type] of REQUIRED) {
    const value = payload[claim]
    const ok =
      type === 'number' ? typeof value === 'number' && Number.isFinite(value) : typeof value === 'string'
    if (!ok) return { reason: 'malformed', description: `token has no ${claim} claim` }
  }
  return undefined
}

/**
 * The profile for one issuer.
 *
 * @example
 * ```ts
 * const profile = createRfc9068Profile({ issuer: 'https://idp.example.com', audiences: ['https://api.example.com'], toleranceSec: 300, now: Date.now })
 * ```
 */
export function createRfc9068Profile(config: {
  issuer: string
  audiences: readonly string[]
  toleranceSec: number
  now: () => number
}): TokenProfile {
  return {
    name: 'rfc9068',
    keySetOf: () => '',
    check(payload: Record<string, unknown>, header: ProtectedHeaderParameters) {
      const rejection =
        checkAccessTokenType(header.typ) ??
        checkRequiredClaims(payload) ??
        checkIssuer(payload.iss, config.issuer) ??
        checkAudience(payload, config.audiences) ??
        checkLifetime(payload, config.now(), config.toleranceSec) ??
        checkConfirmation(payload)
      if (rejection !== undefined) return rejection
      const roles = readRoles(payload)
      return 'reason' in roles ? roles : toGenericVerifiedToken(payload, roles)
    },
  }
}

function checkIssuer(iss: unknown, expected: string): Rejection | undefined {
  if (iss === expected) return undefined
  return {
    reason: 'issuer',
    description: `issuer ${clip(iss)} is not accepted`,
    hint: `expected ${expected}`,
  }
}

function toGenericVerifiedToken(
  payload: Record<string, unknown>,
  roles: readonly string[],
): GenericVerifiedToken {
  // checkRequiredClaims and checkAudience proved these types
  const claims = payload as unknown as GenericAccessTokenClaims
  return {
    profile: 'rfc9068',
    claims,
    roles,
    appId: claims.client_id,
    tenantId: undefined,
    version: undefined,
    appOnly: claims.sub === claims.client_id,
  }
}
