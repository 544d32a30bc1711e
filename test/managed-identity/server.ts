/**
 * Loopback stand-ins for identity endpoints: an http(s) server that records every request and answers
 * from a script, a port that refuses connections, and a port that accepts and never answers.
 */
import { once } from 'node:events'
import {
  createServer as createHttpServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
} from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { type AddressInfo, createServer as createNetServer, type Socket } from 'node:net'

/** One request as the endpoint saw it. */
export interface SeenRequest {
  method: string
  path: string
  query: URLSearchParams
  headers: IncomingHttpHeaders
  body: string
}

/** One scripted answer: a JSON body (object) or raw text, or `silent` (never answer). */
export type Reply = { status?: number; headers?: Record<string, string>; body?: unknown } | 'silent'

export type Script = readonly Reply[] | ((request: SeenRequest, index: number) => Reply)

/** A running endpoint. */
export interface IdentityServer {
  /** `http(s)://127.0.0.1:port` */
  origin: string
  port: number
  seen: SeenRequest[]
  close(): Promise<void>
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

function pick(script: Script, seen: SeenRequest, index: number): Reply {
  if (typeof script === 'function') return script(seen, index)
  return script[Math.min(index, script.length - 1)] ?? { status: 500 }
}

async function listen(server: Server | ReturnType<typeof createNetServer>): Promise<number> {
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return (server.address() as AddressInfo).port
}

function tracked(server: Server | ReturnType<typeof createNetServer>): () => Promise<void> {
  const sockets = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  return async () => {
    for (const socket of sockets) socket.destroy()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

/**
 * Starts an identity endpoint on 127.0.0.1 answering from `script` (the last answer repeats); over https
 * when `tls` is given.
 */
export async function startIdentityServer(
  script: Script,
  tls?: { key: string; cert: string },
): Promise<IdentityServer> {
  const seen: SeenRequest[] = []
  const handler = async (request: IncomingMessage, response: import('node:http').ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    const entry: SeenRequest = {
      method: request.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      headers: request.headers,
      body: await readBody(request),
    }
    seen.push(entry)
    const reply = pick(script, entry, seen.length - 1)
    if (reply === 'silent') return
    const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {})
    const type = typeof reply.body === 'string' ? 'text/plain' : 'application/json'
    response.writeHead(reply.status ?? 200, { 'content-type': type, ...reply.headers })
    response.end(body)
  }
  const server = tls ? createHttpsServer(tls, handler) : createHttpServer(handler)
  const close = tracked(server)
  const port = await listen(server)
  return { origin: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`, port, seen, close }
}

/** A loopback port with nothing listening (connections are refused). */
export async function closedPort(): Promise<number> {
  const server = createNetServer()
  const port = await listen(server)
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** A loopback port that accepts connections and never answers; `accepted` counts them. */
export async function startSilentPort(): Promise<{
  port: number
  accepted: () => number
  close(): Promise<void>
}> {
  let accepted = 0
  const server = createNetServer(() => {
    accepted++
  })
  const close = tracked(server)
  const port = await listen(server)
  return { port, accepted: () => accepted, close }
}

/** A clock that moves only when told, and a `sleep` that records each wait and moves the clock by it. */
export function fakeTime(start = Date.parse('2026-03-01T08:00:00Z')) {
  let now = start
  const waits: number[] = []
  return {
    clock: { now: () => now },
    waits,
    sleep: async (ms: number) => {
      waits.push(ms)
      now += ms
    },
    advance: (ms: number) => {
      now += ms
    },
    get now() {
      return now
    },
  }
}

/** A success answer in IMDS's shape, expiring `lifetimeS` after `nowMs`. */
export function tokenBody(nowMs: number, lifetimeS = 86_399, extra: Record<string, unknown> = {}) {
  return {
    access_token: 'mi-access-token-0123456789',
    client_id: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    expires_in: String(lifetimeS),
    expires_on: String(Math.floor(nowMs / 1000) + lifetimeS),
    ext_expires_in: String(lifetimeS),
    not_before: String(Math.floor(nowMs / 1000)),
    resource: 'https://vault.azure.net',
    token_type: 'Bearer',
    ...extra,
  }
}
