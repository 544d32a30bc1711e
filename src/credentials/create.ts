/**
 * Builds the credential for validated options: one place that maps each credential kind to its class.
 */
import type { Clock } from '../clock.js'
import type { CredentialOptions, Logger } from '../options.js'
import type { Credential } from './credential.js'
import { ClientSecretCredential, type SecretAuthMethod } from './secret.js'

/** What a credential may need from the client's options. */
export interface CredentialSettings {
  authMethod: SecretAuthMethod | undefined
  logger: Logger | undefined
  clock: Clock
}

/** The credential for `options` (already validated by the options schema). */
export function createCredential(options: CredentialOptions, settings: CredentialSettings): Credential {
  return new ClientSecretCredential(options.clientSecret, settings.authMethod)
}
