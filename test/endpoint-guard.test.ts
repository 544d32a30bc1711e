/**
 * Issue 13 finding 1: whatever dispatcher the app passes, every hop of a token request stays on the
 * configured token endpoint. Real loopback servers: the token endpoint, which redirects, and the redirect
 * target, which records every byte it receives. A "non-loopback" target is simulated by a host name that
 * the test's dispatcher resolves to 127.0.0.1 (`token-thief.test`): the request really goes over plain
 * http to a host that is not a loopback name, and never leaves the machine.
 */
import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { type AddressInfo, connect } from 'node:net'
import type { Duplex } from 'node:stream'
import { Agent, type Dispatcher, interceptors, Pool, ProxyAgent } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { TokenClient } from '../src/client.js'
import { TransportError } from '../src/errors.js'
import { watchedRequests } from '../src/request-watch.js'
import { EXAMPLE, startLocalAuthority } from '../src/testing/index.js'
import { postForm } from '../src/transport.js'
import { dropsOptions, naiveFollower, rewritingTo, toLoopback } from './helpers/dispatchers.js'

const SECRET = 'Hop8Q~not-a-real-secret-but-it-must-not-travel'
const TOKEN_PATH = '/tenant/oauth2/v2.0/token'
const THIEF_HOST = 'token-thief.test'

const closers: Array<() => Promise<unknown>> = []
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close()
  // every token request stopped watching when it was over
  expect(watchedRequests()).toBe(0)
})

interface Listener {
  readonly origin: string
  readonly port: number
  /** Each request as received: method, path and body. */
  readonly seen: Array<{ method: string | undefined; path: string | undefined; body: string }>
  /** Bytes received on any connection, whether or not they made a request. */
  bytes(): number
  /** Connections accepted. */
  connections(): number
}

type Handle = (req: IncomingMessage, res: ServerResponse, n: number) => void

const tokenAnswer = (res: ServerResponse, token = 'eyJ.stolen.token') =>
  res
    .writeHead(200, { 'content-type': 'application/json' })
    .end(JSON.stringify({ token_type: 'Bearer', expires_in: 3599, access_token: token }))

async function listen(handle: Handle = (_req, res) => tokenAnswer(res)): Promise<Listener> {
  const seen: Listener['seen'] = []
  let bytes = 0
  let connections = 0
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    seen.push({ method: req.method, path: req.url, body: Buffer.concat(chunks).toString() })
    handle(req, res, seen.length)
  })
  server.on('connection', (socket) => {
    connections++
    socket.on('data', (chunk: Buffer) => (bytes += chunk.length))
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  closers.push(async () => {
    server.closeAllConnections()
    server.close()
    await once(server, 'close')
  })
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    seen,
    bytes: () => bytes,
    connections: () => connections,
  }
}

function agent(): Agent {
  const created = new Agent({ connect: { lookup: toLoopback } })
  closers.push(() => created.close())
  return created
}

const post = (url: string) => ({
  url,
  body: new URLSearchParams({ grant_type: 'client_credentials', client_secret: SECRET }).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded', 'client-request-id': 'req-13' },
  clientRequestId: 'req-13',
})
const settings = (dispatcher: Dispatcher) => ({
  dispatcher,
  timeoutMs: 5_000,
  maxResponseBytes: 64 * 1024,
  clock: { now: () => 1_000 },
})

/** A token endpoint that answers every request with `status` and `location`, and the target that records what reaches it. */
async function redirecting(status: number, location: (target: Listener) => string) {
  const target = await listen()
  const endpoint = await listen((_req, res) => res.writeHead(status, { location: location(target) }).end())
  return { endpoint, target, url: `${endpoint.origin}${TOKEN_PATH}` }
}

const elsewhere = (target: Listener) => `http://${THIEF_HOST}:${target.port}/steal`

async function refusal(promise: Promise<unknown>): Promise<TransportError> {
  const error = await promise.then(
    () => new Error('the token request was answered: it should have been refused'),
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(TransportError)
  return error as TransportError
}

function expectNothingReached(target: Listener): void {
  expect(target.seen).toEqual([])
  expect(target.bytes()).toBe(0)
}

describe('a dispatcher that follows redirects never takes the token request to the redirect target', () => {
  it.each([301, 302, 303, 307, 308])(
    "undici's redirect interceptor and a %i to plain http on a non-loopback host: refused, nothing sent there",
    async (status) => {
      const { target, url } = await redirecting(status, elsewhere)
      const dispatcher = agent().compose(interceptors.redirect({ maxRedirections: 3 }))
      const error = await refusal(postForm(post(url), settings(dispatcher)))
      expect(error).toMatchObject({ code: 'ERR_TOKEN_REQUEST_FAILED', reason: 'redirect', retryable: false })
      expectNothingReached(target)
      // the redirect is not even followed: the 3xx comes back and is refused
      expect(target.connections()).toBe(0)
    },
  )

  it('a 307 to another path on the same origin is refused as well (every hop on the configured endpoint)', async () => {
    const endpoint = await listen((req, res) => {
      if (req.url === TOKEN_PATH) res.writeHead(307, { location: '/other/token' }).end()
      else tokenAnswer(res)
    })
    const dispatcher = agent().compose(interceptors.redirect({ maxRedirections: 3 }))
    const error = await refusal(postForm(post(`${endpoint.origin}${TOKEN_PATH}`), settings(dispatcher)))
    expect(error.reason).toBe('redirect')
    expect(endpoint.seen.map((s) => s.path)).toEqual([TOKEN_PATH])
  })

  it('a redirect interceptor that never sees the per-request options: the followed hop is stopped before it is written', async () => {
    const { target, url } = await redirecting(307, elsewhere)
    const dispatcher = agent().compose(interceptors.redirect({ maxRedirections: 3 }), dropsOptions)
    const error = await refusal(postForm(post(url), settings(dispatcher)))
    expect(error.reason).toBe('redirect')
    expectNothingReached(target)
  })

  it('a hand-written redirect follower (no redirect history): the hop to the target is stopped before it is written', async () => {
    const { target, url } = await redirecting(307, elsewhere)
    const dispatcher = agent().compose(naiveFollower)
    const error = await refusal(postForm(post(url), settings(dispatcher)))
    expect(error).toMatchObject({ code: 'ERR_TOKEN_REQUEST_FAILED', retryable: false })
    expect(['redirect', 'misrouted']).toContain(error.reason)
    expect(error.message).toContain(THIEF_HOST)
    expectNothingReached(target)
  })

  it("undici's redirect and retry interceptors together: refused, nothing sent to the target", async () => {
    const { target, url } = await redirecting(307, elsewhere)
    const dispatcher = agent().compose(
      interceptors.retry({ maxRetries: 2, minTimeout: 1, maxTimeout: 1, methods: ['POST'] }),
      interceptors.redirect({ maxRedirections: 3 }),
      dropsOptions,
    )
    const error = await refusal(postForm(post(url), settings(dispatcher)))
    expect(error.reason).toBe('redirect')
    expectNothingReached(target)
  })
})

describe('a dispatcher that sends the token request somewhere else is refused before it writes', () => {
  it('an interceptor that rewrites the origin', async () => {
    const endpoint = await listen()
    const target = await listen()
    const dispatcher = agent().compose(rewritingTo(`http://${THIEF_HOST}:${target.port}`))
    const error = await refusal(postForm(post(`${endpoint.origin}${TOKEN_PATH}`), settings(dispatcher)))
    expect(error).toMatchObject({ reason: 'misrouted', retryable: false })
    expect(error.message).toContain(THIEF_HOST)
    expectNothingReached(target)
    expectNothingReached(endpoint)
  })

  it('an interceptor that rewrites the path on the same origin', async () => {
    const endpoint = await listen()
    const dispatcher = agent().compose(rewritingTo(endpoint.origin, '/elsewhere/token'))
    const error = await refusal(postForm(post(`${endpoint.origin}${TOKEN_PATH}`), settings(dispatcher)))
    expect(error.reason).toBe('misrouted')
    expectNothingReached(endpoint)
  })

  it('a Pool bound to another origin', async () => {
    const endpoint = await listen()
    const target = await listen()
    const pool = new Pool(`http://${THIEF_HOST}:${target.port}`, { connect: { lookup: toLoopback } })
    closers.push(() => pool.close())
    const error = await refusal(postForm(post(`${endpoint.origin}${TOKEN_PATH}`), settings(pool)))
    expect(error).toMatchObject({ reason: 'misrouted', retryable: false })
    expect(target.connections()).toBe(0)
  })
})

describe('dispatchers that keep the token request on its endpoint still work', () => {
  it('a Pool bound to the token endpoint', async () => {
    const endpoint = await listen()
    const pool = new Pool(endpoint.origin)
    closers.push(() => pool.close())
    const response = await postForm(post(`${endpoint.origin}${TOKEN_PATH}`), settings(pool))
    expect(response.status).toBe(200)
    expect(endpoint.seen.map((s) => s.path)).toEqual([TOKEN_PATH])
  })

  it("undici's retry interceptor re-sending to the same endpoint", async () => {
    const endpoint = await listen((_req, res, n) => (n === 1 ? res.writeHead(503).end() : tokenAnswer(res)))
    const dispatcher = agent().compose(
      interceptors.retry({ maxRetries: 2, minTimeout: 1, maxTimeout: 1, methods: ['POST'] }),
    )
    const response = await postForm(post(`${endpoint.origin}${TOKEN_PATH}`), settings(dispatcher))
    expect(response.status).toBe(200)
    expect(endpoint.seen.map((s) => s.path)).toEqual([TOKEN_PATH, TOKEN_PATH])
  })

  it("undici's dns interceptor sending to the address the endpoint's host resolves to", async () => {
    const endpoint = await listen()
    const dns = interceptors.dns({
      lookup: (_origin, _options, callback) =>
        callback(null, [{ address: '127.0.0.1', family: 4, ttl: 60_000 }]),
    })
    const dispatcher = agent().compose(dns, interceptors.redirect({ maxRedirections: 3 }))
    const response = await postForm(
      post(`http://localhost:${endpoint.port}${TOKEN_PATH}`),
      settings(dispatcher),
    )
    expect(response.status).toBe(200)
    expect(endpoint.seen.map((s) => s.path)).toEqual([TOKEN_PATH])
  })
})

describe('through a proxy (what EnvHttpProxyAgent does with HTTPS_PROXY / HTTP_PROXY set)', () => {
  /** A loopback proxy: CONNECT tunnels (https), and plain http requests recorded, never forwarded. */
  async function proxy() {
    const forwarded: string[] = []
    const tunnels: string[] = []
    const server = createServer((req, res) => {
      forwarded.push(req.url ?? '')
      res.writeHead(502).end()
    })
    server.on('connect', (req: IncomingMessage, client: Duplex, head: Buffer) => {
      tunnels.push(req.url ?? '')
      const [host, port] = (req.url ?? '').split(':')
      const upstream = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        upstream.write(head)
        upstream.pipe(client)
        client.pipe(upstream)
      })
      upstream.on('error', () => client.destroy())
      client.on('error', () => upstream.destroy())
    })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    closers.push(async () => {
      server.closeAllConnections()
      server.close()
    })
    return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, forwarded, tunnels }
  }

  it('https through a CONNECT tunnel reaches the endpoint', async () => {
    const authority = await startLocalAuthority({ https: true })
    closers.push(() => authority.close())
    const { origin, tunnels } = await proxy()
    const dispatcher = new ProxyAgent({ uri: origin, requestTls: { ca: authority.caPem } })
    closers.push(() => dispatcher.close())
    const response = await postForm(post(authority.tokenEndpoint(EXAMPLE.tenantId)), settings(dispatcher))
    expect(response.status).toBe(400) // the authority's own answer to a form without a client
    expect(tunnels).toEqual([new URL(authority.url).host])
  })

  it('plain http handed to a forward proxy is refused before the proxy gets the form', async () => {
    const endpoint = await listen()
    const { origin, forwarded } = await proxy()
    const dispatcher = new ProxyAgent({ uri: origin })
    closers.push(() => dispatcher.close())
    const error = await refusal(postForm(post(`${endpoint.origin}${TOKEN_PATH}`), settings(dispatcher)))
    expect(error).toMatchObject({ reason: 'misrouted', hint: expect.stringContaining('NO_PROXY') })
    expect(forwarded).toEqual([])
    expectNothingReached(endpoint)
  })
})

describe('TokenClient with a redirecting dispatcher', () => {
  it('gets no token from the redirect target, caches nothing, and sends the secret nowhere else', async () => {
    const { target, endpoint } = await redirecting(307, elsewhere)
    const client = new TokenClient({
      authorityHost: endpoint.origin,
      tenant: 'tenant.example',
      clientId: '55b2a7ec-73f3-45c2-af08-21ecc33dc40e',
      credential: { clientSecret: SECRET },
      http: { dispatcher: agent().compose(interceptors.redirect({ maxRedirections: 3 })), retries: 0 },
    })
    const error = await refusal(client.getToken('api://hops'))
    expect(error.reason).toBe('redirect')
    expect(client.cachedTokens).toBe(0)
    expectNothingReached(target)
    expect(JSON.stringify(error)).not.toContain(SECRET)
  })
})
