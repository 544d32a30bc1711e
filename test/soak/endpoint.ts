/**
 * The soak's fake token endpoint: a node:http server on 127.0.0.1 that answers every token request
 * with the lifetime (and `refresh_in`) of the scope's class, and counts requests per tenant and scope.
 */
import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { classOfScope } from './plan.js'

export interface SoakEndpoint {
  /** `http://127.0.0.1:PORT`, the authority host. */
  readonly url: string
  /** Requests per `tenant scope`. */
  readonly requests: Map<string, number>
  /** All requests. */
  readonly total: number
  /** Requests answered with something other than a token. */
  readonly refused: number
  reset(): void
  close(): Promise<void>
}

/** The key the endpoint counts a request under (the same text as a diagnostics `key`). */
export function endpointKey(tenant: string, scope: string): string {
  return `${tenant} ${scope}`
}

export async function startSoakEndpoint(): Promise<SoakEndpoint> {
  const requests = new Map<string, number>()
  let total = 0
  let refused = 0
  let issued = 0
  const server = createServer((req, res) => {
    void answer(req, res)
  })
  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    total++
    const tenant = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(req.url ?? '')?.[1]
    const scope = new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('scope') ?? ''
    const tokenClass = classOfScope(scope)
    if (req.method !== 'POST' || tenant === undefined || tokenClass === undefined) {
      refused++
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid_request"}')
      return
    }
    const key = endpointKey(tenant, scope)
    requests.set(key, (requests.get(key) ?? 0) + 1)
    const body = {
      token_type: 'Bearer',
      expires_in: tokenClass.lifetimeSec,
      ext_expires_in: tokenClass.lifetimeSec,
      ...(tokenClass.refreshInSec === undefined ? {} : { refresh_in: tokenClass.refreshInSec }),
      access_token: `soak-token-${++issued}`,
    }
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body))
  }
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get total() {
      return total
    },
    get refused() {
      return refused
    },
    reset() {
      requests.clear()
      total = 0
      refused = 0
    },
    async close() {
      server.closeAllConnections()
      server.close()
      await once(server, 'close')
    },
  }
}
