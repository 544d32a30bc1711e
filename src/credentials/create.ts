/**
 * Builds the credential for validated options: one place that maps each credential kind to its class,
 * and that checks `authMethod` against the kind (a secret is sent with `client_secret_post` or
 * `client_secret_basic`; every other kind is a JWT assertion, `private_key_jwt`).
 */
import type { Clock } from '../clock.js'
import { ConfigurationError } from '../errors.js'
import type { CredentialOptions, Logger } from '../options.js'
import { ClientAssertionCredential } from './assertion.js'
import { CertificateCredential } from './certificate.js'
import { CertificateFileCredential } from './certificate-file.js'
import { CertificateProviderCredential } from './certificate-provider.js'
import type { Credential } from './credential.js'
import { FederatedTokenFileCredential } from './federated-file.js'
import {
  type ManagedIdentityCredentialSettings,
  managedIdentityCredential,
} from './managed-identity-credential.js'
import { ClientSecretCredential, type SecretAuthMethod } from './secret.js'

/**
 * How the client authenticates to the token endpoint (RFC 7591 `token_endpoint_auth_method` names).
 *
 * @example
 * ```ts
 * const authMethod: AuthMethod = 'private_key_jwt'
 * ```
 */
export type AuthMethod = SecretAuthMethod | 'private_key_jwt'

/**
 * What a credential may need from the client's options.
 *
 * @example
 * ```ts
 * createCredential(options.credential, { authMethod: options.authMethod, logger: options.logger, clock: systemClock })
 * ```
 */
export interface CredentialSettings {
  authMethod: AuthMethod | undefined
  logger: Logger | undefined
  clock: Clock
  /** The client's cloud: the default exchange audience of `credential: { managedIdentity }`. */
  cloud?: 'AzurePublic' | 'AzureUSGovernment' | 'AzureChina' | undefined
  /** How `credential: { managedIdentity }` reaches its endpoint. */
  managedIdentity?: ManagedIdentityCredentialSettings | undefined
}

/**
 * The credential for `options` (already validated by the options schema). Throws `ConfigurationError`
 * (path `authMethod`) when `authMethod` does not fit the credential kind, and `CredentialError` when a
 * key, certificate or file cannot be used.
 *
 * @example
 * ```ts
 * const credential = createCredential({ certificatePath: './client.pem' }, { authMethod: undefined, logger: console, clock: systemClock })
 * ```
 */
export function createCredential(options: CredentialOptions, settings: CredentialSettings): Credential {
  const environment = { clock: settings.clock, logger: settings.logger }
  if ('clientSecret' in options) {
    return new ClientSecretCredential(options.clientSecret, secretMethod(settings.authMethod))
  }
  assertionMethod(settings.authMethod, kindName(options))
  if ('certificate' in options) {
    const { certificate } = options
    return typeof certificate === 'function'
      ? new CertificateProviderCredential(certificate, environment)
      : new CertificateCredential(certificate, environment)
  }
  if ('certificatePath' in options) return new CertificateFileCredential(options, environment)
  if ('clientAssertion' in options) return new ClientAssertionCredential(options.clientAssertion)
  if ('managedIdentity' in options) return managedIdentityCredential(options, settings)
  return new FederatedTokenFileCredential(options.federatedTokenFile)
}

function secretMethod(authMethod: AuthMethod | undefined): SecretAuthMethod | undefined {
  if (authMethod !== 'private_key_jwt') return authMethod
  throw new ConfigurationError(
    'authMethod',
    "'private_key_jwt' signs an assertion with a private key, but the credential is a client secret: use 'client_secret_post' or 'client_secret_basic', or give a certificate credential.",
  )
}

function assertionMethod(authMethod: AuthMethod | undefined, kind: string): void {
  if (authMethod === undefined || authMethod === 'private_key_jwt') return
  throw new ConfigurationError(
    'authMethod',
    `'${authMethod}' sends a client secret, but the credential is ${kind}: remove authMethod or set it to 'private_key_jwt'.`,
  )
}

function kindName(options: Exclude<CredentialOptions, { clientSecret: unknown }>): string {
  if ('certificate' in options || 'certificatePath' in options) return 'a certificate'
  if ('clientAssertion' in options) return 'a client assertion'
  if ('managedIdentity' in options) return 'a managed identity'
  return 'a federated token file'
}
