/**
 * The verifier's options, resolved once: the token profile (Entra's or RFC 9068's), the key sets,
 * and the DPoP settings (defaults apply when `dpop` is not given: bound tokens are always checked).
 */

import { systemClock } from '../clock.js'
import { dpopOptionsSchema } from './dpop-options.js'
import type { DpopSettings } from './dpop-proof.js'
import { createEntraProfile } from './entra-profile.js'
import { createIssuerResolver, defaultJwksUri, isEntraIssuer, resolveAuthority } from './issuer.js'
import { createSignatureChecker } from './keys.js'
import { createRotatingNonce } from './nonce.js'
import type { ParsedVerifierOptions } from './options.js'
import type { ProfileName, TokenProfile } from './profile.js'
import { createReplayCache } from './replay-cache.js'
import { createRfc9068Profile } from './rfc9068.js'
import { toRoleRule } from './roles.js'
import type { VerifierConfig } from './verifier.js'

/**
 * The profile the options ask for: `profile` when given; else `rfc9068` for one fixed issuer string
 * of a host that is not Entra's, with no tenant, cloud or authorityHost; else `entra`.
 *
 * @example
 * ```ts
 * profileOf({ issuer: 'https://idp.example.com', jwksUri, audience } as ParsedVerifierOptions) // 'rfc9068'
 * ```
 */
export function profileOf(options: ParsedVerifierOptions): ProfileName {
  if (options.profile !== undefined) return options.profile
  const { tenant, tenants, cloud, authorityHost, issuer } = options
  const entraOnly = [tenant, tenants, cloud, authorityHost].some((value) => value !== undefined)
  return !entraOnly && typeof issuer === 'string' && !isEntraIssuer(issuer) ? 'rfc9068' : 'entra'
}

/**
 * Resolves validated options into what `verify` uses.
 *
 * @example
 * ```ts
 * const config = resolveVerifierConfig(parseWith(verifierOptionsSchema, options, 'verifier options', VERIFIER_GUIDE))
 * ```
 */
export function resolveVerifierConfig(options: ParsedVerifierOptions): VerifierConfig {
  const clock = options.clock ?? (options.now === undefined ? systemClock : { now: options.now })
  const now = () => clock.now()
  const dpop = resolveDpop(options, now)
  return {
    profile: createProfile(options, now),
    roleRule: toRoleRule(options.requiredRoles),
    algorithms: options.algorithms,
    realm: options.realm,
    signatures: createSignatureCheckerFor(options),
    dpop,
    offersDpop: options.dpop !== undefined,
    dpopAlgorithms: options.dpop === undefined ? undefined : dpop.algorithms,
  }
}

function createProfile(options: ParsedVerifierOptions, now: () => number): TokenProfile {
  const audiences = typeof options.audience === 'string' ? [options.audience] : options.audience
  const toleranceSec = options.clockToleranceSec
  if (profileOf(options) === 'rfc9068') {
    // the schema requires a fixed issuer string (and jwksUri) without tenant or tenants
    return createRfc9068Profile({ issuer: String(options.issuer), audiences, toleranceSec, now })
  }
  return createEntraProfile({
    tenants: options.tenant === undefined ? options.tenants : [options.tenant],
    issuersFor: createIssuerResolver(options.issuer, resolveAuthority(options)),
    audiences,
    toleranceSec,
    now,
  })
}

function createSignatureCheckerFor(options: ParsedVerifierOptions) {
  const authority = resolveAuthority(options)
  const { jwksUri } = options
  const tenants = options.tenant === undefined ? options.tenants : [options.tenant]
  return createSignatureChecker({
    jwksUriFor: (tenantId) => jwksUri ?? defaultJwksUri(authority, tenantId),
    algorithms: options.algorithms,
    jwks: options.jwks,
    // One key set per allowed tenant (or the one jwksUri): the cache never needs more.
    maxKeySets: jwksUri === undefined ? (tenants?.length ?? 1) : 1,
  })
}

function resolveDpop(options: ParsedVerifierOptions, now: () => number): DpopSettings {
  const dpop = options.dpop ?? dpopOptionsSchema.parse({})
  const nonce = dpop.nonce === true ? createRotatingNonce({ clock: { now } }) : dpop.nonce
  return {
    algorithms: dpop.algorithms,
    maxAgeSec: dpop.maxAgeSec,
    clockToleranceSec: dpop.clockToleranceSec,
    now,
    nonce,
    replay: dpop.replayCache ?? createReplayCache({ max: dpop.replayCacheSize, now }),
  }
}
