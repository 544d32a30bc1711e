/**
 * The connection pools identity requests go through: a plain Agent with a short connect timeout (never
 * a proxy: identity endpoints are on the machine or its link), and, for Service Fabric, an Agent that
 * accepts only the server certificate whose SHA-1 thumbprint the environment names.
 */
import { createHash } from 'node:crypto'
import type { TLSSocket } from 'node:tls'
import type { buildConnector, Dispatcher } from 'undici'
import type { Undici } from '../load-undici.js'

const plainAgents = new Map<number, Dispatcher>()
const pinnedAgents = new Map<string, Dispatcher>()
const KEEP_ALIVE_MS = 10_000

/**
 * The Service Fabric endpoint presented a certificate other than the pinned one. Internal: requests turn
 * it into a ConfigurationError naming `IDENTITY_SERVER_THUMBPRINT`.
 *
 * @example
 * ```ts
 * if ((error as { code?: string }).code === 'ERR_PIN_MISMATCH') refuse()
 * ```
 */
export class CertificatePinMismatch extends Error {
  readonly code = 'ERR_PIN_MISMATCH'

  readonly presented: string | undefined

  constructor(presented: string | undefined) {
    super(`The server certificate's SHA-1 thumbprint is ${presented ?? 'absent'}, not the pinned one.`)
    this.presented = presented
    this.name = 'CertificatePinMismatch'
  }
}

/**
 * A shared Agent whose connections time out after `connectTimeoutMs`.
 *
 * @example
 * ```ts
 * const dispatcher = identityDispatcher(await loadUndici(), 1000)
 * ```
 */
export function identityDispatcher({ Agent }: Undici, connectTimeoutMs: number): Dispatcher {
  let agent = plainAgents.get(connectTimeoutMs)
  if (!agent) {
    agent = new Agent({ connect: { timeout: connectTimeoutMs }, keepAliveTimeout: KEEP_ALIVE_MS })
    plainAgents.set(connectTimeoutMs, agent)
  }
  return agent
}

/** The upper-case hex SHA-1 of the peer's certificate, when it sent one. */
function peerThumbprint(socket: TLSSocket): string | undefined {
  const certificate =
    typeof socket.getPeerX509Certificate === 'function' ? socket.getPeerX509Certificate() : undefined
  return certificate ? createHash('sha1').update(certificate.raw).digest('hex').toUpperCase() : undefined
}

/**
 * An Agent that talks TLS only to a server presenting the certificate with SHA-1 `thumbprint` (upper-case
 * hex), whatever its name or issuer, checked on every connection (no TLS session reuse). Any other
 * certificate closes the connection with a {@link CertificatePinMismatch}.
 *
 * @example
 * ```ts
 * const dispatcher = pinnedDispatcher(await loadUndici(), env.IDENTITY_SERVER_THUMBPRINT!.toUpperCase(), 1000)
 * ```
 */
export function pinnedDispatcher(
  { Agent, buildConnector }: Undici,
  thumbprint: string,
  connectTimeoutMs: number,
): Dispatcher {
  const key = `${thumbprint}:${connectTimeoutMs}`
  let agent = pinnedAgents.get(key)
  if (!agent) {
    // the certificate is checked below by its thumbprint instead of by a CA: the server's is self-signed
    const base = buildConnector({
      rejectUnauthorized: false,
      maxCachedSessions: 0,
      timeout: connectTimeoutMs,
    })
    const connect: buildConnector.connector = (options, callback) => {
      base(options, (error, socket) => {
        if (error || !socket) return callback(error ?? new Error('no socket'), null)
        const presented = peerThumbprint(socket as TLSSocket)
        if (presented !== thumbprint) {
          socket.destroy()
          return callback(new CertificatePinMismatch(presented), null)
        }
        return callback(null, socket)
      })
    }
    agent = new Agent({ connect, keepAliveTimeout: KEEP_ALIVE_MS })
    pinnedAgents.set(key, agent)
  }
  return agent
}
