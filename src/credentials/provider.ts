/**
 * Credentials given as providers, for rotation without restarts: a function the client calls when a
 * token must be fetched (never on a cache hit), and again with `reload: true` when the authority refused
 * what it returned (docs/design.md §7). A provider that throws, or returns something unusable,
 * is a `CredentialError` naming the option, never echoing a value.
 */

import type { CertificateKeyOptions } from '../credential-options.js'
import { CredentialError } from '../errors.js'

/**
 * What a credential provider is told.
 *
 * @example
 * ```ts
 * const provider = async ({ reload, signal }: CredentialProviderContext) =>
 *   (await fetch(`http://127.0.0.1:8200/v1/secret/app?fresh=${reload}`, { signal })).text()
 * ```
 */
export interface CredentialProviderContext {
  /** Aborted when the token request is abandoned. */
  readonly signal: AbortSignal
  /**
   * The authority refused the value returned last time (AADSTS7000215, 700027, …): read it afresh (a
   * provider that caches should not answer from its cache).
   */
  readonly reload: boolean
}

/**
 * Returns the current client secret (from a vault, a mounted file, …).
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises'
 * const clientSecret: ClientSecretProvider = async () => (await readFile('/mnt/secrets/client-secret', 'utf8')).trim()
 * ```
 */
export type ClientSecretProvider = (context: CredentialProviderContext) => string | Promise<string>

/**
 * Returns the current private key and certificate (and how to sign with them).
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises'
 * const certificate: CertificateProvider = async () => ({
 *   privateKey: await readFile('/mnt/tls/key.pem', 'utf8'),
 *   certificate: await readFile('/mnt/tls/cert.pem', 'utf8'),
 * })
 * ```
 */
export type CertificateProvider = (
  context: CredentialProviderContext,
) => CertificateKeyOptions | Promise<CertificateKeyOptions>

/**
 * Calls `provider`; a throw or rejection becomes a `CredentialError` naming `field`.
 *
 * @example
 * ```ts
 * const secret = await callProvider('credential.clientSecret', provider, { signal, reload: false })
 * ```
 */
export async function callProvider<T>(
  field: string,
  provider: (context: CredentialProviderContext) => T | Promise<T>,
  context: CredentialProviderContext,
): Promise<T> {
  try {
    return await provider(context)
  } catch (error) {
    throw new CredentialError(`the ${field} provider failed: no token was requested.`, {
      hint: `See the cause: the function given as ${field} threw or its promise was rejected.`,
      cause: error,
    })
  }
}

/**
 * A `CredentialError` for a provider's unusable answer: `problem` says what was wrong, never the value.
 *
 * @example
 * ```ts
 * throw providerAnswerError('credential.clientSecret', 'returned an empty string')
 * ```
 */
export function providerAnswerError(field: string, problem: string): CredentialError {
  return new CredentialError(`the ${field} provider ${problem}.`, {
    hint: `Make the function given as ${field} return what ${field} takes as a value.`,
  })
}
