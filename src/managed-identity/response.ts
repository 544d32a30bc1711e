/**
 * A managed-identity endpoint's answer → a {@link ManagedIdentityToken}, or the error it stands for.
 * Pure: the answer, the request time and the clock are passed in (docs/entra.md §10).
 *
 * Success forms: `access_token`; `expires_on` as epoch seconds (a number or a numeric string) or an
 * ISO 8601 date; `expires_in` as seconds (a number or a string); optional `refresh_in`, `resource`,
 * `token_type` (Bearer), `client_id`.
 */
import { ResponseFormatError } from '../errors.js'
import { managedIdentityError } from './error-response.js'
import type { ManagedIdentitySourceKind } from './source.js'
import { ManagedIdentityToken } from './token.js'

/**
 * An answer as read off the wire.
 *
 * @example
 * ```ts
 * const answer: IdentityResponse = { status: 200, headers: {}, text: '{"access_token":"…","expires_in":"3600"}', sentAt: Date.now() }
 * ```
 */
export interface IdentityResponse {
  status: number
  headers: Readonly<Record<string, string | string[] | undefined>>
  /** The body, as text. */
  text: string
  /** When the request was sent, epoch ms. */
  sentAt: number
}

/**
 * What the answer is read against.
 *
 * @example
 * ```ts
 * const context: ResponseContext = { source: 'imds', resource: 'https://vault.azure.net', now: Date.now() }
 * ```
 */
export interface ResponseContext {
  source: ManagedIdentitySourceKind
  /** The resource asked for (used when the answer does not echo one). */
  resource: string
  /** Now, epoch ms (for `Retry-After` dates). */
  now: number
}

/**
 * Tokens living longer than this are refreshed at half their life (as msal-node does).
 *
 * @example
 * ```ts
 * const refreshAt = lifetime > LONG_LIVED_MS ? sentAt + lifetime / 2 : expiresAt
 * ```
 */
export const LONG_LIVED_MS = 2 * 3_600_000
/**
 * Lifetimes above a year are refused as implausible (an `expires_on` in epoch ms would be one).
 *
 * @example
 * ```ts
 * if (expiresAt - sentAt > MAX_LIFETIME_MS) refuse() // 366 days
 * ```
 */
export const MAX_LIFETIME_MS = 366 * 86_400_000
const NUMERIC = /^\d+(?:\.\d+)?$/
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/

/**
 * The token in a 2xx answer; any other status, or a 2xx that carries `error`, throws the source's error
 * (an AuthorityError with the server's code and a hint). A 2xx that is not a usable token throws a
 * {@link ResponseFormatError} naming the field.
 *
 * @example
 * ```ts
 * const token = parseManagedIdentityResponse(
 *   { status: 200, headers: {}, text: '{"access_token":"eyJ…","expires_on":"1767225600","resource":"https://vault.azure.net","token_type":"Bearer"}', sentAt },
 *   { source: 'imds', resource: 'https://vault.azure.net', now: sentAt },
 * )
 * ```
 */
export function parseManagedIdentityResponse(
  response: IdentityResponse,
  context: ResponseContext,
): ManagedIdentityToken {
  const body = jsonObject(response.text)
  if (response.status < 200 || response.status > 299 || body?.error !== undefined) {
    throw managedIdentityError(response, body, context)
  }
  if (body === undefined) throw formatError('body', 'is not a JSON object.', response.status)
  const accessToken = body.access_token
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw formatError('access_token', 'is missing or empty.', response.status)
  }
  const tokenType = body.token_type
  if (tokenType !== undefined && (typeof tokenType !== 'string' || tokenType.toLowerCase() !== 'bearer')) {
    throw formatError('token_type', `is '${String(tokenType)}', not Bearer.`, response.status)
  }
  const expiresAt = expiryOf(body, response)
  return new ManagedIdentityToken({
    accessToken,
    requestedAt: response.sentAt,
    expiresAt,
    refreshAt: refreshAtOf(body, response.sentAt, expiresAt),
    resource: typeof body.resource === 'string' && body.resource !== '' ? body.resource : context.resource,
    clientId: typeof body.client_id === 'string' ? body.client_id : undefined,
    source: context.source,
  })
}

/**
 * `text` parsed, when it is a JSON object.
 *
 * @example
 * ```ts
 * jsonObject('{"a":1}') // { a: 1 };  jsonObject('[1]') // undefined
 * ```
 */
export function jsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

/** Seconds as a number or a numeric string. */
function seconds(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined
  return typeof value === 'string' && NUMERIC.test(value) ? Number(value) : undefined
}

/** `expires_on` as epoch ms: epoch seconds (number or numeric string) or an ISO 8601 date. */
function expiresOnMs(value: unknown): number | undefined {
  const epoch = seconds(value)
  if (epoch !== undefined) return epoch * 1000
  if (typeof value !== 'string' || !ISO_8601.test(value)) return undefined
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : at
}

/** The earlier of `expires_on` and `sentAt + expires_in`, whichever are present. */
function expiryOf(body: Record<string, unknown>, response: IdentityResponse): number {
  const candidates: number[] = []
  const on = expiresOnMs(body.expires_on)
  if (on !== undefined) candidates.push(on)
  const inSeconds = seconds(body.expires_in)
  if (inSeconds !== undefined) candidates.push(response.sentAt + inSeconds * 1000)
  if (candidates.length === 0) {
    const field = body.expires_on !== undefined ? 'expires_on' : 'expires_in'
    throw formatError(
      field,
      'is missing or not epoch seconds, an ISO 8601 date or a number of seconds.',
      response.status,
    )
  }
  const earliest = Math.min(...candidates)
  const expiresAt = Math.round(earliest)
  const field = on === earliest ? 'expires_on' : 'expires_in'
  if (expiresAt <= response.sentAt) throw formatError(field, 'is not in the future.', response.status)
  if (expiresAt - response.sentAt > MAX_LIFETIME_MS) {
    throw formatError(
      field,
      'is over a year away: not a plausible lifetime (epoch milliseconds?).',
      response.status,
    )
  }
  return expiresAt
}

function refreshAtOf(body: Record<string, unknown>, sentAt: number, expiresAt: number): number {
  const refreshIn = seconds(body.refresh_in)
  if (refreshIn !== undefined && refreshIn > 0)
    return Math.min(expiresAt, sentAt + Math.round(refreshIn * 1000))
  const lifetime = expiresAt - sentAt
  return lifetime > LONG_LIVED_MS ? sentAt + Math.round(lifetime / 2) : expiresAt
}

function formatError(field: string, problem: string, status: number): ResponseFormatError {
  return new ResponseFormatError(
    field,
    `The managed identity endpoint's ${field} ${problem}`,
    { status },
    {
      hint: 'The endpoint is not a managed identity endpoint, or answered in a form this library does not know: check the endpoint URL.',
    },
  )
}
