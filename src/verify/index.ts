/**
 * `oauth-client-credentials/verify`: API-side verification of access tokens — Entra's, and RFC 9068 JWT
 * access tokens of any server — bound tokens (DPoP, mTLS) checked by default, and a guard usable from
 * node:http, Express, Fastify and Hono.
 */
import '../node-guard.js' // first: refuses Node.js < 22.19 before any dependency loads

// declares req.auth on Express's Request (types only)
import './express.js'

export type { TokenRejection } from '../errors.js'
export { ConfigurationError, TokenVerificationError, TransportError } from '../errors.js'
export type { RequestEvidence, TokenBinding } from './binding.js'
export type { CertificateInput, PeerCertificate } from './certificate-binding.js'
export { certificateThumbprint } from './certificate-binding.js'
export type { BearerChallenge, BearerErrorCode, DpopChallenge, DpopErrorCode } from './challenge.js'
export { formatBearerChallenge, formatDpopChallenge } from './challenge.js'
export type { DpopAlgorithm, DpopOptions } from './dpop-options.js'
export { DPOP_ALGORITHMS } from './dpop-options.js'
export type { AuthorizeFailure, AuthorizeResult, ChallengeHeaders, ErrorBody, Guard } from './guard.js'
export { createGuard } from './guard.js'
export type { AuthorizationHeader, PresentedHeader, TokenScheme } from './header.js'
export { parseAuthorizationHeader, parseTokenAuthorization } from './header.js'
export type { CloudName, IssuerOption, IssuerResolver, TokenVersion } from './issuer.js'
export type { GuardMiddleware, RequestLike, ResponseLike } from './middleware.js'
export { guardMiddleware } from './middleware.js'
export type { DpopNonceSource, RotatingNonceOptions } from './nonce.js'
export { createRotatingNonce } from './nonce.js'
export type {
  CallOptions,
  GuardOptions,
  RoleRequirement,
  RouteOptions,
  TokenVerifierOptions,
  VerifyAlgorithm,
} from './options.js'
export { ALGORITHMS } from './options.js'
export type { ProfileName } from './profile.js'
export type { DpopReplayCache } from './replay-cache.js'
export type { ProofRequestLike } from './request.js'
export type { GenericAccessTokenClaims, GenericVerifiedToken } from './rfc9068.js'
export type { AccessTokenClaims, EntraVerifiedToken, VerifiedToken } from './token.js'
export type { TokenVerifier } from './verifier.js'
export { createTokenVerifier } from './verifier.js'
