/**
 * Token endpoint answers → a token response or one of our errors. Pure: no I/O, tested with literal
 * bodies (docs/entra.md §6 and §8).
 */
import { type HintContext, hintFor } from './aadsts.js'
import { decodeClaims } from './claims.js'
import { AuthorityError, ResponseFormatError } from './errors.js'
import { parseRetryAfter } from './retry.js'
import { tokenProblem } from './token-text.js'
import type { RawResponse } from './transport.js'

/** A successful token response, with v1 strings already turned into numbers. */
export interface TokenResponse {
  accessToken: string
  /** How it is presented: `Bearer`; `DPoP` (bound to the client's DPoP key, RFC 9449 §5); `mtls_pop`. */
  tokenType: TokenType
  /** Lifetime in seconds from when the request was sent. */
  expiresInSec: number
  extExpiresInSec: number | undefined
  /** Seconds after which the server wants the token refreshed. */
  refreshInSec: number | undefined
  scope: string | undefined
  resource: string | undefined
}

/** Lifetimes above a year are refused as implausible. */
const MAX_LIFETIME_SEC = 365 * 24 * 3600
/**
 * Lifetimes up to the cache's clock-skew margin (30 s) are refused: such a token is never handed out,
 * and caching it would push a still-valid token out.
 */
const MIN_LIFETIME_SEC = 30
const MAX_DESCRIPTION_CHARS = 600
const NUMERIC = /^\d+(\.\d+)?$/

/**
 * How an answer is read: the hint context, and the token type asked for: DPoP (then only
 * `token_type: DPoP` is accepted), `mtls_pop`, or else only `Bearer`.
 *
 * @example
 * ```ts
 * const ctx: ResponseContext = { dpop: true }
 * ```
 */
export type ResponseContext = HintContext & {
  readonly dpop?: boolean | undefined
  /** `mtls_pop` for an Entra mTLS PoP client; `Bearer` otherwise (unless `dpop`). */
  readonly tokenType?: 'Bearer' | 'mtls_pop' | undefined
}

/** How a token is presented: `Authorization: <type> <token>`. */
export type TokenType = 'Bearer' | 'DPoP' | 'mtls_pop'

/**
 * Parses a token endpoint answer. Throws {@link AuthorityError} for error answers (including a 200
 * that carries `error`) and {@link ResponseFormatError} for a success that is not a usable token.
 *
 * @example
 * ```ts
 * const token = parseTokenResponse({ status: 200, headers: {}, text: body, sentAt: Date.now() })
 * token.expiresInSec // 3599, from v2's number or v1's string
 * ```
 */
export function parseTokenResponse(response: RawResponse, ctx: ResponseContext = {}): TokenResponse {
  const body = parseJsonObject(response.text)
  const ok = response.status >= 200 && response.status < 300
  if (!ok || (body && body.error !== undefined)) throw authorityError(response, body, ctx)
  if (!body) {
    const what =
      response.text.trim() === '' ? 'empty' : looksLikeHtml(response.text) ? 'an HTML page' : 'not JSON'
    throw new ResponseFormatError('body', `The token response body is ${what}.`, response, {
      hint: 'Check that the token endpoint URL is right and that no proxy answers in its place.',
    })
  }
  return successFields(body, response, ctx.dpop === true ? 'DPoP' : (ctx.tokenType ?? 'Bearer'))
}

function successFields(
  body: Record<string, unknown>,
  response: RawResponse,
  expected: TokenType,
): TokenResponse {
  const accessToken = body.access_token
  if (typeof accessToken !== 'string' || accessToken.length === 0) {
    throw formatError('access_token', 'is missing or not a non-empty string', response)
  }
  const unsendable = tokenProblem(accessToken)
  if (unsendable !== undefined) throw formatError('access_token', unsendable, response)
  checkTokenType(body.token_type, expected, response)
  return {
    accessToken,
    tokenType: expected,
    expiresInSec: expiresIn(body.expires_in, accessToken, response),
    extExpiresInSec: positiveSeconds(body.ext_expires_in),
    refreshInSec: positiveSeconds(body.refresh_in),
    scope: typeof body.scope === 'string' ? body.scope : undefined,
    resource: typeof body.resource === 'string' ? body.resource : undefined,
  }
}

/**
 * The answer's `token_type` must be the kind asked for (a missing one is read as Bearer, older servers):
 * `DPoP` only when the client asked with DPoP (RFC 9449 §5), `mtls_pop` only for a client that asked
 * for it (mtlsProofOfPossession), `Bearer` only when it asked for neither. A bearer token for a bound
 * client is refused, not used unbound: the client asked for a token worthless to a thief.
 */
function checkTokenType(value: unknown, expected: TokenType, response: RawResponse): void {
  const got = typeof value === 'string' ? value.toLowerCase() : value
  if (got === expected.toLowerCase() || (expected === 'Bearer' && got === undefined)) return
  throw formatError('token_type', tokenTypeProblem(value, got, expected), response)
}

function tokenTypeProblem(value: unknown, got: unknown, expected: TokenType): string {
  const shown = describe(value)
  if (expected === 'DPoP') {
    return `is ${shown}, not DPoP: the server did not bind the token to the client's DPoP key (check that DPoP is enabled for this client on the server)`
  }
  if (expected === 'mtls_pop') {
    return `is ${shown}: an mtls_pop token was asked for (mtlsProofOfPossession) and another kind came back`
  }
  if (got === 'dpop') {
    return 'is "DPoP": the server bound the token to a key this client does not use (set the dpop option, or turn DPoP off for this client on the server)'
  }
  if (got === 'mtls_pop')
    return `is ${shown}: an mtls_pop token was not asked for: set mtlsProofOfPossession to use one`
  return `is ${shown}: only Bearer tokens are supported (DPoP with the dpop option, mtls_pop with mtlsProofOfPossession)`
}

function expiresIn(value: unknown, accessToken: string, response: RawResponse): number {
  if (value === undefined) {
    const exp = decodeClaims(accessToken)?.exp
    const fromClaim = typeof exp === 'number' ? exp - Math.floor(response.sentAt / 1000) : undefined
    if (fromClaim !== undefined && fromClaim > MIN_LIFETIME_SEC && fromClaim <= MAX_LIFETIME_SEC)
      return fromClaim
    throw formatError('expires_in', 'is missing (and the token carries no usable exp claim)', response)
  }
  const seconds = positiveSeconds(value)
  if (seconds === undefined) {
    throw formatError('expires_in', `is ${describe(value)}: expected a positive number of seconds`, response)
  }
  if (seconds <= MIN_LIFETIME_SEC) {
    throw formatError(
      'expires_in',
      `is ${seconds} seconds: not longer than the ${MIN_LIFETIME_SEC} s clock-skew margin, so the token cannot be used`,
      response,
    )
  }
  if (seconds > MAX_LIFETIME_SEC) {
    throw formatError(
      'expires_in',
      `is ${seconds} seconds: over a year is not a plausible lifetime`,
      response,
    )
  }
  return seconds
}

/** A positive number of seconds from a number or a numeric string (v1), else `undefined`. */
function positiveSeconds(value: unknown): number | undefined {
  const n =
    typeof value === 'number' ? value : typeof value === 'string' && NUMERIC.test(value) ? Number(value) : NaN
  return Number.isFinite(n) && n > 0 ? n : undefined
}

/** A wire value as a message shows it (a number as JavaScript read it: `1e400` is `Infinity`, not `null`). */
function describe(value: unknown): string {
  const text = typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value))
  return text.length > 40 ? `${text.slice(0, 40)}…` : text
}

function formatError(field: string, problem: string, response: RawResponse): ResponseFormatError {
  return new ResponseFormatError(field, `The token response's ${field} ${problem}.`, response)
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

function looksLikeHtml(text: string): boolean {
  return /^\s*</.test(text)
}

function header(response: RawResponse, name: string): string | undefined {
  const value = response.headers[name]
  return Array.isArray(value) ? value[0] : value
}

function authorityError(response: RawResponse, body: Record<string, unknown> | undefined, ctx: HintContext) {
  const { status } = response
  const error = typeof body?.error === 'string' ? body.error : undefined
  const rawDescription = typeof body?.error_description === 'string' ? body.error_description : undefined
  const description = rawDescription === undefined ? undefined : stripTrailers(rawDescription)
  const codes = errorCodes(body?.error_codes, rawDescription)
  const retryable =
    status === 429 || status >= 500 || error === 'temporarily_unavailable' || error === 'server_error'
  const info = {
    status,
    error,
    errorDescription: description,
    aadstsCodes: codes,
    traceId: stringField(body, 'trace_id') ?? header(response, 'x-ms-request-id'),
    correlationId: stringField(body, 'correlation_id'),
    timestamp: stringField(body, 'timestamp'),
    errorUri: stringField(body, 'error_uri'),
    retryAfterMs: parseRetryAfter(header(response, 'retry-after'), response.sentAt),
    clientRequestId: response.clientRequestId,
  }
  const hint = hintFor(codes, ctx) ?? genericHint(status, body, response.text)
  return new AuthorityError(errorMessage(status, error, codes, description, body), info, { hint, retryable })
}

function errorMessage(
  status: number,
  error: string | undefined,
  codes: readonly number[],
  description: string | undefined,
  body: Record<string, unknown> | undefined,
): string {
  const what = [String(status), error, codes.length ? codes.map((c) => `AADSTS${c}`).join(', ') : undefined]
  const head = `The authority rejected the token request (${what.filter(Boolean).join(' ')})`
  if (description) return `${head}: ${truncate(description)}`
  if (status === 429) return `${head}: too many requests (throttled).`
  if (!body) return `${head}: the answer was not a JSON error body.`
  return `${head}.`
}

function genericHint(
  status: number,
  body: Record<string, unknown> | undefined,
  text: string,
): string | undefined {
  if (body?.error === 'use_dpop_nonce')
    return 'The server asked for a DPoP nonce and sent none in DPoP-Nonce, or asked again after the one retry that carried it: check its nonce settings.'
  if (body?.error === 'invalid_dpop_proof')
    return "The server refused the DPoP proof: check that the client's clock is right and that the server accepts the proof's algorithm (dpop.algorithm)."
  if (status === 429)
    return 'Throttled: the request is retried after Retry-After; cache tokens rather than asking again.'
  if (status >= 500) return 'The authority failed or is unavailable: the request is retried with backoff.'
  if (!body && looksLikeHtml(text))
    return 'An HTML page answered: check the token endpoint URL and any proxy in between.'
  return undefined
}

/** The description without its `Trace ID: … Correlation ID: … Timestamp: …` trailers (either separator). */
export function stripTrailers(description: string): string {
  return description.replace(/(?:\r\n|\s)+Trace ID:[\s\S]*$/, '').trim()
}

function errorCodes(value: unknown, description: string | undefined): number[] {
  if (Array.isArray(value)) {
    const codes = value.filter((c): c is number => Number.isInteger(c))
    if (codes.length) return codes
  }
  const match = description?.match(/^AADSTS(\d+)/)
  return match?.[1] ? [Number(match[1])] : []
}

function stringField(body: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = body?.[key]
  return typeof value === 'string' ? value : undefined
}

function truncate(text: string): string {
  return text.length > MAX_DESCRIPTION_CHARS ? `${text.slice(0, MAX_DESCRIPTION_CHARS)}…` : text
}
