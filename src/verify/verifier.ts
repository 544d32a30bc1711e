/**
 * `createTokenVerifier`: checks an access token the way an API must before trusting it, by the rules
 * of its profile (Entra's, or RFC 9068's for any server). Every claim is checked on the unverified
 * payload first, and only a token that passes them all costs a key lookup (JWKS); the verified payload
 * is then checked again and becomes the result. So a forged token never makes the API fetch keys
 * unless it names an allowed tenant exactly as its keys are cached (one key set per allowed tenant).
 * A bound token (`cnf`) must then come with its proof (DPoP proof or client certificate), before any
 * role is looked at.
 */

import type { TokenVerificationError } from '../errors.js'
import { parseWith } from '../validation/parse.js'
import { checkBinding } from './binding.js'
import { type ChallengeOptions, type Rejection, rejectToken } from './challenge.js'
import { checkAlgorithm } from './claims.js'
import type { DpopSettings } from './dpop-proof.js'
import { presentedToken, type TokenScheme } from './header.js'
import type { SignatureChecker } from './keys.js'
import {
  type CallOptions,
  parseCallOptions,
  type TokenVerifierOptions,
  VERIFIER_GUIDE,
  verifierOptionsSchema,
} from './options.js'
import type { TokenProfile } from './profile.js'
import { checkRoles, type RoleRule, toRoleRule } from './roles.js'
import { decodeUnverified, type VerifiedToken } from './token.js'
import { resolveVerifierConfig } from './verifier-config.js'

/** Verifies access tokens for one API. */
export interface TokenVerifier {
  /**
   * Verifies a bare token or an `Authorization` header value (`Bearer`, `DPoP` or `mtls_pop`). A bound
   * token needs `options.request` (its DPoP proof and the request it is for, or the peer certificate).
   * Rejects with a `TokenVerificationError` (`reason`, `status`, `challenge`) when the token is
   * refused, or with a `TransportError` when the signing keys cannot be fetched.
   */
  verify(tokenOrAuthorizationHeader: string | null | undefined, options?: CallOptions): Promise<VerifiedToken>
  /** The `realm` of this verifier's challenges, if any. */
  readonly realm: string | undefined
  /**
   * Set when the verifier was given `dpop` options: the proof algorithms it offers (`algs`) and, when it
   * requires nonces, the nonce to hand out (the guard sends it in `DPoP-Nonce` after a DPoP request).
   */
  readonly dpop?: { readonly algorithms: readonly string[]; readonly nonce?: () => string } | undefined
}

/** Everything `verify` needs, resolved once. */
export interface VerifierConfig extends ChallengeOptions {
  profile: TokenProfile
  roleRule: RoleRule | undefined
  algorithms: readonly string[]
  signatures: SignatureChecker
  dpop: DpopSettings
  /** Whether the caller gave `dpop` options (the API offers DPoP). */
  offersDpop: boolean
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
 * // any other server (RFC 9068 JWT access tokens):
 * createTokenVerifier({ issuer: 'https://idp.example.com', jwksUri: 'https://idp.example.com/jwks', audience: 'https://api.example.com' })
 * ```
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const config = resolveVerifierConfig(
    parseWith(verifierOptionsSchema, options ?? {}, 'verifier options', VERIFIER_GUIDE),
  )
  const { nonce } = config.dpop
  return {
    realm: config.realm,
    dpop: config.offersDpop
      ? { algorithms: config.dpop.algorithms, ...(nonce ? { nonce: () => nonce.current() } : {}) }
      : undefined,
    async verify(input, callOptions) {
      const { requiredRoles, request } = parseCallOptions(callOptions)
      const presented = presentedToken(input, config)
      const result = await verifyToken(presented.token, config)
      const bound = await bindingOf(result, presented, request, config)
      const missing = checkRoles(bound.roles, [config.roleRule, toRoleRule(requiredRoles)])
      if (missing !== undefined) throw rejectToken(missing, config)
      return bound
    },
  }
}

async function verifyToken(token: string, config: VerifierConfig): Promise<VerifiedToken> {
  const fail = (rejection: Rejection): TokenVerificationError => rejectToken(rejection, config)
  const decoded = decodeUnverified(token)
  if (!('payload' in decoded)) throw fail(decoded)
  const alg = checkAlgorithm(decoded.header.alg, config.algorithms)
  if (alg !== undefined) throw fail(alg)
  const unverified = config.profile.check(decoded.payload, decoded.header)
  if ('reason' in unverified) throw fail(unverified)
  const checked = await config.signatures.verify(token, {
    tenantId: config.profile.keySetOf(unverified),
    kid: decoded.header.kid,
  })
  if (!('payload' in checked)) throw fail(checked)
  const result = config.profile.check(checked.payload, decoded.header)
  if ('reason' in result) throw fail(result)
  return result
}

/** Checks a bound token's proof; the result carries what it proved. */
async function bindingOf(
  result: VerifiedToken,
  presented: { token: string; scheme: TokenScheme | undefined },
  request: CallOptions['request'],
  config: VerifierConfig,
): Promise<VerifiedToken> {
  const payload = result.claims as Record<string, unknown>
  const binding = await checkBinding({ ...presented, payload, request }, config.dpop)
  if (binding === undefined) return result
  if ('reason' in binding) throw rejectToken(binding, { ...config, dpopAlgorithms: config.dpop.algorithms })
  return { ...result, binding }
}
