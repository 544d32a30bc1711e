/**
 * Mutual-TLS client authentication (RFC 8705 §2, Entra's certificate over mTLS, docs/entra.md §12): the
 * certificate presented in the TLS handshake is the credential. The form carries `client_id` only: no
 * secret, no assertion; the key proves itself in the handshake and never signs anything here.
 */
import type { Clock } from '../clock.js'
import { REDACTED, redactInstances } from '../redact.js'
import type { ClientCertificate, PresentsCertificate } from './client-certificate.js'
import type { Credential } from './credential.js'

/**
 * The RFC 8705 client authentication methods: a certificate from a CA the server trusts
 * (`tls_client_auth`), or a self-signed one registered with the client (`self_signed_tls_client_auth`).
 *
 * @example
 * ```ts
 * const method: TlsAuthMethod = 'self_signed_tls_client_auth'
 * ```
 */
export type TlsAuthMethod = 'tls_client_auth' | 'self_signed_tls_client_auth'

/**
 * A certificate credential used over mutual TLS: adds nothing to the form; its certificate is presented
 * by the connection the token request goes over (`src/mtls/connections.ts`).
 *
 * @example
 * ```ts
 * const credential = new TlsClientAuthCredential(new CertificateCredential({ privateKey, certificate }), 'tls_client_auth')
 * ```
 */
export class TlsClientAuthCredential implements Credential, PresentsCertificate {
  readonly kind = 'certificate' as const
  readonly authMethod: TlsAuthMethod
  readonly #certificate: PresentsCertificate

  constructor(certificate: PresentsCertificate, authMethod: TlsAuthMethod) {
    this.#certificate = certificate
    this.authMethod = authMethod
  }

  /** Nothing to add: `client_id` is in the form already and the handshake proves the key. */
  authenticate(): void {}

  clientCertificate(ctx: {
    readonly clock: Clock
    readonly signal: AbortSignal
  }): Promise<ClientCertificate> {
    return this.#certificate.clientCertificate(ctx)
  }
}
redactInstances(TlsClientAuthCredential, (c) => ({
  kind: c.kind,
  authMethod: c.authMethod,
  privateKey: REDACTED,
}))
