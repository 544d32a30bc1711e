/**
 * A framework-neutral guard: `authorize(header)` answers `{ ok: true, auth }` or the status, headers
 * and JSON body to reply with, so any framework (Fastify, Hono, Express, node:http) can use it
 * without this package depending on one. `guard.middleware()` is the node:http-style adapter (`middleware.ts`).
 */

import { TokenVerificationError, TransportError } from '../errors.js'
import { rejectToken } from './challenge.js'
import { headerRejection, parseAuthorizationHeader } from './header.js'
import { type GuardMiddleware, guardMiddleware } from './middleware.js'
import { parseOptions, type RouteOptions, routeOptionsSchema } from './options.js'
import { checkRoles, type RoleRule, toRoleRule } from './roles.js'
import type { VerifiedToken } from './token.js'
import type { TokenVerifier } from './verifier.js'

/** The JSON body of a refusal. */
export interface ErrorBody {
  /** `invalid_token` (401), `insufficient_scope` (403), `unauthorized` (401, no token), `temporarily_unavailable` (503). */
  error: 'invalid_token' | 'insufficient_scope' | 'unauthorized' | 'temporarily_unavailable'
  error_description: string
}

/** A refusal: reply with `status`, `headers` and `body` (as JSON). */
export type AuthorizeFailure =
  | {
      ok: false
      status: 401 | 403
      headers: { 'www-authenticate': string }
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

/** What `authorize` resolves to. */
export type AuthorizeResult = { ok: true; auth: VerifiedToken } | AuthorizeFailure

/** Checks requests for one API (or one group of routes). */
export interface Guard {
  /**
   * Checks an `Authorization` header value; `options.requiredRoles` add to the guard's and the verifier's.
   * Never rejects for a bad token; rejects only for a bad `options` (`ConfigurationError`).
   */
  authorize(
    authorization: string | readonly string[] | null | undefined,
    options?: RouteOptions,
  ): Promise<AuthorizeResult>
  /**
   * A node:http-style `(req, res, next?)` middleware (Express, Connect, plain node:http): answers
   * refusals itself, sets `req.auth` on success. `options.requiredRoles` add to the guard's.
   */
  middleware(options?: RouteOptions): GuardMiddleware
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
 * // Fastify
 * fastify.addHook('onRequest', async (req, reply) => {
 *   const result = await guard.authorize(req.headers.authorization, { requiredRoles: { any: ['Admin'] } })
 *   if (!result.ok) return reply.code(result.status).headers(result.headers).send(result.body)
 * })
 * ```
 */
export function createGuard(verifier: TokenVerifier, options?: RouteOptions): Guard {
  const guardRoles = parseOptions(routeOptionsSchema, options, 'options').requiredRoles
  const guard: Guard = {
    middleware: (routeOptions) => guardMiddleware(guard, routeOptions),
    async authorize(authorization, routeOptions) {
      const routeRule = toRoleRule(parseOptions(routeOptionsSchema, routeOptions, 'options').requiredRoles)
      const header = parseAuthorizationHeader(authorization)
      if (header.kind !== 'bearer')
        return refuse(headerRejection(header, verifier), header.kind !== 'invalid')
      try {
        const auth = await verifier.verify(header.token, { requiredRoles: guardRoles })
        return checkRouteRoles(auth, routeRule, verifier.realm)
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
  realm: string | undefined,
): AuthorizeResult {
  const missing = checkRoles(auth.roles, [rule])
  return missing === undefined ? { ok: true, auth } : refuse(rejectToken(missing, { realm }), false)
}

/**
 * The reply for a refused token. `noToken`: the request carried no bearer token, so the challenge
 * has no error code (RFC 6750 §3.1) and the body says `unauthorized`.
 */
function refuse(error: TokenVerificationError, noToken: boolean): AuthorizeFailure {
  const code = error.status === 403 ? 'insufficient_scope' : noToken ? 'unauthorized' : 'invalid_token'
  return {
    ok: false,
    status: error.status,
    headers: { 'www-authenticate': error.challenge },
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
