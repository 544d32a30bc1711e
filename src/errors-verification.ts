/**
 * The error of the API side (`oauth-client-credentials/verify`): a token that failed verification.
 */
import { ClientCredentialsError, type ErrorDetails, nameErrorClasses } from './error-base.js'

/** Why a token was rejected by a verifier. */
export type TokenRejection =
  | 'malformed'
  | 'signature'
  | 'expired'
  | 'not_yet_valid'
  | 'audience'
  | 'issuer'
  | 'tenant'
  | 'roles'
  /** A bound token (`cnf`) presented without its proof, with another key or certificate, or under the wrong scheme. */
  | 'binding'
  /** The DPoP proof is invalid: signature, `typ`, `htm`/`htu`, `iat`, `ath`, or a replayed `jti`. */
  | 'dpop_proof'
  /** The DPoP proof lacks the server's current nonce: answer with `dpopNonce` in a `DPoP-Nonce` header. */
  | 'dpop_nonce'

/**
 * An access token failed verification on the API side (`oauth-client-credentials/verify`).
 * `challenge` is the RFC 6750 `WWW-Authenticate` value to answer with.
 *
 * @example
 * ```ts
 * if (err instanceof TokenVerificationError) res.writeHead(err.status, { 'www-authenticate': err.challenge })
 * ```
 */
export class TokenVerificationError extends ClientCredentialsError {
  declare readonly code: 'ERR_TOKEN_REJECTED'
  /** What was wrong with the token. */
  readonly reason: TokenRejection
  /** The `WWW-Authenticate` header value for the answer. */
  readonly challenge: string
  /** The HTTP status to answer with: 403 for missing roles, 401 otherwise. */
  readonly status: 401 | 403
  /** With reason `dpop_nonce`: the nonce to send in the `DPoP-Nonce` header (RFC 9449 §9). */
  readonly dpopNonce: string | undefined

  constructor(
    reason: TokenRejection,
    message: string,
    challenge: string,
    details: ErrorDetails & { dpopNonce?: string | undefined } = {},
  ) {
    super('ERR_TOKEN_REJECTED', message, details)
    this.reason = reason
    this.challenge = challenge
    this.status = reason === 'roles' ? 403 : 401
    this.dpopNonce = details.dpopNonce
  }
}

nameErrorClasses([[TokenVerificationError, 'TokenVerificationError']])
