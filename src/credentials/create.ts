/**
 * Builds the credential for validated options: one place that maps each credential kind to its class,
 * and that checks `authMethod` against the kind (a secret is sent with `client_secret_post` or
 * `client_secret_basic`; a certificate is a JWT assertion, `private_key_jwt`, or presented over mutual
 * TLS, `tls_client_auth` / `self_signed_tls_client_auth`; every other kind is a JWT assertion).
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
import { PrivateKeyCredential } from './private-key.js'
import { ClientSecretCredential, type SecretAuthMethod } from './secret.js'
import { type TlsAuthMethod, TlsClientAuthCredential } from './tls-client-auth.js'

/**
 * How the client authenticates to the token endpoint (RFC 7591 `token_endpoint_auth_method` names).
 *
 * @example
 * ```ts
 * const authMethod: AuthMethod = 'private_key_jwt'
 * ```
 */
export type AuthMethod = SecretAuthMethod | 'private_key_jwt' | TlsAuthMethod

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
  /** Entra mTLS proof of possession: the certificate is presented over mutual TLS (`tls_client_auth`). */
  mtlsProofOfPossession?: boolean | undefined
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
  const tls = tlsMethod(settings)
  if (tls !== undefined) return new TlsClientAuthCredential(certificateOf(options, environment), tls)
  assertionMethod(settings.authMethod, kindName(options))
  if ('certificate' in options) {
    const { certificate } = options
    return typeof certificate === 'function'
      ? new CertificateProviderCredential(certificate, environment)
      : new CertificateCredential(certificate, environment)
  }
  if ('certificatePath' in options) return new CertificateFileCredential(options, environment)
  if ('privateKey' in options) return new PrivateKeyCredential(options)
  if ('clientAssertion' in options) return new ClientAssertionCredential(options.clientAssertion)
  if ('managedIdentity' in options) return managedIdentityCredential(options, settings)
  return new FederatedTokenFileCredential(options.federatedTokenFile)
}

function secretMethod(authMethod: AuthMethod | undefined): SecretAuthMethod | undefined {
  if (authMethod === undefined || authMethod === 'client_secret_post' || authMethod === 'client_secret_basic')
    return authMethod
  const what =
    authMethod === 'private_key_jwt'
      ? 'signs an assertion with a private key'
      : 'presents a certificate over mutual TLS'
  throw new ConfigurationError(
    'authMethod',
    `'${authMethod}' ${what}, but the credential is a client secret: use 'client_secret_post' or 'client_secret_basic', or give a certificate credential.`,
  )
}

/** The mutual-TLS method, when the certificate is presented in the TLS handshake (RFC 8705, mTLS PoP). */
function tlsMethod(settings: CredentialSettings): TlsAuthMethod | undefined {
  const { authMethod } = settings
  if (authMethod === 'tls_client_auth' || authMethod === 'self_signed_tls_client_auth') return authMethod
  return settings.mtlsProofOfPossession === true && authMethod === undefined ? 'tls_client_auth' : undefined
}

function certificateOf(
  options: Exclude<CredentialOptions, { clientSecret: unknown }>,
  environment: { clock: Clock; logger: Logger | undefined },
): CertificateCredential | CertificateFileCredential {
  if ('certificate' in options) {
    const { certificate } = options
    if (typeof certificate === 'function') {
      throw new ConfigurationError(
        'credential.certificate',
        'is a provider function, which mutual TLS does not take (the connection presents one certificate): give certificate or certificatePath (a rotated file is picked up, token and connection together).',
      )
    }
    return new CertificateCredential(certificate, environment)
  }
  if ('certificatePath' in options) return new CertificateFileCredential(options, environment)
  throw new ConfigurationError(
    'credential',
    `is ${kindName(options)}, but mutual TLS presents a certificate: give certificate or certificatePath.`,
  )
}

function assertionMethod(authMethod: AuthMethod | undefined, kind: string): void {
  if (authMethod === undefined || authMethod === 'private_key_jwt') return
  const what = authMethod.startsWith('client_secret')
    ? 'sends a client secret'
    : 'presents a certificate over mutual TLS'
  throw new ConfigurationError(
    'authMethod',
    `'${authMethod}' ${what}, but the credential is ${kind}: remove authMethod or set it to 'private_key_jwt'.`,
  )
}

function kindName(options: Exclude<CredentialOptions, { clientSecret: unknown }>): string {
  if ('certificate' in options || 'certificatePath' in options) return 'a certificate'
  if ('privateKey' in options) return 'a private key'
  if ('clientAssertion' in options) return 'a client assertion'
  if ('managedIdentity' in options) return 'a managed identity'
  return 'a federated token file'
}
