/**
 * `oauth-client-credentials/verify`: API-side verification of Entra access tokens, and a guard usable from
 * node:http, Express, Fastify and Hono.
 */
import '../node-guard.js' // first: refuses Node.js < 22.19 before any dependency loads

// declares req.auth on Express's Request (types only)
import './express.js'

export type { TokenRejection } from '../errors.js'
export { ConfigurationError, TokenVerificationError, TransportError } from '../errors.js'
export type { BearerChallenge, BearerErrorCode } from './challenge.js'
export { formatBearerChallenge } from './challenge.js'
export type { AuthorizeFailure, AuthorizeResult, ErrorBody, Guard } from './guard.js'
export { createGuard } from './guard.js'
export type { AuthorizationHeader } from './header.js'
export { parseAuthorizationHeader } from './header.js'
export type { CloudName, IssuerOption, IssuerResolver, TokenVersion } from './issuer.js'
export type { GuardMiddleware, RequestLike, ResponseLike } from './middleware.js'
export { guardMiddleware } from './middleware.js'
export type { RoleRequirement, RouteOptions, TokenVerifierOptions, VerifyAlgorithm } from './options.js'
export { ALGORITHMS } from './options.js'
export type { AccessTokenClaims, VerifiedToken } from './token.js'
export type { TokenVerifier } from './verifier.js'
export { createTokenVerifier } from './verifier.js'
