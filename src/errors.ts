/**
 * Error classes with stable codes. Every error the library raises is a {@link ClientCredentialsError}
 * (src/error-base.ts); `switch (err.code)` on a `ClientCredentialsErrorUnion` (src/error-union.ts)
 * narrows to the subclass. Here: the client's own errors (options, credential, transport, closed); the
 * authority's answers are in src/errors-authority.ts, the verifier's in src/errors-verification.ts, all
 * re-exported from here.
 *
 * No error ever carries a secret, a private key, an assertion, an access token or a request body.
 */
import { ClientCredentialsError, type ErrorDetails, nameErrorClasses } from './error-base.js'

export { ClientCredentialsError, type ErrorCode, type ErrorDetails } from './error-base.js'
export { AuthorityError, type AuthorityErrorInfo, ResponseFormatError } from './errors-authority.js'
export { type TokenRejection, TokenVerificationError } from './errors-verification.js'

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

nameErrorClasses([
  [ConfigurationError, 'ConfigurationError'],
  [CredentialError, 'CredentialError'],
  [TransportError, 'TransportError'],
  [ClientClosedError, 'ClientClosedError'],
])
