/**
 * What a route answers, before faults and the log see it: the reply, whether a token was issued,
 * and the AADSTS codes of a refusal. Routes throw `AadstsError` for refusals; {@link refusalOutcome}
 * turns one into its Entra error reply, the same way for every route.
 */
import { AadstsError } from '../entra/error-body.js'
import { errorReply, type Reply } from './reply.js'
import type { RequestContext } from './request-context.js'
import type { DecodedToken } from './request-log.js'

/**
 * The normal answer of a route, with what the log needs to know.
 *
 * @example
 * ```ts
 * const outcome: Outcome = { reply: jsonReply(200, body, traceId), issued: true }
 * ```
 */
export interface Outcome {
  reply: Reply
  /** A token was issued. */
  issued: boolean
  /** The decoded header and claims of the token issued (for the log; never the token itself). */
  token?: DecodedToken
  errorCodes?: number[]
}

/**
 * The outcome of a refusal: its Entra error reply and code. Anything but an `AadstsError` is thrown
 * on (the request handler answers it with a 500).
 *
 * @example
 * ```ts
 * try {
 *   return { reply: jsonReply(200, answer(), context.traceId), issued: false }
 * } catch (error) {
 *   return refusalOutcome(error, context)
 * }
 * ```
 */
export function refusalOutcome(error: unknown, context: RequestContext): Outcome {
  if (!(error instanceof AadstsError)) throw error
  return { reply: errorReply(error, context), issued: false, errorCodes: [error.code] }
}
