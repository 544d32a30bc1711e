import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Duplex, Readable } from 'node:stream'
import {
  Agent,
  BalancedPool,
  type Dispatcher,
  getGlobalDispatcher,
  interceptors,
  Pool,
  request,
  setGlobalDispatcher,
  fetch as undiciFetch,
} from 'undici'
import { afterEach, describe, expect, test } from 'vitest'
import { type AuthRoutes, createAuthInterceptor } from '../../src/attach/interceptor.js'
import type { TokenSource } from '../../src/attach/source.js'
import { TokenClient } from '../../src/client.js'
import { ConfigurationError } from '../../src/errors.js'
import { AccessToken } from '../../src/token.js'

const TENANT = 'contoso.onmicrosoft.com'
const CLIENT_ID = '55b2a7ec-73f3-45c2-af08-21ecc33dc40e'
const RESOURCE = 'api://myapis/mywebapi'
const CLAIMS = '{"access_token":{"nbf":{"essential":true,"value":"1764000000"}}}'
const CAE_CHALLENGE = `Bearer realm="", error="insufficient_claims", claims="${Buffer.from(CLAIMS).toString('base64')}"`

interface Seen {
  method: string | undefined
  url: string | undefined
  authorization: string | undefined
  body: string
}

type Handle = (req: IncomingMessage, res: ServerResponse, n: number) => void

const closers: Array<() => Promise<unknown>> = []
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close()
})

/** A loopback server recording each request (body read) before `handle` answers it. */
async function listen(handle: Handle = (_req, res) => res.end('ok')) {
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
async function setup(routesFor: (apiOrigin: string) => AuthRoutes, handle?: Handle) {
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

const routed = (origin: string): AuthRoutes => ({ [origin]: RESOURCE })

/** 401 for the first `times` requests, then 200 with the request number. */
const refuseFirst =
  (times: number, challenge = 'Bearer error="invalid_token"'): Handle =>
  (_req, res, n) => {
    if (n <= times) res.writeHead(401, { 'www-authenticate': challenge }).end(`denied ${n}`)
    else res.end(`ok ${n}`)
  }

async function get(dispatcher: Dispatcher, url: string, options: Partial<Dispatcher.RequestOptions> = {}) {
  const { statusCode, body } = await request(url, { dispatcher, ...options })
  return { statusCode, text: await body.text() }
}

describe('which requests get the token', () => {
  test('only the routed origin gets the token; the same host on another port gets none', async () => {
    const { api, agent } = await setup(routed)
    const other = await listen()
    await get(agent, `${api.origin}/orders`)
    await get(agent, `${other.origin}/orders`)
    expect(api.seen.map((s) => s.authorization)).toEqual(['Bearer token-1'])
    expect(other.seen.map((s) => s.authorization)).toEqual([undefined])
  })

  test("the caller's authorization header is kept whatever the headers' form, and no token is fetched", async () => {
    const { api, agent, tokenRequests } = await setup(routed)
    const path = '/orders'
    await agent.request({ origin: api.origin, path, method: 'GET', headers: { Authorization: 'Basic a' } })
    await agent.request({ origin: api.origin, path, method: 'GET', headers: ['authorization', 'Basic b'] })
    await agent.request({
      origin: api.origin,
      path,
      method: 'GET',
      headers: new Map([['AUTHORIZATION', 'Basic c']]),
    })
    expect(api.seen.map((s) => s.authorization)).toEqual(['Basic a', 'Basic b', 'Basic c'])
    expect(tokenRequests()).toHaveLength(0)
  })

  test("the caller's options and headers are not mutated (they are frozen here), across a retry", async () => {
    const { api, agent, warm } = await setup(routed, refuseFirst(1))
    await warm()
    const asObject = Object.freeze({ 'content-type': 'text/plain' })
    const asList = Object.freeze(['content-type', 'text/plain']) as string[]
    for (const headers of [asObject, asList]) {
      const opts = Object.freeze({
        origin: api.origin,
        path: '/a',
        method: 'POST' as const,
        body: 'x',
        headers,
      })
      const { statusCode } = await agent.request(opts)
      expect(statusCode).toBe(200)
      expect(opts).toEqual({ origin: api.origin, path: '/a', method: 'POST', body: 'x', headers })
    }
    expect(asObject).toEqual({ 'content-type': 'text/plain' })
    expect(asList).toEqual(['content-type', 'text/plain'])
    expect(api.seen.map((s) => s.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-2',
      'Bearer token-2',
    ])
  })
})

describe('a 401', () => {
  test('a 401 to a cached token causes exactly one forced refresh and one retry, with the same body', async () => {
    const { api, agent, warm, tokenRequests } = await setup(routed, refuseFirst(1))
    await warm()
    const result = await get(agent, `${api.origin}/orders`, { method: 'POST', body: Buffer.from('{"id":1}') })
    expect(result).toEqual({ statusCode: 200, text: 'ok 2' })
    expect(api.seen.map((s) => [s.authorization, s.body])).toEqual([
      ['Bearer token-1', '{"id":1}'],
      ['Bearer token-2', '{"id":1}'],
    ])
    expect(tokenRequests()).toHaveLength(2)
  })

  test('a second 401 reaches the caller (with its body), not another retry', async () => {
    const { api, agent, warm, tokenRequests } = await setup(routed, refuseFirst(99))
    await warm()
    expect(await get(agent, `${api.origin}/orders`)).toEqual({ statusCode: 401, text: 'denied 2' })
    expect(api.seen).toHaveLength(2)
    expect(tokenRequests()).toHaveLength(2)
  })

  test('a 401 right after a fresh token reaches the caller without a refresh or retry', async () => {
    const { api, agent, tokenRequests } = await setup(routed, refuseFirst(99))
    expect(await get(agent, `${api.origin}/orders`)).toEqual({ statusCode: 401, text: 'denied 1' })
    expect(api.seen).toHaveLength(1)
    expect(tokenRequests()).toHaveLength(1)
  })

  test('a request with a stream body is not retried', async () => {
    const { api, agent, warm, tokenRequests } = await setup(routed, refuseFirst(99))
    await warm()
    const body = Readable.from([Buffer.from('streamed')])
    expect(await get(agent, `${api.origin}/upload`, { method: 'PUT', body })).toEqual({
      statusCode: 401,
      text: 'denied 1',
    })
    expect(api.seen.map((s) => s.body)).toEqual(['streamed'])
    expect(tokenRequests()).toHaveLength(1)
  })

  test('a CAE challenge gets a token with the decoded claims, then one retry', async () => {
    const { api, agent, tokenRequests } = await setup(routed, refuseFirst(1, CAE_CHALLENGE))
    expect(await get(agent, `${api.origin}/orders`)).toEqual({ statusCode: 200, text: 'ok 2' })
    expect(tokenRequests().map((form) => form.get('claims'))).toEqual([null, CLAIMS])
    expect(api.seen.map((s) => s.authorization)).toEqual(['Bearer token-1', 'Bearer token-2'])
  })
})

describe('failing closed, aborting, concurrency', () => {
  test('when the authority is down the request is not sent and the error reaches the caller', async () => {
    const { api, agent, state } = await setup(routed)
    state.down = true
    await expect(get(agent, `${api.origin}/orders`)).rejects.toMatchObject({
      code: 'ERR_TOKEN_REQUEST_FAILED',
    })
    expect(api.seen).toHaveLength(0)
  })

  test('a request aborted while its token is being fetched is never sent', async () => {
    const { api, agent, state, tokenRequests } = await setup(routed)
    state.delayMs = 200
    const pending = get(agent, `${api.origin}/orders`, { signal: AbortSignal.timeout(20) })
    await expect(pending).rejects.toMatchObject({ name: 'TimeoutError' })
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(tokenRequests()).toHaveLength(1)
    expect(api.seen).toHaveLength(0)
  })

  test('100 concurrent requests through a cold interceptor cause one token request', async () => {
    const { api, agent, tokenRequests } = await setup(routed)
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => get(agent, `${api.origin}/${i}`)))
    expect(results.every((r) => r.statusCode === 200)).toBe(true)
    expect(tokenRequests()).toHaveLength(1)
    expect(new Set(api.seen.map((s) => s.authorization))).toEqual(new Set(['Bearer token-1']))
  })
})

describe('where it plugs in', () => {
  test('undici.request, undici.fetch, Agent#request and a composed Pool all send the token', async () => {
    const { api, agent, client, clock } = await setup(routed)
    const pool = new Pool(api.origin).compose(createAuthInterceptor(client, routed(api.origin), { clock }))
    closers.push(() => pool.close())
    await get(agent, `${api.origin}/request`)
    await (await undiciFetch(`${api.origin}/fetch`, { dispatcher: agent })).text()
    await (await agent.request({ origin: api.origin, path: '/agent', method: 'GET' })).body.text()
    await (await pool.request({ path: '/pool', method: 'GET' })).body.text()
    expect(api.seen.map((s) => [s.url, s.authorization])).toEqual([
      ['/request', 'Bearer token-1'],
      ['/fetch', 'Bearer token-1'],
      ['/agent', 'Bearer token-1'],
      ['/pool', 'Bearer token-1'],
    ])
  })

  test("setGlobalDispatcher covers Node's global fetch (a 401 retried) and undici.request", async () => {
    const { api, agent, warm } = await setup(routed, refuseFirst(1))
    await warm()
    const previous = getGlobalDispatcher()
    setGlobalDispatcher(agent)
    closers.push(async () => setGlobalDispatcher(previous))
    const response = await fetch(`${api.origin}/global-fetch`)
    expect([response.status, await response.text()]).toEqual([200, 'ok 2'])
    await (await request(`${api.origin}/global-request`)).body.text()
    expect(api.seen.map((s) => [s.url, s.authorization])).toEqual([
      ['/global-fetch', 'Bearer token-1'],
      ['/global-fetch', 'Bearer token-2'],
      ['/global-request', 'Bearer token-2'],
    ])
  })

  test.each([
    ['inside', 'auth first, redirect outside'],
    ['outside', 'redirect first, auth outside'],
  ])(
    'with the redirect interceptor %s (%s) a cross-origin hop has no token, a same-origin hop keeps it',
    async (where) => {
      const other = await listen()
      const { api, client, clock } = await setup(routed, (req, res) => {
        if (req.url === '/away') res.writeHead(302, { location: `${other.origin}/landed` }).end()
        else if (req.url === '/here') res.writeHead(307, { location: '/landed' }).end()
        else res.end('api')
      })
      const auth = createAuthInterceptor(client, routed(api.origin), { clock })
      const redirect = interceptors.redirect({ maxRedirections: 3 })
      const agent = new Agent().compose(...(where === 'inside' ? [auth, redirect] : [redirect, auth]))
      closers.push(() => agent.close())
      await get(agent, `${api.origin}/away`)
      await get(agent, `${api.origin}/here`)
      expect(other.seen.map((s) => s.authorization)).toEqual([undefined])
      expect(api.seen.map((s) => [s.url, s.authorization])).toEqual([
        ['/away', 'Bearer token-1'],
        ['/here', 'Bearer token-1'],
        ['/landed', 'Bearer token-1'],
      ])
    },
  )
})

describe('where the request really goes (issue 13 findings 4 and 5)', () => {
  test('composed on a Pool bound to another origin, a request naming a routed origin gets no token', async () => {
    const { api, client, clock, tokenRequests } = await setup(routed)
    const other = await listen()
    const pool = new Pool(other.origin).compose(createAuthInterceptor(client, routed(api.origin), { clock }))
    closers.push(() => pool.close())
    await get(pool, `${api.origin}/orders`)
    await (await pool.request({ origin: api.origin, path: '/orders', method: 'GET' })).body.text()
    expect(other.seen.map((s) => [s.url, s.authorization])).toEqual([
      ['/orders', undefined],
      ['/orders', undefined],
    ])
    expect(api.seen).toHaveLength(0)
    expect(tokenRequests()).toHaveLength(0)
  })

  test("composed on a Pool bound to a routed origin, requests get that origin's token whatever origin they name", async () => {
    const { api, client, clock } = await setup(routed)
    const pool = new Pool(api.origin).compose(createAuthInterceptor(client, routed(api.origin), { clock }))
    closers.push(() => pool.close())
    await get(pool, 'http://127.0.0.1:9/named-elsewhere')
    expect(api.seen.map((s) => [s.url, s.authorization])).toEqual([['/named-elsewhere', 'Bearer token-1']])
  })

  test('composed on a BalancedPool (it picks the origin), no request gets a token', async () => {
    const { api, client, clock, tokenRequests } = await setup(routed)
    const pool = new BalancedPool([api.origin]).compose(
      createAuthInterceptor(client, routed(api.origin), { clock }),
    )
    closers.push(() => pool.close())
    await get(pool, `${api.origin}/orders`)
    expect(api.seen.map((s) => s.authorization)).toEqual([undefined])
    expect(tokenRequests()).toHaveLength(0)
  })

  test('a 401 from the other origin a redirect led to is passed on: no claims request, no retry', async () => {
    const other = await listen((_req, res) =>
      res.writeHead(401, { 'www-authenticate': CAE_CHALLENGE }).end('denied elsewhere'),
    )
    const { api, client, clock, warm, tokenRequests } = await setup(routed, (_req, res) =>
      res.writeHead(302, { location: `${other.origin}/landed` }).end(),
    )
    await warm()
    const auth = createAuthInterceptor(client, routed(api.origin), { clock })
    const agent = new Agent().compose(interceptors.redirect({ maxRedirections: 3 }), auth)
    closers.push(() => agent.close())
    expect(await get(agent, `${api.origin}/away`)).toEqual({ statusCode: 401, text: 'denied elsewhere' })
    expect(tokenRequests().map((form) => form.get('claims'))).toEqual([null])
    expect(api.seen.map((s) => s.authorization)).toEqual(['Bearer token-1'])
    expect(other.seen.map((s) => s.authorization)).toEqual([undefined])
    // the cached token was not replaced by the other origin's challenge
    expect((await client.getToken(RESOURCE)).accessToken).toBe('token-1')
  })
})

describe('routes', () => {
  const client = new TokenClient({ tenant: TENANT, clientId: CLIENT_ID, credential: { clientSecret: 'x' } })
  const problem = (routes: unknown, options?: unknown): [string, string] | undefined => {
    try {
      createAuthInterceptor(client, routes as AuthRoutes, options as undefined)
    } catch (error) {
      if (error instanceof ConfigurationError) return [error.path, error.message]
      throw error
    }
    return undefined
  }

  test('invalid routes throw one ConfigurationError naming the origin at fault, when the interceptor is made', () => {
    expect(problem({})).toEqual(['', expect.stringMatching(/is empty/)])
    expect(problem({ 'https://api.contoso.com/v1': RESOURCE })).toEqual([
      'https://api.contoso.com/v1',
      expect.stringMatching(/origin only/),
    ])
    expect(problem({ 'http://api.contoso.com': RESOURCE })?.[1]).toMatch(/https/)
    expect(problem({ 'https://API.contoso.com': RESOURCE, 'https://api.contoso.com:443': RESOURCE })).toEqual(
      ['https://api.contoso.com:443', expect.stringMatching(/same origin as 'https:\/\/API.contoso.com'/)],
    )
    expect(problem({ 'https://api.contoso.com': '' })?.[0]).toBe('https://api.contoso.com')
    expect(problem({ 'https://api.contoso.com': { scopes: ['x'] } })?.[0]).toMatch(
      /^https:\/\/api.contoso.com/,
    )
    expect(problem(routed('https://api.contoso.com'), { clock: {} })?.[0]).toBe('clock')
    expect(
      problem({ 'https://api.contoso.com': { scope: 'https://graph.microsoft.com/.default' } }),
    ).toBeUndefined()
  })
})

describe('the handler, driven by hand (a fake dispatch and controllers)', () => {
  const ORIGIN = 'https://api.contoso.com'
  const NOW = 10_000

  const tokenAt = (accessToken: string, requestedAt: number) =>
    new AccessToken({
      accessToken,
      requestedAt,
      expiresAt: requestedAt + 3_600_000,
      refreshAt: requestedAt + 3_000_000,
      scope: `${RESOURCE}/.default`,
      tenant: TENANT,
    })

  /** A controller of one attempt, recording what is done to it. */
  function attempt(name: string, raw = true) {
    const calls: string[] = []
    const controller: Dispatcher.DispatchController = {
      aborted: false,
      paused: false,
      reason: null,
      ...(raw ? { rawHeaders: [`x-attempt`, name], rawTrailers: [`x-trailer`, name] } : {}),
      abort: (reason) => void calls.push(`abort ${reason.message}`),
      pause: () => void calls.push('pause'),
      resume: () => void calls.push('resume'),
    }
    return { controller, calls }
  }

  /** The caller's handler, recording the events it sees and keeping the controller it was given. */
  function callerHandler() {
    const events: string[] = []
    const state: { controller?: Dispatcher.DispatchController; error?: Error } = {}
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart: (controller) => {
        state.controller = controller
        events.push('start')
      },
      onRequestUpgrade: (_c, status) => void events.push(`upgrade ${status}`),
      onResponseStart: (_c, status) => void events.push(`response ${status}`),
      onResponseData: (_c, chunk) => void events.push(`data ${chunk.toString()}`),
      onResponseEnd: () => void events.push('end'),
      onResponseError: (_c, error) => {
        state.error = error
        events.push(`error ${error.message}`)
      },
      onResponseStarted: () => void events.push('started'),
      onBodySent: (chunk) => void events.push(`body sent ${chunk.toString()}`),
      onRequestSent: () => void events.push('request sent'),
    }
    return { handler, events, state }
  }

  /** An interceptor over a fake dispatch that records each attempt's options and handler. */
  function intercept(getToken: TokenSource['getToken'], dispatchImpl?: () => boolean) {
    const sent: Array<{ opts: Dispatcher.DispatchOptions; handler: Dispatcher.DispatchHandler }> = []
    const dispatch: Dispatcher.Dispatch = (opts, handler) => {
      sent.push({ opts, handler })
      return dispatchImpl ? dispatchImpl() : true
    }
    const clock = { now: () => NOW }
    const run = createAuthInterceptor({ getToken }, { [ORIGIN]: RESOURCE }, { clock })(dispatch)
    return { sent, run }
  }

  const flush = () => new Promise<void>((resolve) => setImmediate(resolve))
  const sentHeaders = (opts: Dispatcher.DispatchOptions | undefined) => opts?.headers as string[]

  test('sends headers given as pairs, with repeated values and nulls, plus the bearer token', async () => {
    const { sent, run } = intercept(async () => tokenAt('token-1', NOW))
    const headers = [
      ['x-a', '1'],
      ['x-b', ['2', '3']],
    ] as unknown as string[]
    run({ origin: ORIGIN, path: '/', method: 'GET', headers }, callerHandler().handler)
    run(
      {
        origin: ORIGIN,
        path: '/',
        method: 'GET',
        headers: { 'x-c': undefined, 'x-d': null as unknown as string },
      },
      callerHandler().handler,
    )
    await flush()
    expect(sentHeaders(sent[0]?.opts)).toEqual([
      'x-a',
      '1',
      'x-b',
      '2',
      'x-b',
      '3',
      'authorization',
      'Bearer token-1',
    ])
    expect(sentHeaders(sent[1]?.opts)).toEqual(['x-d', '', 'authorization', 'Bearer token-1'])
  })

  test("forwards the attempt's events and the caller's pause, resume and headers to the attempt", async () => {
    const { sent, run } = intercept(async () => tokenAt('token-1', NOW))
    const caller = callerHandler()
    run({ origin: ORIGIN, path: '/', method: 'POST', body: 'order' }, caller.handler)
    await flush()
    const first = attempt('1')
    const handler = sent[0]?.handler
    handler?.onRequestStart?.(first.controller, {})
    handler?.onBodySent?.(Buffer.from('order'))
    handler?.onRequestSent?.()
    handler?.onResponseStarted?.()
    const forwarding = caller.state.controller
    forwarding?.pause()
    expect(forwarding?.paused).toBe(true)
    forwarding?.resume()
    expect([forwarding?.paused, forwarding?.aborted, forwarding?.reason]).toEqual([false, false, null])
    expect([forwarding?.rawHeaders, forwarding?.rawTrailers]).toEqual([
      ['x-attempt', '1'],
      ['x-trailer', '1'],
    ])
    handler?.onResponseStart?.(first.controller, 200, {}, 'OK')
    handler?.onResponseData?.(first.controller, Buffer.from('done'))
    handler?.onResponseEnd?.(first.controller, {})
    expect(first.calls).toEqual(['pause', 'resume'])
    expect(caller.events).toEqual([
      'start',
      'body sent order',
      'request sent',
      'started',
      'response 200',
      'data done',
      'end',
    ])
  })

  /** A cached token refused with 401: the refusal is drained and the retry waits for `retryToken`. */
  async function refusedOnce(retryToken: () => Promise<AccessToken>) {
    let calls = 0
    const { sent, run } = intercept(async () => {
      calls++
      if (calls === 1) return tokenAt('token-1', NOW - 60_000) // from the cache: not fresh
      if (calls === 2) return tokenAt('token-1', NOW - 60_000) // still the refused one
      return retryToken() // the forced refresh
    })
    const caller = callerHandler()
    run({ origin: ORIGIN, path: '/', method: 'GET' }, caller.handler)
    await flush()
    const first = attempt('1')
    const handler = sent[0]?.handler
    handler?.onRequestStart?.(first.controller, {})
    handler?.onResponseStart?.(first.controller, 401, { 'www-authenticate': ['Bearer realm=""', 'Basic'] })
    handler?.onResponseData?.(first.controller, Buffer.from('refused'))
    handler?.onResponseEnd?.(first.controller, {})
    return { sent, caller, first, handler }
  }

  test('a 401 is drained unseen; the retry keeps the pause, starts the caller only once and shows its raw headers', async () => {
    const { sent, caller, handler } = await refusedOnce(async () => tokenAt('token-2', NOW))
    caller.state.controller?.pause()
    await flush()
    expect(sentHeaders(sent[1]?.opts)).toEqual(['authorization', 'Bearer token-2'])
    const second = attempt('2', false)
    handler?.onRequestStart?.(second.controller, {})
    expect(second.calls).toEqual(['pause'])
    expect([caller.state.controller?.rawHeaders, caller.state.controller?.rawTrailers]).toEqual([null, null])
    handler?.onResponseStart?.(second.controller, 200, {})
    handler?.onResponseEnd?.(second.controller, {})
    expect(caller.events).toEqual(['start', 'response 200', 'end'])
  })

  test('an abort while the retry token is fetched stops the retry and gives the caller the reason', async () => {
    let deliver!: (token: AccessToken) => void
    const { sent, caller } = await refusedOnce(() => new Promise((resolve) => (deliver = resolve)))
    const reason = new Error('caller gave up')
    caller.state.controller?.abort(reason)
    expect([caller.state.controller?.aborted, caller.state.controller?.reason]).toEqual([true, reason])
    deliver(tokenAt('token-2', NOW))
    await flush()
    expect(sent).toHaveLength(1)
    expect(caller.events).toEqual(['start', 'error caller gave up'])
    expect(caller.state.error).toBe(reason)
  })

  test('when the token for the retry cannot be had, the caller gets that error and nothing is resent', async () => {
    const { sent, caller } = await refusedOnce(() => Promise.reject(new Error('authority down')))
    await flush()
    expect(sent).toHaveLength(1)
    expect(caller.events).toEqual(['start', 'error authority down'])
  })

  test('a request without an origin passes untouched, with no token asked for', () => {
    let asked = 0
    const { sent, run } = intercept(async () => {
      asked++
      return tokenAt('token-1', NOW)
    })
    const opts = { path: '/', method: 'GET' as const, headers: ['x-a', '1'] }
    run(opts, callerHandler().handler)
    expect(sent[0]?.opts).toBe(opts)
    expect(asked).toBe(0)
  })

  test('an abort between the retry being dispatched and starting aborts the retry', async () => {
    const { sent, caller, handler } = await refusedOnce(async () => tokenAt('token-2', NOW))
    await flush()
    expect(sent).toHaveLength(2)
    caller.state.controller?.abort(new Error('too late'))
    const second = attempt('2')
    handler?.onRequestStart?.(second.controller, {})
    expect(second.calls).toEqual(['abort too late'])
  })

  test('a dispatch that throws, or a token source that rejects with a non-Error, fails the request with an Error', async () => {
    const throwing = intercept(
      async () => tokenAt('token-1', NOW),
      () => {
        throw new TypeError('invalid method')
      },
    )
    const first = callerHandler()
    throwing.run({ origin: ORIGIN, path: '/', method: 'GET' }, first.handler)
    const rejecting = intercept(() => Promise.reject('authority unreachable'))
    const second = callerHandler()
    rejecting.run({ origin: ORIGIN, path: '/', method: 'GET' }, second.handler)
    await flush()
    expect(first.events).toEqual(['error invalid method'])
    expect(first.state.error).toBeInstanceOf(TypeError)
    expect(second.events).toEqual(['error authority unreachable'])
    expect(second.state.error).toBeInstanceOf(Error)
    expect(rejecting.sent).toHaveLength(0)
  })

  test('hands an upgrade to the caller, and does not report a later error of that attempt', async () => {
    const { sent, run } = intercept(async () => tokenAt('token-1', NOW))
    const caller = callerHandler()
    run({ origin: ORIGIN, path: '/', method: 'GET', upgrade: 'websocket' }, caller.handler)
    await flush()
    const first = attempt('1')
    sent[0]?.handler.onRequestStart?.(first.controller, {})
    sent[0]?.handler.onRequestUpgrade?.(first.controller, 101, {}, new Duplex())
    sent[0]?.handler.onResponseError?.(first.controller, new Error('socket closed'))
    expect(caller.events).toEqual(['start', 'upgrade 101'])
  })
})
