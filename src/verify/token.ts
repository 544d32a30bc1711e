/**
 * Reading a compact JWT before and after its signature is checked: the unverified header and
 * payload (used only to pick the keys and the issuer), the token version, and the result type.
 */

import type { ProtectedHeaderParameters } from 'jose'
import { isGuid } from '../authority.js'
import type { TokenBinding } from './binding.js'
import { clip, type Rejection } from './challenge.js'
import type { TokenVersion } from './issuer.js'
import { decodeJwtPart } from './load-jose.js'
import type { GenericVerifiedToken } from './rfc9068.js'

/** Tokens longer than this are refused unread (Entra's are ~1-2 KB; a header line is rarely above 16 KB). */
export const MAX_TOKEN_CHARS = 32 * 1024

/** The claims of a verified Entra access token (docs/entra.md §7); other claims are kept as they came. */
export interface AccessTokenClaims {
  readonly [claim: string]: unknown
  readonly aud: string | readonly string[]
  readonly iss: string
  readonly tid: string
  readonly ver: TokenVersion
  readonly exp: number
  readonly nbf?: number
  readonly iat?: number
  /** Granted app roles; Entra omits the claim when none are granted. */
  readonly roles?: readonly string[]
  /** v1: the client's application id. */
  readonly appid?: string
  /** v2: the client's application id. */
  readonly azp?: string
  readonly oid?: string
  readonly sub?: string
  /** `"app"` on app-only tokens. */
  readonly idtyp?: string
  /** Delegated scopes: only on tokens issued for a user. */
  readonly scp?: string
}

/**
 * What `verify` resolves to: an Entra token, or (profile `rfc9068`) a generic JWT access token.
 *
 * @example
 * ```ts
 * const auth: VerifiedToken = await verifier.verify(req.headers.authorization)
 * auth.profile === 'entra' ? auth.tenantId : auth.claims.client_id
 * ```
 */
export type VerifiedToken = EntraVerifiedToken | GenericVerifiedToken

/**
 * A verified Entra access token.
 *
 * @example
 * ```ts
 * if (auth.profile === 'entra') console.log(auth.tenantId, auth.version, auth.roles)
 * ```
 */
export interface EntraVerifiedToken {
  /** Which rules the token was checked by. */
  readonly profile: 'entra'
  /** Every claim of the token. */
  readonly claims: AccessTokenClaims
  /** The granted app roles (`[]` when the token has no `roles` claim). */
  readonly roles: readonly string[]
  /** The calling application's id: `appid` (v1) or `azp` (v2). */
  readonly appId: string | undefined
  /** The caller's tenant (`tid`). */
  readonly tenantId: string
  readonly version: TokenVersion
  /** An app-only token (client credentials): `idtyp: "app"`, or `oid` = `sub` with no `scp`. */
  readonly appOnly: boolean
  /** For a bound token (`cnf`), what the request proved it holds; absent for a plain bearer token. */
  readonly binding?: TokenBinding
}

/** A token's parts, read without checking anything. */
export interface UnverifiedToken {
  header: ProtectedHeaderParameters
  payload: Record<string, unknown>
}

/**
 * Decodes a compact JWS without verifying it; anything unreadable is a `malformed` rejection.
 *
 * @example
 * ```ts
 * const decoded = decodeUnverified(token)
 * if ('reason' in decoded) throw rejectToken(decoded)
 * decoded.header.kid
 * ```
 */
export function decodeUnverified(token: string): UnverifiedToken | Rejection {
  const malformed = (description: string): Rejection => ({ reason: 'malformed', description })
  if (token.length > MAX_TOKEN_CHARS) return malformed(`token is longer than ${MAX_TOKEN_CHARS} characters`)
  const parts = token.split('.').length
  if (parts === 5) return malformed('encrypted tokens (JWE) are not accepted')
  if (parts !== 3) return malformed('token is not a JWT (three dot-separated parts)')
  try {
    return { header: decodeJwtPart(token, 0) as ProtectedHeaderParameters, payload: decodeJwtPart(token, 1) }
  } catch {
    return malformed('token header or payload is not base64url-encoded JSON')
  }
}

/**
 * The token version from `ver`: `1.0` or `2.0`.
 *
 * @example
 * ```ts
 * readVersion({ ver: '2.0' }) // '2.0'
 * ```
 */
export function readVersion(payload: Record<string, unknown>): TokenVersion | Rejection {
  const { ver } = payload
  if (ver === '1.0' || ver === '2.0') return ver
  return { reason: 'malformed', description: `unsupported token version (ver ${clip(ver ?? 'missing')})` }
}

/**
 * The tenant id from `tid`, normalised once: a GUID is lower-cased (the spelling of the allow-list,
 * the JWKS URL, the issuer and the result); anything else is kept as it came, and can only pass a
 * verifier without an allow-list.
 *
 * @example
 * ```ts
 * readTenant({ tid: 'F6ABA1D9-DA41-4EA3-8F30-4970725586A8' }) // 'f6aba1d9-da41-4ea3-8f30-4970725586a8'
 * ```
 */
export function readTenant(payload: Record<string, unknown>): string | Rejection {
  const { tid } = payload
  if (typeof tid !== 'string' || tid === '') {
    return { reason: 'malformed', description: 'token has no tid claim' }
  }
  return isGuid(tid) ? tid.toLowerCase() : tid
}

/**
 * The granted roles; a `roles` claim that is not an array of strings is malformed.
 *
 * @example
 * ```ts
 * readRoles({ roles: ['Orders.Read'] }) // ['Orders.Read']
 * readRoles({})                          // []
 * ```
 */
export function readRoles(payload: Record<string, unknown>): readonly string[] | Rejection {
  const { roles } = payload
  if (roles === undefined) return []
  if (Array.isArray(roles) && roles.every((role) => typeof role === 'string')) return roles
  return { reason: 'malformed', description: 'roles claim is not an array of strings' }
}

/**
 * Whether a token was issued to an application on its own behalf (client credentials).
 *
 * @example
 * ```ts
 * isAppOnly({ idtyp: 'app' })             // true
 * isAppOnly({ oid: 'x', sub: 'x' })        // true
 * isAppOnly({ oid: 'x', sub: 'y', scp: 'User.Read' }) // false
 * ```
 */
export function isAppOnly(payload: Record<string, unknown>): boolean {
  if (payload.idtyp === 'app') return true
  return typeof payload.oid === 'string' && payload.oid === payload.sub && payload.scp === undefined
}

/**
 * Assembles the result from a payload that passed every check.
 *
 * @example
 * ```ts
 * const result = toVerifiedToken(payload, { tenantId, version, roles, exp, iss, aud })
 * ```
 */
export function toVerifiedToken(
  payload: Record<string, unknown>,
  checked: Pick<AccessTokenClaims, 'iss' | 'aud' | 'exp'> & {
    tenantId: string
    version: TokenVersion
    roles: readonly string[]
  },
): EntraVerifiedToken {
  const { tenantId, version, roles, iss, aud, exp } = checked
  const claims: AccessTokenClaims = { ...payload, iss, aud, exp, tid: tenantId, ver: version }
  const appId = version === '1.0' ? payload.appid : payload.azp
  return {
    profile: 'entra',
    claims,
    roles,
    appId: typeof appId === 'string' ? appId : undefined,
    tenantId,
    version,
    appOnly: isAppOnly(payload),
  }
}
