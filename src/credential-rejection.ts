/**
 * The authority's answers that say "this credential is no longer good" — a rotated secret or certificate
 * the process still holds. On one of them a token request reads its credential again (a provider called
 * with `reload: true`, a certificate file looked at at once) and is sent once more before the error
 * reaches the caller (issue 15 item 7; docs/design.md §7).
 */
import { AuthorityError } from './errors.js'

/**
 * The AADSTS codes that reload the credential: 700027 (the assertion's key is not, or no longer, on the
 * app), 7000214 (the certificate was revoked), 7000222 (the secret expired), 7000215 (the secret is not
 * one of the app's), 1000502 (the certificate is outside its validity period).
 *
 * @example
 * ```ts
 * CREDENTIAL_REJECTED_CODES.includes(7000215) // true
 * ```
 */
export const CREDENTIAL_REJECTED_CODES: readonly number[] = Object.freeze([
  700027, 7000214, 7000222, 7000215, 1000502,
])

/**
 * Whether `error` is the authority refusing the credential itself (one of {@link CREDENTIAL_REJECTED_CODES}).
 *
 * @example
 * ```ts
 * if (isCredentialRejected(error) && !reloaded) retryWithReloadedCredential()
 * ```
 */
export function isCredentialRejected(error: unknown): boolean {
  return (
    error instanceof AuthorityError &&
    error.aadstsCodes.some((code) => CREDENTIAL_REJECTED_CODES.includes(code))
  )
}
