/**
 * The node:http-style adapter of a guard: `(req, res, next?)`, as Express, Connect, `@fastify/middie`
 * and a plain `http.createServer` handler call it. It answers 401/403/503 itself; on success it sets
 * `req.auth` and calls `next()` (or just resolves to the result, for plain node:http). For bound
 * tokens it reads the request's method, URL and `DPoP` header, and the TLS socket's client certificate.
 */

import type { AuthorizeFailure, Guard } from './guard.js'
import { type GuardOptions, parseGuardOptions } from './options.js'
import { type ProofRequestLike, requestEvidence } from './request.js'
import type { VerifiedToken } from './token.js'

/** The part of a node:http `IncomingMessage` (or Express `Request`) the middleware reads and writes. */
export interface RequestLike extends ProofRequestLike {
  headers: ProofRequestLike['headers'] & { authorization?: string | readonly string[] | undefined }
  /** Set to the verified token when the request is authorized. */
  auth?: VerifiedToken | undefined
}

/** The part of a node:http `ServerResponse` (or Express `Response`) the middleware writes. */
export interface ResponseLike {
  statusCode: number
  readonly headersSent?: boolean
  setHeader(name: string, value: string): unknown
  end(body: string): unknown
}

/** A node:http-style middleware: resolves to the verified token, or `undefined` once it has answered. */
export type GuardMiddleware = (
  req: RequestLike,
  res: ResponseLike,
  next?: (error?: unknown) => void,
) => Promise<VerifiedToken | undefined>

/**
 * Makes the node:http-style middleware of a guard (also reachable as `guard.middleware(options)`);
 * `requiredRoles` add to the guard's; `baseUrl` is where clients call the API (for DPoP proofs, behind
 * a proxy). Unexpected failures go to `next(error)`, or reject without `next`.
 *
 * @example
 * ```ts
 * // Express (req.auth is declared on Express's Request)
 * import express from 'express'
 * const app = express()
 * app.get('/orders', guard.middleware(), (req, res) => res.json({ caller: req.auth?.appId }))
 * app.delete('/orders/:id', guard.middleware({ requiredRoles: ['Orders.Admin'] }), (req, res) => res.sendStatus(204))
 * // node:http
 * import { createServer } from 'node:http'
 * const protect = guardMiddleware(guard)
 * createServer(async (req, res) => {
 *   const auth = await protect(req, res)
 *   if (!auth) return // already answered 401/403
 *   res.end(`hello ${auth.appId}`)
 * })
 * ```
 */
export function guardMiddleware(guard: Pick<Guard, 'authorize'>, options?: GuardOptions): GuardMiddleware {
  const { baseUrl, ...route } = parseGuardOptions(options)
  return async (req, res, next) => {
    try {
      const request = requestEvidence(req, baseUrl)
      const result = await guard.authorize(req.headers.authorization, { ...route, request })
      if (!result.ok) return void sendFailure(res, result)
      for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, value)
      req.auth = result.auth
      next?.()
      return result.auth
    } catch (error) {
      if (next === undefined) throw error
      next(error)
      return undefined
    }
  }
}

function sendFailure(res: ResponseLike, failure: AuthorizeFailure): void {
  if (res.headersSent === true) return
  res.statusCode = failure.status
  for (const [name, value] of Object.entries(failure.headers)) res.setHeader(name, value)
  res.setHeader('content-type', 'application/json; charset=utf-8')
  res.setHeader('cache-control', 'no-store')
  res.end(JSON.stringify(failure.body))
}
