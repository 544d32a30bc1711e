/**
 * A framework-neutral guard: `authorize(header, { request })` answers `{ ok: true, auth }` or the
 * status, headers and JSON body to reply with, so any framework (Fastify, Hono, Express, node:http)
 * can use it without this package depending on one. `guard.middleware()` is the node:http-style
 * adapter (`middleware.ts`), which reads the request's DPoP proof and TLS client certificate itself.
 */

import { type TokenRejection, TokenVerificationError, TransportError } from '../errors.js'
import { rejectToken } from './challenge.js'
import { headerRejection, parseTokenAuthorization } from './header.js'
import { type GuardMiddleware, guardMiddleware } from './middleware.js'
import { type CallOptions, type GuardOptions, parseCallOptions, parseGuardOptions } from './options.js'
import { checkRoles, type RoleRule, toRoleRule } from './roles.js'
import type { VerifiedToken } from './token.js'
import type { TokenVerifier } from './verifier.js'

/** The JSON body of a refusal. */
export interface ErrorBody {
  /**
   * `invalid_token` (401), `insufficient_scope` (403), `unauthorized` (401, no token),
   * `invalid_dpop_proof` and `use_dpop_nonce` (401, RFC 9449), `temporarily_unavailable` (503).
   */
  error:
    | 'invalid_token'
    | 'insufficient_scope'
    | 'unauthorized'
    | 'invalid_dpop_proof'
    | 'use_dpop_nonce'
    | 'temporarily_unavailable'
  error_description: string
}

/**
 * The headers of a 401/403: the challenge, and the nonce a DPoP client must use next (RFC 9449 §9).
 * A type alias, not an interface, so that it fits `Record<string, string>` (what frameworks take).
 *
 * @example
 * ```ts
 * const result = await guard.authorize(c.req.header('authorization'))
 * const headers: ChallengeHeaders | { 'retry-after': string } | undefined = result.ok ? undefined : result.headers
 * ```
 */
export type ChallengeHeaders = { 'www-authenticate': string; 'dpop-nonce'?: string }

/** A refusal: reply with `status`, `headers` and `body` (as JSON). */
export type AuthorizeFailure =
  | {
      ok: false
      status: 401 | 403
      headers: ChallengeHeaders
      body: ErrorBody
      /** For logs: `error.reason` says why. */
      error: TokenVerificationError
    }
  | {
      ok: false
      /** The signing keys could not be fetched: not the caller's fault. */
      status: 503
      headers: { 'retry-after': string }
      body: ErrorBody
      error: TransportError
    }

/**
 * What `authorize` resolves to. On success, `headers` (when present) go on the response: a fresh
 * `DPoP-Nonce` for a DPoP client of an API that requires nonces.
 */
export type AuthorizeResult =
  | { ok: true; auth: VerifiedToken; headers?: { 'dpop-nonce': string } }
  | AuthorizeFailure

/** Checks requests for one API (or one group of routes). */
export interface Guard {
  /**
   * Checks an `Authorization` header value (`Bearer`, `DPoP` or `mtls_pop`); `options.requiredRoles`
   * add to the guard's and the verifier's; `options.request` carries the proof of a bound token
   * (`method`, `url`, `dpop` header; `peerCertificate`). Never rejects for a bad token; rejects only
   * for a bad `options` (`ConfigurationError`).
   */
  authorize(
    authorization: string | readonly string[] | null | undefined,
    options?: CallOptions,
  ): Promise<AuthorizeResult>
  /**
   * A node:http-style `(req, res, next?)` middleware (Express, Connect, plain node:http): answers
   * refusals itself, sets `req.auth` on success. `options.requiredRoles` add to the guard's;
   * `options.baseUrl` (else the guard's) is where clients call the API, for DPoP proofs.
   */
  middleware(options?: GuardOptions): GuardMiddleware
}

/** Seconds a client should wait after a 503 caused by unreachable signing keys. */
const KEYS_UNAVAILABLE_RETRY_AFTER_SEC = 10

/**
 * Creates a guard around a verifier; `requiredRoles` here apply to every request it checks.
 *
 * @example
 * ```ts
 * // Hono
 * const guard = createGuard(verifier, { requiredRoles: ['Orders.Read'] })
 * app.use('/orders/*', async (c, next) => {
 *   const result = await guard.authorize(c.req.header('authorization'))
 *   if (!result.ok) return c.json(result.body, result.status, result.headers)
 *   c.set('auth', result.auth)
 *   await next()
 * })
 * // roles for one call, added to the guard's (Fastify, Express…: the same call)
 * await guard.authorize(c.req.header('authorization'), { requiredRoles: { any: ['Admin'] } })
 * // bound tokens: the request's DPoP proof (and the URL it names), or its TLS client certificate
 * await guard.authorize(c.req.header('authorization'), {
 *   request: { method: c.req.method, url: c.req.url, dpop: c.req.header('dpop') },
 * })
 * ```
 */
export function createGuard(verifier: TokenVerifier, options?: GuardOptions): Guard {
  const { requiredRoles: guardRoles, baseUrl } = parseGuardOptions(options)
  const challenges = { realm: verifier.realm, dpopAlgorithms: verifier.dpop?.algorithms }
  const guard: Guard = {
    middleware: (routeOptions) => guardMiddleware(guard, { baseUrl, ...routeOptions }),
    async authorize(authorization, callOptions) {
      const { requiredRoles, request } = parseCallOptions(callOptions)
      const header = parseTokenAuthorization(authorization)
      if (header.kind !== 'token') {
        return refuse(headerRejection(header, challenges), header.kind !== 'invalid')
      }
      try {
        const presented = `${header.scheme} ${header.token}`
        const auth = await verifier.verify(presented, { requiredRoles: guardRoles, request })
        return checkRouteRoles(auth, toRoleRule(requiredRoles), verifier)
      } catch (error) {
        if (error instanceof TokenVerificationError) return refuse(error, false)
        if (error instanceof TransportError) return keysUnavailable(error)
        throw error
      }
    },
  }
  return guard
}

function checkRouteRoles(
  auth: VerifiedToken,
  rule: RoleRule | undefined,
  verifier: TokenVerifier,
): AuthorizeResult {
  const missing = checkRoles(auth.roles, [rule])
  if (missing !== undefined) return refuse(rejectToken(missing, { realm: verifier.realm }), false)
  const nonce = auth.binding?.jkt === undefined ? undefined : verifier.dpop?.nonce?.()
  return nonce === undefined ? { ok: true, auth } : { ok: true, auth, headers: { 'dpop-nonce': nonce } }
}

/** The `error` of a refusal's body, by reason. */
const BODY_ERRORS: Partial<Record<TokenRejection, ErrorBody['error']>> = {
  roles: 'insufficient_scope',
  dpop_proof: 'invalid_dpop_proof',
  dpop_nonce: 'use_dpop_nonce',
}

/**
 * The reply for a refused token. `noToken`: the request carried no token, so the challenge
 * has no error code (RFC 6750 §3.1) and the body says `unauthorized`.
 */
function refuse(error: TokenVerificationError, noToken: boolean): AuthorizeFailure {
  const code = BODY_ERRORS[error.reason] ?? (noToken ? 'unauthorized' : 'invalid_token')
  const nonce = error.dpopNonce === undefined ? {} : { 'dpop-nonce': error.dpopNonce }
  return {
    ok: false,
    status: error.status,
    headers: { 'www-authenticate': error.challenge, ...nonce },
    body: { error: code, error_description: error.message },
    error,
  }
}

function keysUnavailable(error: TransportError): AuthorizeFailure {
  return {
    ok: false,
    status: 503,
    headers: { 'retry-after': String(KEYS_UNAVAILABLE_RETRY_AFTER_SEC) },
    body: {
      error: 'temporarily_unavailable',
      error_description: 'the token signing keys could not be fetched',
    },
    error,
  }
}
