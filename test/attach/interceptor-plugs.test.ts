import {
  Agent,
  BalancedPool,
  getGlobalDispatcher,
  interceptors,
  Pool,
  request,
  setGlobalDispatcher,
  fetch as undiciFetch,
} from 'undici'
import { describe, expect, test } from 'vitest'
import { createAuthInterceptor } from '../../src/attach/interceptor.js'
import {
  CAE_CHALLENGE,
  closers,
  get,
  listen,
  RESOURCE,
  refuseFirst,
  routed,
  setup,
} from './interceptor-fixtures.js'

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
