/**
 * RFC 6750 §3 `WWW-Authenticate: Bearer …` challenges, and the {@link TokenVerificationError}s that
 * carry them. The values we put in a challenge come partly from the token (an issuer, an audience)
 * or from configuration (a role name), so every value is sanitised before it is quoted.
 */

import { type TokenRejection, TokenVerificationError } from '../errors.js'

/** The OAuth error codes of RFC 6750 §3.1 that a resource server answers with. */
export type BearerErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope'

/** What a challenge says. */
export interface BearerChallenge {
  /** The protection space, when the API names one. */
  realm?: string | undefined
  /** Absent when the request carried no bearer token at all (RFC 6750 §3.1). */
  error?: BearerErrorCode | undefined
  /** A human-readable explanation; sanitised and quoted here. */
  description?: string | undefined
}

/** Why a token is refused, before it becomes an error: what the checks return. */
export interface Rejection {
  reason: TokenRejection
  /** Goes to the client (message and `error_description`): facts about the token, never the token. */
  description: string
  /** For the API's operators (the error's `hint`), never sent to the client. */
  hint?: string
}

/** Longest description we send: a challenge is a header, not a log line. */
const MAX_DESCRIPTION_CHARS = 300

/**
 * Makes a value safe inside an HTTP quoted-string: characters outside printable ASCII become `?`,
 * and `"` and `\` become quoted-pairs (`\"`, `\\`). RFC 6750 §3 restricts `error_description` to
 * printable ASCII; escaping keeps a quote inside a role name from ending the parameter early.
 *
 * @example
 * ```ts
 * quoteHeaderValue('say "hi"') // '"say \\"hi\\""'
 * ```
 */
export function quoteHeaderValue(value: string): string {
  const printable = value.replace(/[^\x20-\x7e]/g, '?')
  return `"${printable.replace(/[\\"]/g, (c) => `\\${c}`)}"`
}

/**
 * Formats a `Bearer` challenge: `Bearer realm="api", error="invalid_token", error_description="…"`.
 * With no realm and no error it is the bare `Bearer` that answers a request without a token.
 *
 * @example
 * ```ts
 * formatBearerChallenge({ error: 'invalid_token', description: 'token expired' })
 * // 'Bearer error="invalid_token", error_description="token expired"'
 * ```
 */
export function formatBearerChallenge(challenge: BearerChallenge): string {
  const params: string[] = []
  if (challenge.realm !== undefined) params.push(`realm=${quoteHeaderValue(challenge.realm)}`)
  if (challenge.error !== undefined) {
    params.push(`error=${quoteHeaderValue(challenge.error)}`)
    if (challenge.description !== undefined) {
      params.push(
        `error_description=${quoteHeaderValue(challenge.description.slice(0, MAX_DESCRIPTION_CHARS))}`,
      )
    }
  }
  return params.length === 0 ? 'Bearer' : `Bearer ${params.join(', ')}`
}

/**
 * Builds the error for a rejected token: `insufficient_scope` (403) for missing roles,
 * `invalid_token` (401) otherwise. The description is the message and goes to the client, so it
 * never holds the token, only facts about it.
 *
 * @example
 * ```ts
 * throw rejectToken({ reason: 'expired', description: 'token expired at 2025-01-01T00:00:00.000Z' }, { realm: 'orders' })
 * ```
 */
export function rejectToken(
  { reason, description, hint }: Rejection,
  options: { realm?: string | undefined; cause?: unknown } = {},
): TokenVerificationError {
  const error: BearerErrorCode = reason === 'roles' ? 'insufficient_scope' : 'invalid_token'
  const challenge = formatBearerChallenge({ realm: options.realm, error, description })
  return new TokenVerificationError(reason, description, challenge, { cause: options.cause, hint })
}

/**
 * Builds the error for a request that carried no bearer token (no `Authorization` header, or
 * another scheme): reason `malformed`, and the bare challenge with no error code (RFC 6750 §3.1).
 *
 * @example
 * ```ts
 * throw rejectMissingToken('no Authorization header', { realm: 'orders' })
 * // err.challenge === 'Bearer realm="orders"'
 * ```
 */
export function rejectMissingToken(
  description: string,
  options: { realm?: string | undefined } = {},
): TokenVerificationError {
  return new TokenVerificationError('malformed', description, formatBearerChallenge({ realm: options.realm }))
}

/**
 * Clips a value taken from a token (an issuer, an audience) before it goes into a message.
 *
 * @example
 * ```ts
 * clip('x'.repeat(500)).length // 83
 * ```
 */
export function clip(value: unknown, maxChars = 80): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value))
  return text.length > maxChars ? `${text.slice(0, maxChars)}...` : text
}
