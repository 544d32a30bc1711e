/**
 * Certificate-bound tokens (RFC 8705 §3, and Entra's mTLS proof of possession, docs/entra.md §12): the
 * token's `cnf.x5t#S256` must be the SHA-256 thumbprint of the client certificate of the TLS connection
 * it came over. The TLS handshake proved the client holds that certificate's key; the thumbprint proves
 * the token was issued for that certificate, so a token stolen from its holder is worthless elsewhere
 * (docs/sender-constrained.md §3).
 */

import { createHash, X509Certificate } from 'node:crypto'
import type { Rejection } from './challenge.js'

/**
 * A peer certificate as callers have it: an `X509Certificate`, its DER bytes, or what
 * `tlsSocket.getPeerCertificate()` returns (its `raw` DER; `{}` when the client sent none).
 *
 * @example
 * ```ts
 * import { X509Certificate } from 'node:crypto'
 * const fromProxy: PeerCertificate = new X509Certificate(decodeURIComponent(String(req.headers['x-client-cert'])))
 * ```
 */
export type PeerCertificate = X509Certificate | Uint8Array | { readonly raw?: Uint8Array | null | undefined }

/**
 * A peer certificate, none, or a function that reads it only when a token is certificate-bound.
 *
 * @example
 * ```ts
 * const lazy: CertificateInput = () => tlsSocket.getPeerCertificate(true)
 * ```
 */
export type CertificateInput = PeerCertificate | null | undefined | (() => PeerCertificate | null | undefined)

/** The part of a `tls.TLSSocket` read here: any other socket (plain TCP) has no peer certificate. */
interface PeerCertificateSocket {
  getPeerCertificate(detailed: boolean): { raw?: Uint8Array | null | undefined } | null | undefined
}

function isTlsSocket(socket: unknown): socket is PeerCertificateSocket {
  return (
    typeof socket === 'object' &&
    socket !== null &&
    typeof (socket as Partial<PeerCertificateSocket>).getPeerCertificate === 'function'
  )
}

/**
 * The base64url SHA-256 of a certificate's DER (its `x5t#S256`), or `undefined` when there is none.
 *
 * @example
 * ```ts
 * certificateThumbprint(tlsSocket.getPeerCertificate(true)) // 'mZ3Rs3uo…'
 * certificateThumbprint({})                                 // undefined: the client sent no certificate
 * ```
 */
export function certificateThumbprint(certificate: PeerCertificate | null | undefined): string | undefined {
  const der = derOf(certificate)
  return der === undefined || der.length === 0
    ? undefined
    : createHash('sha256').update(der).digest('base64url')
}

function derOf(certificate: PeerCertificate | null | undefined): Uint8Array | undefined {
  if (certificate === null || certificate === undefined) return undefined
  if (certificate instanceof X509Certificate) return certificate.raw
  if (certificate instanceof Uint8Array) return certificate
  return certificate.raw ?? undefined
}

/**
 * The client certificate of a request's socket, read with `getPeerCertificate(true)` when the socket
 * is a TLS socket; `undefined` on plain sockets.
 *
 * @example
 * ```ts
 * peerCertificateOf(req.socket) // { raw: <Buffer 30 82 …>, subject: …, … } or undefined
 * ```
 */
export function peerCertificateOf(socket: unknown): PeerCertificate | undefined {
  return isTlsSocket(socket) ? (socket.getPeerCertificate(true) ?? undefined) : undefined
}

/**
 * Checks a certificate-bound token against the connection's certificate: refused (`binding`) when the
 * client sent none, or another one.
 *
 * @example
 * ```ts
 * checkCertificateBinding(claims.cnf['x5t#S256'], req.socket.getPeerCertificate(true)) // undefined: bound to it
 * ```
 */
export function checkCertificateBinding(
  expected: string,
  certificate: CertificateInput,
): Rejection | undefined {
  const thumbprint = certificateThumbprint(typeof certificate === 'function' ? certificate() : certificate)
  if (thumbprint === undefined) {
    return {
      reason: 'binding',
      description: 'the token is bound to a client certificate: present it over mutual TLS',
      hint: 'certificate-bound tokens need request.peerCertificate (or a TLS server with requestCert: true)',
    }
  }
  if (thumbprint === expected) return undefined
  return {
    reason: 'binding',
    description: 'the token is bound to another client certificate than the one presented',
  }
}
