/**
 * The `entra` profile: Entra ID access tokens (docs/entra.md §7). `ver` and `tid` are read first (the
 * issuer depends on both), the tenant is allow-listed, then issuer, audience, lifetime, roles and the
 * shape of `cnf` are checked.
 */

import { checkConfirmation } from './binding.js'
import type { Rejection } from './challenge.js'
import { checkAudience, checkIssuer, checkLifetime, checkTenant } from './claims.js'
import type { TokenVersion } from './issuer.js'
import type { TokenProfile } from './profile.js'
import { type EntraVerifiedToken, readRoles, readTenant, readVersion, toVerifiedToken } from './token.js'

/** What the Entra checks need, resolved once from the options. */
export interface EntraProfileConfig {
  tenants: readonly string[] | undefined
  issuersFor: (token: { tenantId: string; version: TokenVersion }) => readonly string[]
  audiences: readonly string[]
  toleranceSec: number
  now: () => number
}

/**
 * The profile; its key sets are per tenant.
 *
 * @example
 * ```ts
 * const profile = createEntraProfile({ tenants: [tid], issuersFor, audiences: ['api://orders'], toleranceSec: 300, now: Date.now })
 * ```
 */
export function createEntraProfile(config: EntraProfileConfig): TokenProfile {
  return {
    name: 'entra',
    check: (payload) => checkEntraClaims(payload, config),
    keySetOf: (token) => token.tenantId ?? '',
  }
}

/**
 * The Entra claim checks, on the unverified payload and again on the verified one; assembles the result.
 *
 * @example
 * ```ts
 * const result = checkEntraClaims(payload, config)
 * if ('reason' in result) throw rejectToken(result)
 * ```
 */
export function checkEntraClaims(
  payload: Record<string, unknown>,
  config: EntraProfileConfig,
): EntraVerifiedToken | Rejection {
  const version = readVersion(payload)
  const tenantId = readTenant(payload)
  if (typeof version !== 'string') return version
  if (typeof tenantId !== 'string') return tenantId
  const tenant = checkTenant(tenantId, config.tenants)
  if (tenant !== undefined) return tenant
  const roles = readRoles(payload)
  if ('reason' in roles) return roles
  const rejection =
    checkIssuer(payload, config.issuersFor({ tenantId, version }), version) ??
    checkAudience(payload, config.audiences) ??
    checkLifetime(payload, config.now(), config.toleranceSec) ??
    checkConfirmation(payload)
  if (rejection !== undefined) return rejection
  // The checks above proved these types.
  const { iss, aud, exp } = payload as { iss: string; aud: string | string[]; exp: number }
  return toVerifiedToken(payload, { tenantId, version, roles, iss, aud, exp })
}
