/**
 * What a node:http-style request (node:http, Express, Connect) shows besides its `Authorization`
 * header, read for the guard's middleware: the method and absolute URL a DPoP proof must name, the
 * `DPoP` header, and the TLS client certificate (read only if the token is certificate-bound).
 */

import type { RequestEvidence } from './binding.js'
import { peerCertificateOf } from './certificate-binding.js'

/**
 * The part of a node:http `IncomingMessage` (or Express `Request`) read for the proof of a bound token.
 *
 * @example
 * ```ts
 * const fromNodeHttp: ProofRequestLike = req // an IncomingMessage (or Express Request) fits as it is
 * ```
 */
export interface ProofRequestLike {
  method?: string | undefined
  /** The path and query (node:http); under an Express mount point, the part after it. */
  url?: string | undefined
  /** Express: the path and query as the client sent them, mount point included. */
  originalUrl?: string | undefined
  headers: {
    host?: string | undefined
    dpop?: string | readonly string[] | undefined
  }
  /** A `tls.TLSSocket` on an HTTPS server (`encrypted`, `getPeerCertificate`), a plain socket otherwise. */
  socket?: object | undefined
}

/**
 * The evidence of a request. `baseUrl` is where clients call the API (scheme, host and any path
 * prefix a proxy strips); without it, `https://` on a TLS socket (`http://` otherwise) and the Host header.
 *
 * @example
 * ```ts
 * requestEvidence(req)                                  // { method: 'GET', url: 'https://127.0.0.1:8443/orders?page=2', dpop, peerCertificate }
 * requestEvidence(req, 'https://api.contoso.com/orders') // behind a proxy that strips /orders
 * ```
 */
export function requestEvidence(req: ProofRequestLike, baseUrl?: string): RequestEvidence {
  return {
    method: req.method,
    url: requestUrl(req, baseUrl),
    dpop: req.headers.dpop,
    peerCertificate: () => peerCertificateOf(req.socket),
  }
}

function requestUrl(req: ProofRequestLike, baseUrl: string | undefined): string | undefined {
  const path = req.originalUrl ?? req.url
  if (path === undefined || !path.startsWith('/')) return undefined
  if (baseUrl !== undefined) return `${baseUrl.replace(/\/+$/, '')}${path}`
  const { host } = req.headers
  if (host === undefined || host === '') return undefined
  const encrypted = (req.socket as { encrypted?: unknown } | undefined)?.encrypted === true
  return `${encrypted ? 'https' : 'http'}://${host}${path}`
}
