/**
 * The claim checks, as pure functions: each returns a {@link Rejection} or `undefined`.
 * Times are compared in whole seconds, with a tolerance either way.
 */

import type { Rejection } from './challenge.js'
import { clip } from './challenge.js'
import type { TokenVersion } from './issuer.js'

/**
 * Refuses an `alg` that is not allow-listed: `none` (an unsigned token) and HMACs are never in the list.
 *
 * @example
 * ```ts
 * checkAlgorithm('HS256', ['RS256']) // { reason: 'signature', description: 'alg HS256 is not accepted' }
 * ```
 */
export function checkAlgorithm(alg: unknown, allowed: readonly string[]): Rejection | undefined {
  if (typeof alg === 'string' && allowed.includes(alg)) return undefined
  if (typeof alg === 'string' && alg.toLowerCase() === 'none') {
    return { reason: 'signature', description: 'unsigned tokens (alg none) are not accepted' }
  }
  return { reason: 'signature', description: `alg ${clip(alg ?? 'missing')} is not accepted` }
}

/**
 * Refuses a tenant outside the allow-list (without an allow-list every tenant passes, the issuer being
 * fixed). The comparison is exact: the tenant id was normalised once, by `readTenant`.
 *
 * @example
 * ```ts
 * checkTenant('72f988bf-…', ['f6aba1d9-…']) // { reason: 'tenant', description: 'tenant 72f988bf-… is not allowed' }
 * ```
 */
export function checkTenant(tenantId: string, allowed: readonly string[] | undefined): Rejection | undefined {
  if (allowed === undefined || allowed.includes(tenantId)) return undefined
  return { reason: 'tenant', description: `tenant ${clip(tenantId)} is not allowed` }
}

/**
 * Requires `iss` to be exactly one of the issuers expected for the token's tenant and version.
 *
 * @example
 * ```ts
 * checkIssuer({ iss: 'https://login.microsoftonline.com/t/v2.0' }, ['https://sts.windows.net/t/'], '1.0')
 * // { reason: 'issuer', description: 'issuer https://login.microsoftonline.com/t/v2.0 is not accepted for a v1.0 token' }
 * ```
 */
export function checkIssuer(
  payload: Record<string, unknown>,
  expected: readonly string[],
  version: TokenVersion,
): Rejection | undefined {
  const { iss } = payload
  if (typeof iss !== 'string') return { reason: 'malformed', description: 'token has no iss claim' }
  if (expected.includes(iss)) return undefined
  return {
    reason: 'issuer',
    description: `issuer ${clip(iss)} is not accepted for a v${version} token`,
    hint: `expected ${expected.join(' or ')}; v1 and v2 tokens have different issuers: check cloud, authorityHost or issuer`,
  }
}

/**
 * Requires `aud` (a string, or an array of which one must match) to be an accepted audience.
 *
 * @example
 * ```ts
 * checkAudience({ aud: 'api://orders' }, ['api://orders', '55b2a7ec-…']) // undefined
 * ```
 */
export function checkAudience(
  payload: Record<string, unknown>,
  accepted: readonly string[],
): Rejection | undefined {
  const { aud } = payload
  const values = typeof aud === 'string' ? [aud] : aud
  if (!Array.isArray(values) || values.length === 0) {
    return { reason: 'malformed', description: 'token has no aud claim' }
  }
  if (values.some((value) => typeof value === 'string' && accepted.includes(value))) return undefined
  return {
    reason: 'audience',
    description: `audience ${clip(aud)} is not accepted`,
    hint: 'v1 tokens carry the App ID URI as the client asked for it, v2 tokens the application id: list both in audience',
  }
}

/**
 * Checks `exp` (required) and `nbf` (when present) against the clock, with a tolerance.
 *
 * @example
 * ```ts
 * checkLifetime({ exp: 1_700_000_000 }, 1_700_000_400_000, 300)
 * // { reason: 'expired', description: 'token expired at 2023-11-14T22:13:20.000Z' }
 * ```
 */
export function checkLifetime(
  payload: Record<string, unknown>,
  nowMs: number,
  toleranceSec: number,
): Rejection | undefined {
  const { exp, nbf } = payload
  const now = Math.floor(nowMs / 1000)
  if (typeof exp !== 'number' || !Number.isFinite(exp))
    return { reason: 'malformed', description: 'token has no exp claim' }
  if (nbf !== undefined && (typeof nbf !== 'number' || !Number.isFinite(nbf))) {
    return { reason: 'malformed', description: 'nbf claim is not a number' }
  }
  if (exp <= now - toleranceSec)
    return { reason: 'expired', description: `token expired at ${isoSeconds(exp)}` }
  if (nbf !== undefined && nbf > now + toleranceSec) {
    return { reason: 'not_yet_valid', description: `token is not valid before ${isoSeconds(nbf)}` }
  }
  return undefined
}

function isoSeconds(epochSeconds: number): string {
  const date = new Date(epochSeconds * 1000)
  return Number.isNaN(date.getTime()) ? String(epochSeconds) : date.toISOString()
}
