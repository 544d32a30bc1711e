import { Readable } from 'node:stream'
import { describe, expect, test } from 'vitest'
import { type AuthRoutes, createAuthInterceptor } from '../../src/attach/interceptor.js'
import { TokenClient } from '../../src/client.js'
import { ConfigurationError } from '../../src/errors.js'
import {
  CAE_CHALLENGE,
  CLAIMS,
  CLIENT_ID,
  get,
  listen,
  RESOURCE,
  refuseFirst,
  routed,
  setup,
  TENANT,
} from './interceptor-fixtures.js'

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
