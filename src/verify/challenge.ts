/**
 * RFC 6750 §3 `WWW-Authenticate: Bearer …` and RFC 9449 §7.1 `WWW-Authenticate: DPoP …` challenges,
 * and the {@link TokenVerificationError}s that carry them. The values we put in a challenge come partly from the token (an issuer, an audience)
 * or from configuration (a role name), so every value is sanitised before it is quoted.
 */

import { type TokenRejection, TokenVerificationError } from '../errors.js'

/** The OAuth error codes of RFC 6750 §3.1 that a resource server answers with. */
export type BearerErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope'

/**
 * The error codes of a `DPoP` challenge: RFC 6750's, and RFC 9449's for proofs and nonces.
 *
 * @example
 * ```ts
 * const code: DpopErrorCode = 'use_dpop_nonce'
 * ```
 */
export type DpopErrorCode = BearerErrorCode | 'invalid_dpop_proof' | 'use_dpop_nonce'

/** What a challenge says. */
export interface BearerChallenge {
  /** The protection space, when the API names one. */
  realm?: string | undefined
  /** Absent when the request carried no bearer token at all (RFC 6750 §3.1). */
  error?: BearerErrorCode | undefined
  /** A human-readable explanation; sanitised and quoted here. */
  description?: string | undefined
}

/**
 * What a `DPoP` challenge says: a Bearer challenge's parameters, and the proof algorithms accepted.
 *
 * @example
 * ```ts
 * formatDpopChallenge({ realm: 'orders', algs: ['ES256'] } satisfies DpopChallenge) // 'DPoP realm="orders", algs="ES256"'
 * ```
 */
export interface DpopChallenge {
  realm?: string | undefined
  error?: DpopErrorCode | undefined
  description?: string | undefined
  /** The `algs` parameter: the JWS algorithms accepted for proofs. */
  algs?: readonly string[] | undefined
}

/** Why a token is refused, before it becomes an error: what the checks return. */
export interface Rejection {
  reason: TokenRejection
  /** Goes to the client (message and `error_description`): facts about the token, never the token. */
  description: string
  /** For the API's operators (the error's `hint`), never sent to the client. */
  hint?: string
  /** Answer with a `DPoP` challenge (a DPoP-bound token); reasons `dpop_proof` and `dpop_nonce` always do. */
  scheme?: 'DPoP'
  /** With reason `dpop_nonce`: the nonce to hand out. */
  dpopNonce?: string
}

/** What the errors of one verifier share: its realm and, when it speaks DPoP, its proof algorithms. */
export interface ChallengeOptions {
  realm?: string | undefined
  /** Listed as `algs` in DPoP challenges; with it, a request without a token is offered DPoP too. */
  dpopAlgorithms?: readonly string[] | undefined
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
  return formatChallenge('Bearer', challenge)
}

/**
 * Formats a `DPoP` challenge (RFC 9449 §7.1): `DPoP error="invalid_dpop_proof", error_description="…", algs="ES256 PS256"`.
 *
 * @example
 * ```ts
 * formatDpopChallenge({ error: 'use_dpop_nonce', description: 'a nonce is required', algs: ['ES256'] })
 * // 'DPoP error="use_dpop_nonce", error_description="a nonce is required", algs="ES256"'
 * ```
 */
export function formatDpopChallenge(challenge: DpopChallenge): string {
  const { algs } = challenge
  return formatChallenge('DPoP', challenge, algs?.length ? [`algs=${quoteHeaderValue(algs.join(' '))}`] : [])
}

function formatChallenge(scheme: string, challenge: DpopChallenge, extra: readonly string[] = []): string {
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
  params.push(...extra)
  return params.length === 0 ? scheme : `${scheme} ${params.join(', ')}`
}

/**
 * Builds the error for a rejected token: `insufficient_scope` (403) for missing roles,
 * `invalid_dpop_proof` / `use_dpop_nonce` (401, in a `DPoP` challenge) for a bad proof or a missing
 * nonce, `invalid_token` (401) otherwise. The description is the message and goes to the client, so it
 * never holds the token or the proof, only facts about them.
 *
 * @example
 * ```ts
 * throw rejectToken({ reason: 'expired', description: 'token expired at 2025-01-01T00:00:00.000Z' }, { realm: 'orders' })
 * ```
 */
export function rejectToken(
  rejection: Rejection,
  options: ChallengeOptions & { cause?: unknown } = {},
): TokenVerificationError {
  const { reason, description, hint, dpopNonce } = rejection
  const error = errorCodeOf(reason)
  const { realm, dpopAlgorithms: algs } = options
  const challenge =
    rejection.scheme === 'DPoP' || error === 'invalid_dpop_proof' || error === 'use_dpop_nonce'
      ? formatDpopChallenge({ realm, error, description, algs })
      : formatBearerChallenge({ realm, error: error as BearerErrorCode, description })
  return new TokenVerificationError(reason, description, challenge, { cause: options.cause, hint, dpopNonce })
}

function errorCodeOf(reason: TokenRejection): DpopErrorCode {
  switch (reason) {
    case 'roles':
      return 'insufficient_scope'
    case 'dpop_proof':
      return 'invalid_dpop_proof'
    case 'dpop_nonce':
      return 'use_dpop_nonce'
    default:
      return 'invalid_token'
  }
}

/**
 * Builds the error for a request that carried no token (no `Authorization` header, or another
 * scheme): reason `malformed`, and the bare challenge with no error code (RFC 6750 §3.1); a verifier
 * that speaks DPoP offers it too, with its algorithms (RFC 9449 §7.1).
 *
 * @example
 * ```ts
 * throw rejectMissingToken('no Authorization header', { realm: 'orders' })
 * // err.challenge === 'Bearer realm="orders"'
 * rejectMissingToken('no Authorization header', { dpopAlgorithms: ['ES256'] }).challenge
 * // 'Bearer, DPoP algs="ES256"'
 * ```
 */
export function rejectMissingToken(
  description: string,
  options: ChallengeOptions = {},
): TokenVerificationError {
  const { realm, dpopAlgorithms: algs } = options
  const bearer = formatBearerChallenge({ realm })
  const challenge = algs === undefined ? bearer : `${bearer}, ${formatDpopChallenge({ realm, algs })}`
  return new TokenVerificationError('malformed', description, challenge)
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
