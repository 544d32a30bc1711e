/**
 * The union of the library's error classes, for `switch (err.code)` to narrow to the subclass (the base
 * class's `code` is the whole `ErrorCode`, so it cannot narrow on its own). A test proves that the
 * union's codes are exactly `ErrorCode`: a new class must be added here.
 */
import type {
  AuthorityError,
  ClientClosedError,
  ConfigurationError,
  CredentialError,
  ResponseFormatError,
  TokenVerificationError,
  TransportError,
} from './errors.js'
import type { ManagedIdentityUnavailableError } from './managed-identity/errors.js'

/**
 * Every error this library throws, as a union discriminated by `code`.
 *
 * @example
 * ```ts
 * import { ClientCredentialsError, type ClientCredentialsErrorUnion } from 'oauth-client-credentials'
 *
 * try {
 *   await client.getToken('api://myapis/mywebapi')
 * } catch (caught) {
 *   if (!(caught instanceof ClientCredentialsError)) throw caught
 *   const err = caught as ClientCredentialsErrorUnion
 *   switch (err.code) {
 *     case 'ERR_AUTHORITY_REJECTED':
 *       console.error(err.status, err.aadstsCodes) // narrowed to AuthorityError
 *       break
 *     case 'ERR_TOKEN_REQUEST_FAILED':
 *       console.error(err.reason, err.url) // narrowed to TransportError
 *       break
 *     default:
 *       console.error(err.code, err.hint)
 *   }
 * }
 * ```
 */
export type ClientCredentialsErrorUnion =
  | ConfigurationError
  | CredentialError
  | TransportError
  | AuthorityError
  | ResponseFormatError
  | TokenVerificationError
  | ManagedIdentityUnavailableError
  | ClientClosedError
