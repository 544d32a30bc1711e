/**
 * The base of every error class: the stable codes, the details every error takes, and the class whose
 * `Symbol.for` brand keeps `instanceof` true when both the ESM and the CJS build are loaded in one
 * process. The classes themselves: src/errors.ts (and the files it re-exports).
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
 * Sets each class's `name` on its prototype (not read from `constructor.name`, which minifiers rename),
 * so that `instanceof` across the ESM and CJS copies and `err.name` stay stable.
 *
 * @example
 * ```ts
 * nameErrorClasses([[ConfigurationError, 'ConfigurationError']])
 * ```
 */
export function nameErrorClasses(classes: ReadonlyArray<readonly [{ prototype: Error }, string]>): void {
  for (const [ErrorClass, name] of classes) {
    Object.defineProperty(ErrorClass.prototype, 'name', { value: name, writable: true, configurable: true })
  }
}

nameErrorClasses([[ClientCredentialsError, 'ClientCredentialsError']])
