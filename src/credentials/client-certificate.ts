/**
 * A certificate presented in the TLS handshake (RFC 8705 mutual TLS, Entra mTLS PoP, docs/entra.md §12):
 * what a certificate credential hands to the mTLS connection when the certificate itself is the
 * credential. The key never leaves the process; the thumbprint is what a bound token's `cnf` names.
 */
import { createHash, type KeyObject, type X509Certificate } from 'node:crypto'
import type { Clock } from '../clock.js'
import type { LoadedCertificate } from './certificate-material.js'

/**
 * A client certificate, ready for a TLS handshake.
 *
 * @example
 * ```ts
 * const presented: ClientCertificate = clientCertificateOf(loaded)
 * presented.thumbprintSha256 // the cnf.x5t#S256 of tokens bound to it
 * ```
 */
export interface ClientCertificate {
  readonly key: KeyObject
  /** Leaf first. */
  readonly chain: readonly X509Certificate[]
  /** The leaf's SHA-256 thumbprint, base64url: a bound token's `cnf.x5t#S256` (RFC 8705 §3.1). */
  readonly thumbprintSha256: string
}

/**
 * A credential whose certificate can be presented over mutual TLS (a certificate or certificate file).
 *
 * @example
 * ```ts
 * const presented = await credential.clientCertificate({ clock: systemClock, signal: AbortSignal.timeout(5000) })
 * ```
 */
export interface PresentsCertificate {
  /** The certificate in service now (a certificate file is looked at again, as for an assertion). */
  clientCertificate(ctx: { readonly clock: Clock; readonly signal: AbortSignal }): Promise<ClientCertificate>
}

const PRESENTED = new WeakMap<LoadedCertificate, ClientCertificate>()

/**
 * The handshake's view of loaded key material (one object per load, so that a connection pool keyed
 * by it is reused until the certificate changes).
 *
 * @example
 * ```ts
 * clientCertificateOf(loaded).chain[0] === loaded.leaf // true
 * ```
 */
export function clientCertificateOf(loaded: LoadedCertificate): ClientCertificate {
  let presented = PRESENTED.get(loaded)
  if (presented === undefined) {
    const thumbprintSha256 = createHash('sha256').update(loaded.leaf.raw).digest('base64url')
    presented = Object.freeze({ key: loaded.key, chain: loaded.chain, thumbprintSha256 })
    PRESENTED.set(loaded, presented)
  }
  return presented
}
