/**
 * Responses as values: built by the routes, changed by faults, written once at the edge. Every
 * response carries Entra's headers: `Cache-Control: no-store, no-cache`, `Pragma: no-cache`,
 * `x-ms-request-id` (= the error body's `trace_id`).
 */
import type { ServerResponse } from 'node:http'
import { type AadstsError, type ErrorContext, errorBody } from '../entra/error-body.js'

/**
 * A response not yet written.
 *
 * @example
 * ```ts
 * const reply: Reply = { status: 429, headers: baseHeaders(traceId, 'text/plain'), text: 'Too Many Requests' }
 * ```
 */
export interface Reply {
  status: number
  headers: Record<string, string>
  /** A JSON body (serialised when written). */
  json?: unknown
  /** A raw body, used when `json` is absent. */
  text?: string
  /** Send without `Content-Length`, in chunks. */
  chunked?: boolean
}

const JSON_TYPE = 'application/json; charset=utf-8'

/**
 * The headers every answer carries.
 *
 * @example
 * ```ts
 * baseHeaders('0a1b…', JSON_TYPE)['x-ms-request-id'] // '0a1b…'
 * ```
 */
export function baseHeaders(traceId: string, contentType: string): Record<string, string> {
  return {
    'cache-control': 'no-store, no-cache',
    pragma: 'no-cache',
    'content-type': contentType,
    'x-content-type-options': 'nosniff',
    'x-ms-request-id': traceId,
  }
}

/**
 * A JSON response.
 *
 * @example
 * ```ts
 * jsonReply(200, { token_type: 'Bearer', … }, traceId)
 * ```
 */
export function jsonReply(status: number, json: unknown, traceId: string): Reply {
  return { status, headers: baseHeaders(traceId, JSON_TYPE), json }
}

/**
 * The response for a refusal: its status and Entra error body.
 *
 * @example
 * ```ts
 * errorReply(new AadstsError(90002, MESSAGES.tenantNotFound('x')), context).status // 400
 * ```
 */
export function errorReply(failure: AadstsError, context: ErrorContext): Reply {
  return jsonReply(failure.status, errorBody(failure, context), context.traceId)
}

/**
 * A plain-text response.
 *
 * @example
 * ```ts
 * textReply(429, 'Too Many Requests', traceId, 'text/plain; charset=utf-8')
 * ```
 */
export function textReply(status: number, text: string, traceId: string, contentType: string): Reply {
  return { status, headers: baseHeaders(traceId, contentType), text }
}

/**
 * The serialised body of a reply.
 *
 * @example
 * ```ts
 * replyBody(jsonReply(200, { a: 1 }, id)).toString() // '{"a":1}'
 * ```
 */
export function replyBody(reply: Reply): Buffer {
  return Buffer.from(reply.json === undefined ? (reply.text ?? '') : JSON.stringify(reply.json), 'utf8')
}

const CHUNK_BYTES = 64 * 1024

/**
 * Writes a reply: with `Content-Length`, or chunked.
 *
 * @example
 * ```ts
 * writeReply(res, jsonReply(200, body, traceId))
 * ```
 */
export function writeReply(res: ServerResponse, reply: Reply): void {
  const body = replyBody(reply)
  const headers = reply.chunked ? reply.headers : { ...reply.headers, 'content-length': String(body.length) }
  res.writeHead(reply.status, headers)
  if (!reply.chunked) {
    res.end(body)
    return
  }
  for (let offset = 0; offset < body.length; offset += CHUNK_BYTES)
    res.write(body.subarray(offset, offset + CHUNK_BYTES))
  res.end()
}
