/** The loopback servers, client and helpers the interceptor tests share. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Agent, type Dispatcher, request } from 'undici'
import { afterEach } from 'vitest'
import { type AuthRoutes, createAuthInterceptor } from '../../src/attach/interceptor.js'
import { TokenClient } from '../../src/client.js'

export const TENANT = 'contoso.onmicrosoft.com'
export const CLIENT_ID = '55b2a7ec-73f3-45c2-af08-21ecc33dc40e'
export const RESOURCE = 'api://myapis/mywebapi'
export const CLAIMS = '{"access_token":{"nbf":{"essential":true,"value":"1764000000"}}}'
export const CAE_CHALLENGE = `Bearer realm="", error="insufficient_claims", claims="${Buffer.from(CLAIMS).toString('base64')}"`

export interface Seen {
  method: string | undefined
  url: string | undefined
  authorization: string | undefined
  body: string
}

export type Handle = (req: IncomingMessage, res: ServerResponse, n: number) => void

export const closers: Array<() => Promise<unknown>> = []
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close()
})

/** A loopback server recording each request (body read) before `handle` answers it. */
export async function listen(handle: Handle = (_req, res) => res.end('ok')) {
  const seen: Seen[] = []
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks).toString()
    seen.push({ method: req.method, url: req.url, authorization: req.headers.authorization, body })
    handle(req, res, seen.length)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  closers.push(() => new Promise((resolve) => server.close(resolve)))
  server.keepAliveTimeout = 100
  return { seen, server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

/** A loopback authority (tokens `token-1`, `token-2`, …), a client on it with a fake clock, and an interceptor. */
export async function setup(routesFor: (apiOrigin: string) => AuthRoutes, handle?: Handle) {
  let now = Date.parse('2026-01-01T00:00:00Z')
  const clock = { now: () => now }
  const state = { down: false, delayMs: 0 }
  const authority = await listen((_req, res, n) => {
    if (state.down) return res.socket?.destroy()
    const body = JSON.stringify({ token_type: 'Bearer', expires_in: 3599, access_token: `token-${n}` })
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(body), state.delayMs)
  })
  const api = await listen(handle)
  const client = new TokenClient({
    authorityHost: authority.origin,
    tenant: TENANT,
    clientId: CLIENT_ID,
    credential: { clientSecret: 'not-a-real-secret' },
    clock,
    http: { retries: 0 },
  })
  const agent = new Agent().compose(createAuthInterceptor(client, routesFor(api.origin), { clock }))
  closers.push(() => agent.close())
  const warm = async () => {
    await client.getToken(RESOURCE)
    now += 1_000
  }
  const tokenRequests = () => authority.seen.map((s) => new URLSearchParams(s.body))
  return { api, agent, client, state, warm, tokenRequests, clock }
}

export const routed = (origin: string): AuthRoutes => ({ [origin]: RESOURCE })

/** 401 for the first `times` requests, then 200 with the request number. */
export const refuseFirst =
  (times: number, challenge = 'Bearer error="invalid_token"'): Handle =>
  (_req, res, n) => {
    if (n <= times) res.writeHead(401, { 'www-authenticate': challenge }).end(`denied ${n}`)
    else res.end(`ok ${n}`)
  }

export async function get(
  dispatcher: Dispatcher,
  url: string,
  options: Partial<Dispatcher.RequestOptions> = {},
) {
  const { statusCode, body } = await request(url, { dispatcher, ...options })
  return { statusCode, text: await body.text() }
}
