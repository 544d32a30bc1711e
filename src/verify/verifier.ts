/**
 * `createTokenVerifier`: checks an Entra access token the way an API must before trusting it.
 * Every claim is checked on the unverified payload first — readable, `alg` allow-listed, `tid`
 * normalised and allowed, roles well-formed, issuer for that tenant and version, audience,
 * `exp`/`nbf` — and only a token that passes them all costs a key lookup (JWKS); the verified payload
 * is then checked again and becomes the result. So a forged token never makes the API fetch keys
 * unless it names an allowed tenant exactly as its keys are cached (one key set per allowed tenant).
 */

import type { TokenVerificationError } from '../errors.js'
import { type Rejection, rejectToken } from './challenge.js'
import { checkAlgorithm, checkAudience, checkIssuer, checkLifetime, checkTenant } from './claims.js'
import { tokenFromInput } from './header.js'
import { createIssuerResolver, defaultJwksUri, resolveAuthority, type TokenVersion } from './issuer.js'
import { createSignatureChecker, type SignatureChecker } from './keys.js'
import {
  type ParsedVerifierOptions,
  parseOptions,
  type RouteOptions,
  routeOptionsSchema,
  type TokenVerifierOptions,
  verifierOptionsSchema,
} from './options.js'
import { checkRoles, type RoleRule, toRoleRule } from './roles.js'
import {
  decodeUnverified,
  readRoles,
  readTenant,
  readVersion,
  toVerifiedToken,
  type VerifiedToken,
} from './token.js'

/** Verifies access tokens for one API. */
export interface TokenVerifier {
  /**
   * Verifies a bare token or an `Authorization` header value. Rejects with a
   * `TokenVerificationError` (`reason`, `status`, `challenge`) when the token is refused, or with a
   * `TransportError` when the signing keys cannot be fetched.
   */
  verify(
    tokenOrAuthorizationHeader: string | null | undefined,
    options?: RouteOptions,
  ): Promise<VerifiedToken>
  /** The `realm` of this verifier's challenges, if any. */
  readonly realm: string | undefined
}

/** Everything `verify` needs, resolved once. */
interface VerifierConfig {
  tenants: readonly string[] | undefined
  issuersFor: (token: { tenantId: string; version: TokenVersion }) => readonly string[]
  audiences: readonly string[]
  roleRule: RoleRule | undefined
  toleranceSec: number
  algorithms: readonly string[]
  realm: string | undefined
  now: () => number
  signatures: SignatureChecker
}

/**
 * Creates a verifier. Options are validated here (a `ConfigurationError` names the bad one); keys
 * are fetched on first use and cached.
 *
 * @example
 * ```ts
 * import { createTokenVerifier } from 'oauth-client-credentials/verify'
 *
 * const verifier = createTokenVerifier({
 *   tenant: 'f6aba1d9-da41-4ea3-8f30-4970725586a8',
 *   audience: ['api://orders', '55b2a7ec-73f3-45c2-af08-21ecc33dc40e'],
 *   requiredRoles: { any: ['Orders.Read', 'Orders.Admin'] },
 * })
 * const { appId, roles } = await verifier.verify(req.headers.authorization)
 * ```
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const config = resolveConfig(parseOptions(verifierOptionsSchema, options))
  return {
    realm: config.realm,
    async verify(input, routeOptions) {
      const routeRule = toRoleRule(parseOptions(routeOptionsSchema, routeOptions, 'options').requiredRoles)
      const token = tokenFromInput(input, config)
      const result = await verifyToken(token, config)
      const missing = checkRoles(result.roles, [config.roleRule, routeRule])
      if (missing !== undefined) throw rejectToken(missing, config)
      return result
    },
  }
}

function resolveConfig(options: ParsedVerifierOptions): VerifierConfig {
  const authority = resolveAuthority(options)
  const { jwksUri } = options
  const tenants = options.tenant === undefined ? options.tenants : [options.tenant]
  return {
    tenants,
    issuersFor: createIssuerResolver(options.issuer, authority),
    audiences: typeof options.audience === 'string' ? [options.audience] : options.audience,
    roleRule: toRoleRule(options.requiredRoles),
    toleranceSec: options.clockToleranceSec,
    algorithms: options.algorithms,
    realm: options.realm,
    now: options.now ?? Date.now,
    signatures: createSignatureChecker({
      jwksUriFor: (tenantId) => jwksUri ?? defaultJwksUri(authority, tenantId),
      algorithms: options.algorithms,
      jwks: options.jwks,
      // One key set per allowed tenant (or the one jwksUri): the cache never needs more.
      maxKeySets: jwksUri === undefined ? (tenants?.length ?? 1) : 1,
    }),
  }
}

async function verifyToken(token: string, config: VerifierConfig): Promise<VerifiedToken> {
  const fail = (rejection: Rejection): TokenVerificationError => rejectToken(rejection, config)
  const decoded = decodeUnverified(token)
  if (!('payload' in decoded)) throw fail(decoded)
  const alg = checkAlgorithm(decoded.header.alg, config.algorithms)
  if (alg !== undefined) throw fail(alg)
  const unverified = checkClaims(decoded.payload, config)
  if (!('claims' in unverified)) throw fail(unverified)
  const checked = await config.signatures.verify(token, {
    tenantId: unverified.tenantId,
    kid: decoded.header.kid,
  })
  if (!('payload' in checked)) throw fail(checked)
  const result = checkClaims(checked.payload, config)
  if (!('claims' in result)) throw fail(result)
  return result
}

/** The claim checks, on the unverified payload and again on the verified one; assembles the result. */
function checkClaims(payload: Record<string, unknown>, config: VerifierConfig): VerifiedToken | Rejection {
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
    checkLifetime(payload, config.now(), config.toleranceSec)
  if (rejection !== undefined) return rejection
  // The checks above proved these types.
  const { iss, aud, exp } = payload as { iss: string; aud: string | string[]; exp: number }
  return toVerifiedToken(payload, { tenantId, version, roles, iss, aud, exp })
}
