/**
 * The errors of an authority's answer: it refused (an OAuth error, a 429, a 5xx), or its success
 * answer is not a usable token response.
 */
import { ClientCredentialsError, type ErrorDetails, nameErrorClasses } from './error-base.js'

/** The fields of an authority's error answer, as parsed. */
export interface AuthorityErrorInfo {
  status: number
  error?: string | undefined
  errorDescription?: string | undefined
  aadstsCodes?: readonly number[] | undefined
  traceId?: string | undefined
  correlationId?: string | undefined
  timestamp?: string | undefined
  errorUri?: string | undefined
  retryAfterMs?: number | undefined
  clientRequestId?: string | undefined
}

/**
 * The authority answered with an error (`invalid_client`, `invalid_scope`, a 429, a 5xx, or a 200 that
 * carries `error`). `aadstsCodes` and `hint` say what Entra meant and what to fix.
 *
 * @example
 * ```ts
 * if (err instanceof AuthorityError && err.aadstsCodes.includes(7000215)) {
 *   console.error(err.hint) // send the secret's Value, not its Secret ID
 * }
 * ```
 */
export class AuthorityError extends ClientCredentialsError {
  declare readonly code: 'ERR_AUTHORITY_REJECTED'
  /** HTTP status of the answer. */
  readonly status: number
  /** The OAuth `error` (`invalid_client`, `invalid_scope`, …), when the body had one. */
  readonly error: string | undefined
  /** The description without its Trace ID / Correlation ID / Timestamp trailers. */
  readonly errorDescription: string | undefined
  /** The AADSTS codes of the answer (`error_codes`, or read from the description). */
  readonly aadstsCodes: readonly number[]
  readonly traceId: string | undefined
  readonly correlationId: string | undefined
  readonly timestamp: string | undefined
  readonly errorUri: string | undefined
  /** How long the server asked us to wait (`Retry-After`), in ms. */
  readonly retryAfterMs: number | undefined
  /** The `client-request-id` we sent. */
  readonly clientRequestId: string | undefined

  constructor(message: string, info: AuthorityErrorInfo, details: ErrorDetails = {}) {
    super('ERR_AUTHORITY_REJECTED', message, details)
    this.status = info.status
    this.error = info.error
    this.errorDescription = info.errorDescription
    this.aadstsCodes = Object.freeze([...(info.aadstsCodes ?? [])])
    this.traceId = info.traceId
    this.correlationId = info.correlationId
    this.timestamp = info.timestamp
    this.errorUri = info.errorUri
    this.retryAfterMs = info.retryAfterMs
    this.clientRequestId = info.clientRequestId
  }
}

/**
 * A success answer that is not a usable token response: not JSON, no `access_token`, an
 * `expires_in` that is not a positive number, a `token_type` other than Bearer. `field` names it.
 *
 * @example
 * ```ts
 * if (err instanceof ResponseFormatError) console.error(err.field) // 'expires_in'
 * ```
 */
export class ResponseFormatError extends ClientCredentialsError {
  declare readonly code: 'ERR_TOKEN_RESPONSE_INVALID'
  /** The response field at fault (`body` when the body is not JSON at all). */
  readonly field: string
  /** HTTP status of the answer. */
  readonly status: number

  constructor(field: string, message: string, info: { status: number }, details: ErrorDetails = {}) {
    super('ERR_TOKEN_RESPONSE_INVALID', message, details)
    this.field = field
    this.status = info.status
  }
}

nameErrorClasses([
  [AuthorityError, 'AuthorityError'],
  [ResponseFormatError, 'ResponseFormatError'],
])
