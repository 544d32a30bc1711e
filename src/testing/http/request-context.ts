/**
 * Per-request facts every answer needs: ids, the time, the separator and hosts of error bodies, and
 * the origin the caller used (so documents and assertion audiences name the host it reached).
 */
import type { IncomingMessage } from 'node:http'
import type { TLSSocket } from 'node:tls'
import type { ErrorContext } from '../entra/error-body.js'
import { newGuid } from '../entra/ids.js'

/**
 * The request's context.
 *
 * @example
 * ```ts
 * requestContext(req, settings).correlationId
 * ```
 */
export interface RequestContext extends ErrorContext {
  /** `scheme://host:port` as the caller reached the authority (one of its own names). */
  origin: string
  /** The `client-request-id` header, when sent. */
  clientRequestId?: string
  /** The DER of the client certificate presented in the TLS handshake (mutual TLS), when one was. */
  peerCertificate?: Buffer
}

/**
 * Authority-wide settings the context is built from.
 *
 * @example
 * ```ts
 * requestContext(req, { scheme: 'http', hosts: ['127.0.0.1:5312'], now: Date.now, separator: ' ', errorHost })
 * ```
 */
export interface ContextSettings {
  scheme: 'http' | 'https'
  /** The authority's own `host:port` names, e.g. `127.0.0.1:5312`, `localhost:5312`. */
  hosts: readonly string[]
  now: () => number
  separator: ErrorContext['separator']
  errorHost: string
}

/**
 * Builds the context of one request: a new trace id; the correlation id from `client-request-id`
 * (or a new GUID).
 *
 * @example
 * ```ts
 * const context = requestContext(req, settings)
 * context.correlationId // the client's client-request-id
 * ```
 */
export function requestContext(req: IncomingMessage, settings: ContextSettings): RequestContext {
  const sent = req.headers['client-request-id']
  const clientRequestId = typeof sent === 'string' && sent.trim() !== '' ? sent.trim() : undefined
  const host = req.headers.host?.toLowerCase() ?? ''
  const ownHost = settings.hosts.includes(host) ? host : settings.hosts[0]
  const context: RequestContext = {
    traceId: newGuid(),
    correlationId: clientRequestId ?? newGuid(),
    now: settings.now(),
    separator: settings.separator,
    errorHost: settings.errorHost,
    origin: `${settings.scheme}://${ownHost}`,
  }
  if (clientRequestId !== undefined) context.clientRequestId = clientRequestId
  const peer = (req.socket as Partial<TLSSocket>).getPeerCertificate?.()
  if (peer?.raw !== undefined) context.peerCertificate = peer.raw
  return context
}
