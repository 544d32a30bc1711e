/**
 * AADSTS error values and the JSON bodies the real service sends for them (docs/entra.md §8): keys in the
 * order `error`, `error_description`, `error_codes`, `timestamp`, `trace_id`, `correlation_id`,
 * `error_uri`; the description ends with the trace id, correlation id and timestamp.
 */
import { AADSTS, type AadstsCode } from './aadsts.js'
import { formatErrorTimestamp } from './ids.js'

/**
 * The separators of the description's trailer, for the `descriptionSeparator` option's schema.
 *
 * @example
 * ```ts
 * DESCRIPTION_SEPARATORS // [' ', '\r\n']
 * ```
 */
export const DESCRIPTION_SEPARATORS = [' ', '\r\n'] as const

/**
 * How the description's trailer is separated: single spaces (2024 on) or CRLF (until 2023).
 *
 * @example
 * ```ts
 * await startLocalAuthority({ descriptionSeparator: '\r\n' }) // the pre-2024 trailer
 * ```
 */
export type DescriptionSeparator = (typeof DESCRIPTION_SEPARATORS)[number]

/**
 * A refusal, thrown inside request handling and turned into a response body at the edge.
 *
 * @example
 * ```ts
 * throw new AadstsError(7000215, MESSAGES.wrongSecret(clientId))
 * ```
 */
export class AadstsError extends Error {
  readonly code: AadstsCode
  readonly error: string
  readonly status: number

  constructor(code: AadstsCode, message: string, override?: { error?: string; status?: number }) {
    super(`AADSTS${code}: ${message}`)
    this.name = 'AadstsError'
    this.code = code
    this.error = override?.error ?? AADSTS[code].error
    this.status = override?.status ?? AADSTS[code].status
  }
}

/**
 * What the error body needs to know about the request it answers.
 *
 * @example
 * ```ts
 * errorBody(failure, { traceId, correlationId, now: Date.now(), separator: ' ', errorHost: 'login.microsoftonline.com' })
 * ```
 */
export interface ErrorContext {
  traceId: string
  correlationId: string
  now: number
  separator: DescriptionSeparator
  /** Host named by `error_uri`, e.g. `login.microsoftonline.com`. */
  errorHost: string
}

/**
 * An Entra error body, keys in wire order.
 *
 * @example
 * ```ts
 * const res = await fetch(authority.tokenEndpoint(tenant), { method: 'POST', body: new URLSearchParams({ client_id: clientId }) })
 * const body = (await res.json()) as ErrorBody
 * body.error_codes // [7000215]
 * ```
 */
export interface ErrorBody {
  error: string
  error_description: string
  error_codes: number[]
  timestamp: string
  trace_id: string
  correlation_id: string
  error_uri: string
}

/**
 * The JSON body of an error response.
 *
 * @example
 * ```ts
 * errorBody(new AadstsError(90002, MESSAGES.tenantNotFound('x.com')), context).error_codes // [90002]
 * ```
 */
export function errorBody(failure: AadstsError, context: ErrorContext): ErrorBody {
  const timestamp = formatErrorTimestamp(context.now)
  const trailer = [
    failure.message,
    `Trace ID: ${context.traceId}`,
    `Correlation ID: ${context.correlationId}`,
    `Timestamp: ${timestamp}`,
  ]
  return {
    error: failure.error,
    error_description: trailer.join(context.separator),
    error_codes: [failure.code],
    timestamp,
    trace_id: context.traceId,
    correlation_id: context.correlationId,
    error_uri: `https://${context.errorHost}/error?code=${failure.code}`,
  }
}
