/**
 * Error classes with stable codes. Every error the library raises is a {@link ClientCredentialsError};
 * `switch (err.code)` narrows to the subclass. The classes carry a `Symbol.for` brand so that
 * `instanceof` holds when both the ESM and the CJS build are loaded in one process.
 *
 * No error ever carries a secret, a private key, an assertion, an access token or a request body.
 */

const BRAND = Symbol.for('oauth-client-credentials.error')

/** Every stable error code. */
export type ErrorCode =
  | 'ERR_CONFIG_INVALID'
  | 'ERR_CREDENTIAL_INVALID'
  | 'ERR_TOKEN_REQUEST_FAILED'
  | 'ERR_AUTHORITY_REJECTED'
  | 'ERR_TOKEN_RESPONSE_INVALID'
  | 'ERR_TOKEN_REJECTED'
  | 'ERR_MANAGED_IDENTITY_UNAVAILABLE'
  | 'ERR_CLIENT_CLOSED'

/** Options common to every error of ours. */
export interface ErrorDetails {
  /** What to do about it, when we know. */
  hint?: string | undefined
  /** Whether the same request may succeed if sent again later. */
  retryable?: boolean | undefined
  /** The underlying error (never one that holds a secret). */
  cause?: unknown
}

/**
 * The base class of every error this library throws.
 *
 * @example
 * ```ts
 * import { ClientCredentialsError } from 'oauth-client-credentials'
 * try {
 *   await client.getToken('api://myapis/mywebapi')
 * } catch (err) {
 *   if (err instanceof ClientCredentialsError) console.error(err.code, err.hint)
 * }
 * ```
 */
export class ClientCredentialsError extends Error {
  /** The stable code: branch on it, not on the message. */
  readonly code: ErrorCode
  /** What to do about it, when we know. */
  readonly hint: string | undefined
  /** Whether the same request may succeed if sent again later. */
  readonly retryable: boolean

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.code = code
    this.hint = details.hint
    this.retryable = details.retryable ?? false
    Object.defineProperty(this, BRAND, { value: true })
  }

  /** Matches errors from either build (ESM or CJS) of this package. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (typeof value !== 'object' || value === null || (value as Record<symbol, unknown>)[BRAND] !== true) {
      return false
    }
    return this === ClientCredentialsError || (value as Error).name === this.prototype.name
  }

  /** A plain summary, safe to log: code, message, hint and the error's own fields. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, code: this.code, message: this.message }
    for (const [key, value] of Object.entries(this)) {
      if (value !== undefined && key !== 'code') out[key] = value
    }
    return out
  }
}

/**
 * The options given to a client (or to `scopeFor`, or a verifier) are not valid. Raised at construction
 * or before anything is sent; `path` names the option (`credential.clientSecret`, `tenant`).
 *
 * @example
 * ```ts
 * try {
 *   new TokenClient({ tenant: 'common', clientId, credential: { clientSecret } })
 * } catch (err) {
 *   if (err instanceof ConfigurationError) console.error(err.path, err.message) // 'tenant'
 * }
 * ```
 */
export class ConfigurationError extends ClientCredentialsError {
  declare readonly code: 'ERR_CONFIG_INVALID'
  /** The option at fault, as a dotted path. */
  readonly path: string

  constructor(path: string, message: string, details: ErrorDetails = {}) {
    super('ERR_CONFIG_INVALID', path ? `${path}: ${message}` : message, details)
    this.path = path
  }
}

/**
 * The credential could not be used: an unreadable key or certificate, a failed assertion callback,
 * a missing federated token file.
 *
 * @example
 * ```ts
 * if (err instanceof CredentialError) console.error(err.message, err.hint)
 * ```
 */
export class CredentialError extends ClientCredentialsError {
  declare readonly code: 'ERR_CREDENTIAL_INVALID'

  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_CREDENTIAL_INVALID', message, details)
  }
}

/**
 * Why a token request did not get an answer. `redirect`: the token endpoint redirected (refused, and never
 * followed, whatever the dispatcher); `misrouted`: the dispatcher would have sent it somewhere other than
 * the token endpoint (stopped before a byte was written); `tls`: the TLS connection failed (an untrusted
 * certificate, or https spoken to a plain http server): not retried.
 */
export type TransportFailure =
  | 'timeout'
  | 'network'
  | 'redirect'
  | 'misrouted'
  | 'tls'
  | 'body_too_large'
  | 'aborted'

/**
 * An HTTP request of ours got no usable answer: a token request (a timeout, a network failure, a redirect
 * — refused on the token endpoint —, or a body over `http.maxResponseBytes`), or on the API side a fetch
 * of the signing keys (JWKS) by a verifier. `url` names what was called.
 *
 * @example
 * ```ts
 * const tryAgainLater = err instanceof TransportError && err.reason === 'timeout'
 * ```
 */
export class TransportError extends ClientCredentialsError {
  declare readonly code: 'ERR_TOKEN_REQUEST_FAILED'
  /** What went wrong. */
  readonly reason: TransportFailure
  /** The token endpoint called. */
  readonly url: string
  /** The `client-request-id` sent with the request. */
  readonly clientRequestId: string | undefined

  constructor(
    reason: TransportFailure,
    message: string,
    info: { url: string; clientRequestId?: string | undefined },
    details: ErrorDetails = {},
  ) {
    super('ERR_TOKEN_REQUEST_FAILED', message, details)
    this.reason = reason
    this.url = info.url
    this.clientRequestId = info.clientRequestId
  }
}

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

/**
 * The client was closed (`client.close()`, or the end of an `await using` block): a call made after,
 * or a caller still waiting for a token when it closed, gets this. Not retryable on this client.
 *
 * @example
 * ```ts
 * const shuttingDown = err instanceof ClientClosedError // nothing to send, nothing to report
 * ```
 */
export class ClientClosedError extends ClientCredentialsError {
  declare readonly code: 'ERR_CLIENT_CLOSED'

  constructor(message = 'The token client is closed.') {
    super('ERR_CLIENT_CLOSED', message, {
      hint: 'Call getToken before client.close() (or inside the `await using` block), or create a new TokenClient.',
    })
  }
}

// Names are set on the prototypes (not read from `constructor.name`, which minifiers rename), so that
// `instanceof` across the ESM and CJS copies and `err.name` stay stable.
const names: ReadonlyArray<readonly [{ prototype: Error }, string]> = [
  [ClientCredentialsError, 'ClientCredentialsError'],
  [ConfigurationError, 'ConfigurationError'],
  [CredentialError, 'CredentialError'],
  [TransportError, 'TransportError'],
  [AuthorityError, 'AuthorityError'],
  [ResponseFormatError, 'ResponseFormatError'],
  [TokenVerificationError, 'TokenVerificationError'],
  [ClientClosedError, 'ClientClosedError'],
]
for (const [ErrorClass, name] of names) {
  Object.defineProperty(ErrorClass.prototype, 'name', { value: name, writable: true, configurable: true })
}
