/**
 * The socket side: an http or https server on 127.0.0.1 that tracks its connections so that
 * `close()` ends them all at once (no keep-alive socket holds a test run open).
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { Socket } from 'node:net'

/**
 * Loopback only: the local authority never listens on another address.
 *
 * @example
 * ```ts
 * server.listen(0, LOOPBACK)
 * ```
 */
export const LOOPBACK = '127.0.0.1'

/**
 * A listening server.
 *
 * @example
 * ```ts
 * const listener: Listener = await listen(handler, { port: 0 })
 * await listener.close()
 * ```
 */
export interface Listener {
  port: number
  /** Aborted when closing, so pending work (latency faults) stops at once. */
  signal: AbortSignal
  close(): Promise<void>
}

/**
 * Where and how to listen.
 *
 * @example
 * ```ts
 * await listen(handler, { port: 0, tls: { key: tls.privateKeyPem, cert: tls.certificatePem } })
 * ```
 */
export interface ListenOptions {
  port: number
  tls?: { key: string; cert: string }
}

/**
 * Starts listening.
 *
 * @example
 * ```ts
 * const listener = await listen((req, res) => res.end('ok'), { port: 0 })
 * await listener.close()
 * ```
 */
export async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  options: ListenOptions,
): Promise<Listener> {
  // https asks for a client certificate (mutual TLS, the mtlsauth endpoint) and requires none
  const server: Server = options.tls
    ? createHttpsServer({ ...options.tls, requestCert: true, rejectUnauthorized: false }, handler)
    : createHttpServer(handler)
  const sockets = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, LOOPBACK, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : options.port
  const aborter = new AbortController()
  return { port, signal: aborter.signal, close: () => closeServer(server, sockets, aborter) }
}

function closeServer(server: Server, sockets: Set<Socket>, aborter: AbortController): Promise<void> {
  aborter.abort()
  if (!server.listening) return Promise.resolve()
  const closed = new Promise<void>((resolve) => server.close(() => resolve()))
  server.closeAllConnections()
  for (const socket of sockets) socket.destroy()
  return closed
}
