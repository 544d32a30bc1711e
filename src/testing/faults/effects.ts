/**
 * How each fault kind turns into what the client sees: either instead of the normal answer
 * (statuses, HTML, drop, a DPoP nonce challenge), before it (latency), or by changing it (truncated, oversized, wrong
 * content type, error in a 200, odd `expires_in`).
 */
import { randomBytes } from 'node:crypto'
import { setTimeout as delay } from 'node:timers/promises'
import { MESSAGES } from '../entra/aadsts.js'
import { AadstsError, type ErrorContext } from '../entra/error-body.js'
import type { Outcome } from '../http/outcome.js'
import { errorReply, jsonReply, type Reply, replyBody, textReply } from '../http/reply.js'
import type { Fault } from './queue.js'

const HTML_502 =
  '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>' +
  '<body><h1>Bad Gateway</h1><p>The proxy server received an invalid response from an upstream server.</p></body></html>\n'

/**
 * Runs a route under a fault (or none): `'drop'` means destroy the socket.
 *
 * @example
 * ```ts
 * const result = await runWithFault(faults.take('token', clientId), context, () => answerToken(…), signal)
 * ```
 */
export async function runWithFault(
  fault: Fault | undefined,
  context: ErrorContext,
  produce: () => Promise<Outcome>,
  signal: AbortSignal,
): Promise<Outcome | 'drop'> {
  if (!fault) return produce()
  if (fault.kind === 'drop') return 'drop'
  if (fault.kind === 'latency') {
    await delay(fault.ms, undefined, { signal })
    return produce()
  }
  const replacement = replacementReply(fault, context)
  if (replacement) return { reply: replacement, issued: false, ...codesOf(replacement) }
  return alterOutcome(fault, await produce(), context)
}

function replacementReply(fault: Fault, context: ErrorContext): Reply | undefined {
  switch (fault.kind) {
    case 'status429':
      return withRetryAfter(
        textReply(429, 'Too Many Requests', context.traceId, 'text/plain; charset=utf-8'),
        fault.retryAfter,
      )
    case 'status503':
      return withRetryAfter(
        errorReply(new AadstsError(90033, MESSAGES.transient()), context),
        fault.retryAfter,
      )
    case 'status500':
      return errorReply(new AadstsError(50000, MESSAGES.serverError()), context)
    case 'status410':
      // IMDS while it is being upgraded (docs/managed-identity.md §Retries)
      return textReply(410, 'Gone', context.traceId, 'text/plain; charset=utf-8')
    case 'html':
      return textReply(502, HTML_502, context.traceId, 'text/html; charset=utf-8')
    case 'useDpopNonce':
      return nonceChallenge(context)
    default:
      return undefined
  }
}

/** RFC 9449 §8: a nonce challenge with a nonce never seen before (so a client can never satisfy it). */
function nonceChallenge(context: ErrorContext): Reply {
  const body = {
    error: 'use_dpop_nonce',
    error_description: 'Authorization server requires nonce in DPoP proof',
  }
  const reply = jsonReply(400, body, context.traceId)
  reply.headers['dpop-nonce'] = randomBytes(16).toString('base64url')
  return reply
}

function withRetryAfter(reply: Reply, retryAfter: number | string | undefined): Reply {
  if (retryAfter !== undefined) reply.headers['retry-after'] = String(retryAfter)
  return reply
}

function alterOutcome(fault: Fault, outcome: Outcome, context: ErrorContext): Outcome {
  const reply: Reply = { ...outcome.reply, headers: { ...outcome.reply.headers } }
  switch (fault.kind) {
    case 'truncated': {
      const body = replyBody(reply)
      return {
        ...outcome,
        reply: {
          status: reply.status,
          headers: reply.headers,
          text: body.subarray(0, Math.floor(body.length / 2)).toString('utf8'),
        },
      }
    }
    case 'oversized':
      return { ...outcome, reply: { ...reply, json: padded(reply, fault.bytes), chunked: true } }
    case 'wrongContentType':
      reply.headers['content-type'] = 'text/html; charset=utf-8'
      return { ...outcome, reply }
    case 'errorIn200':
      return errorIn200(outcome, context)
    case 'expiresIn':
      return { ...outcome, reply: { ...reply, json: withExpiresIn(reply.json, fault.value) } }
    default:
      return outcome
  }
}

function padded(reply: Reply, bytes: number): unknown {
  const json = (reply.json ?? {}) as Record<string, unknown>
  const overhead = Buffer.byteLength(JSON.stringify({ ...json, padding: '' }))
  return { ...json, padding: 'x'.repeat(Math.max(0, bytes - overhead)) }
}

function errorIn200(outcome: Outcome, context: ErrorContext): Outcome {
  const failed = outcome.reply.status >= 400 && outcome.reply.json !== undefined
  const source = failed ? outcome.reply : errorReply(new AadstsError(50000, MESSAGES.serverError()), context)
  return { reply: { ...source, status: 200 }, issued: false, ...codesOf(source) }
}

function withExpiresIn(json: unknown, value: number | string): unknown {
  if (typeof json !== 'object' || json === null || !('access_token' in json)) return json
  const body = json as Record<string, unknown>
  return { ...body, expires_in: typeof body.expires_in === 'string' ? String(value) : value }
}

function codesOf(reply: Reply): { errorCodes?: number[] } {
  const codes = (reply.json as { error_codes?: number[] } | undefined)?.error_codes
  return codes ? { errorCodes: codes } : {}
}
