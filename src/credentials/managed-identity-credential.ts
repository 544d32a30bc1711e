/**
 * Builds `credential: { managedIdentity }`: the identity's token source (detected now) and the exchange
 * audience of the client's cloud, unless `audience` names another.
 */
import type { Clock } from '../clock.js'
import type { ManagedIdentityCredentialOptions } from '../credential-options.js'
import { identityParameter, parseManagedIdentity } from '../managed-identity/identity.js'
import { createManagedIdentityTokenSource } from '../managed-identity/token-source.js'
import type { HttpSettings } from '../token-request.js'
import { EXCHANGE_AUDIENCES, ManagedIdentityAssertionCredential } from './managed-identity.js'

/**
 * How the credential reaches the managed-identity endpoint.
 *
 * @example
 * ```ts
 * const settings: ManagedIdentityCredentialSettings = { imdsBaseUrl: 'http://127.0.0.1:8080' }
 * ```
 */
export interface ManagedIdentityCredentialSettings {
  /** The IMDS base URL (the client's `imdsBaseUrl`). */
  imdsBaseUrl?: string | undefined
  /** The variables the source is detected from (the client's `environment`). @defaultValue process.env */
  environment?: Readonly<Record<string, string | undefined>> | undefined
  /** The client's HTTP settings: dispatcher, timeout, response limit. */
  http?: HttpSettings | undefined
}

/**
 * The credential for `options`, its source detected now (a malformed variable throws a ConfigurationError).
 *
 * @example
 * ```ts
 * managedIdentityCredential({ managedIdentity: {} }, { clock: systemClock, cloud: 'AzureChina' }).audience // 'api://AzureADTokenExchangeChina'
 * ```
 */
export function managedIdentityCredential(
  options: ManagedIdentityCredentialOptions,
  settings: {
    clock: Clock
    cloud?: keyof typeof EXCHANGE_AUDIENCES | undefined
    managedIdentity?: ManagedIdentityCredentialSettings | undefined
  },
): ManagedIdentityAssertionCredential {
  const http = settings.managedIdentity?.http
  const tokens = createManagedIdentityTokenSource({
    identity: options.managedIdentity,
    imdsBaseUrl: settings.managedIdentity?.imdsBaseUrl,
    environment: settings.managedIdentity?.environment,
    dispatcher: http?.dispatcher,
    timeoutMs: http?.timeoutMs,
    maxResponseBytes: http?.maxResponseBytes,
    clock: settings.clock,
  })
  identityParameter(
    parseManagedIdentity(options.managedIdentity, 'credential.managedIdentity'),
    tokens.source.kind,
  )
  const audience = options.audience ?? EXCHANGE_AUDIENCES[settings.cloud ?? 'AzurePublic']
  return new ManagedIdentityAssertionCredential(tokens, audience, settings.clock)
}
