/**
 * One request to a managed-identity endpoint, and the answer helpers its sources share.
 */
import type { IncomingHttpHeaders } from 'node:http'
import { AadstsError } from '../entra/error-body.js'
import type { Outcome } from '../http/outcome.js'
import { jsonReply } from '../http/reply.js'
import type { RequestContext } from '../http/request-context.js'
import type { IdentityToken } from './issue.js'
import { IdentityRefusal } from './refusal.js'

/**
 * A request to a managed-identity endpoint.
 *
 * @example
 * ```ts
 * const call: IdentityCall = { method: 'GET', url, headers: req.headers, body, context }
 * ```
 */
export interface IdentityCall {
  method: string
  url: URL
  headers: IncomingHttpHeaders
  /** The request body as read (Cloud Shell's form). */
  body?: Buffer | undefined
  context: RequestContext
}

/**
 * The header's value when sent once, else `undefined`.
 *
 * @example
 * ```ts
 * headerValue(call.headers, 'metadata') // 'true'
 * ```
 */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name]
  return typeof value === 'string' ? value : undefined
}

/**
 * A success outcome: the body, and the decoded token for the request log.
 *
 * @example
 * ```ts
 * return issuedOutcome(imdsBody(issued), issued, call.context)
 * ```
 */
export function issuedOutcome(body: unknown, issued: IdentityToken, context: RequestContext): Outcome {
  const { header, claims } = issued.token
  return { reply: jsonReply(200, body, context.traceId), issued: true, token: { header, claims } }
}

/**
 * Turns an {@link IdentityRefusal} into an outcome with `format`'s body; an AADSTS refusal becomes a
 * 400 `invalid_request`; anything else is rethrown (the handler's 500).
 *
 * @example
 * ```ts
 * catch (error) { return refusedOutcome(error, call.context, imdsErrorBody) }
 * ```
 */
export function refusedOutcome(
  error: unknown,
  context: RequestContext,
  format: (refusal: IdentityRefusal, context: RequestContext) => unknown,
): Outcome {
  const refusal =
    error instanceof AadstsError
      ? new IdentityRefusal(400, 'invalid_request', `AADSTS${error.code}: ${error.message}`)
      : error
  if (!(refusal instanceof IdentityRefusal)) throw error
  const reply = jsonReply(refusal.status, format(refusal, context), context.traceId)
  return { reply, issued: false }
}
