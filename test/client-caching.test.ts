/** TokenClient's cache, seen from the client: one request for concurrent calls, refresh ahead, keys. */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { API, newClient } from './helpers/client.js'
import { useNetwork } from './helpers/network.js'
import { entraError, manualClock, scriptedEndpoint, V2_URL, v2Token } from './helpers/token-endpoint.js'

const network = useNetwork()

afterEach(() => {
  vi.useRealTimers()
})

describe('caching', () => {
  it('sends exactly one POST for 1,000 concurrent cold calls, and all get the same token', async () => {
    const endpoint = scriptedEndpoint(V2_URL, [v2Token('shared')])
    network.use(endpoint.handler)
    const client = newClient()
    const tokens = await Promise.all(Array.from({ length: 1000 }, () => client.getToken(API)))
    expect(endpoint.count).toBe(1)
    expect(new Set(tokens).size).toBe(1)
  })

  it('serves later calls from memory without a request', async () => {
    const endpoint = scriptedEndpoint(V2_URL, [v2Token('cached')])
    network.use(endpoint.handler)
    const client = newClient()
    await client.getToken(API)
    for (let i = 0; i < 100; i++) await client.getToken(API)
    await client.getToken('api://myapis/mywebapi/.default')
    expect(endpoint.count).toBe(1)
  })

  it('after refreshAt resolves from memory without waiting and exactly one POST follows', async () => {
    const clock = manualClock()
    let release!: () => void
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const endpoint = scriptedEndpoint(V2_URL, [
      v2Token('first'),
      async () => {
        await gate
        return v2Token('second')
      },
    ])
    network.use(endpoint.handler)
    const client = newClient({ clock })
    await client.getToken(API)
    clock.advance(56 * 60_000)
    const during = await Promise.all([client.getToken(API), client.getToken(API), client.getToken(API)])
    expect(during.map((t) => t.accessToken)).toEqual(['first', 'first', 'first'])
    await vi.waitFor(() => expect(endpoint.count).toBe(2))
    release()
    await vi.waitFor(async () => expect((await client.getToken(API)).accessToken).toBe('second'))
    expect(endpoint.count).toBe(2)
  })

  it('keeps serving the old token when a background refresh is answered 503, raising nothing', async () => {
    const clock = manualClock()
    const warnings: unknown[][] = []
    const unhandled = vi.fn()
    process.on('unhandledRejection', unhandled)
    const endpoint = scriptedEndpoint(V2_URL, [
      v2Token('first'),
      entraError(503, 'temporarily_unavailable', 90033, 'The service is temporarily unavailable.'),
    ])
    network.use(endpoint.handler)
    const client = newClient({ clock, logger: { warn: (...args) => warnings.push(args) } })
    await client.getToken(API)
    clock.advance(56 * 60_000)
    expect((await client.getToken(API)).accessToken).toBe('first')
    await vi.waitFor(() => expect(warnings).toHaveLength(1))
    expect(endpoint.count).toBe(2) // background refreshes make one attempt; later calls retry with backoff
    expect((await client.getToken(API)).accessToken).toBe('first')
    expect(String(warnings[0]?.[0])).toContain('Background token refresh failed')
    expect(warnings[0]?.[1]).toMatchObject({ code: 'ERR_AUTHORITY_REJECTED', failures: 1 })
    process.off('unhandledRejection', unhandled)
    expect(unhandled).not.toHaveBeenCalled()
  })

  it('gives callers the error near expiry when no new token can be had', async () => {
    const clock = manualClock()
    const endpoint = scriptedEndpoint(V2_URL, [
      v2Token('first'),
      entraError(401, 'invalid_client', 7000222, 'The provided client secret keys are expired.'),
    ])
    network.use(endpoint.handler)
    const client = newClient({ clock })
    await client.getToken(API)
    clock.advance(60 * 60_000 - 29_000)
    await expect(client.getToken(API)).rejects.toMatchObject({
      code: 'ERR_AUTHORITY_REJECTED',
      aadstsCodes: [7000222],
    })
  })

  it('caches per tenant and scope, and clearCache forgets them', async () => {
    const endpoint = scriptedEndpoint(V2_URL, [v2Token('t')])
    network.use(endpoint.handler)
    const client = newClient()
    await client.getToken(API)
    await client.getToken('https://graph.microsoft.com')
    expect(client.cachedTokens).toBe(2)
    client.clearCache()
    expect(client.cachedTokens).toBe(0)
    await client.getToken(API)
    expect(endpoint.count).toBe(3)
  })

  it('shares one cached token between spellings of a tenant that differ in case', async () => {
    const other = 'fabrikam.onmicrosoft.com'
    const endpoint = scriptedEndpoint(`https://login.microsoftonline.com/:tenant/oauth2/v2.0/token`, [
      v2Token('t'),
    ])
    network.use(endpoint.handler)
    const client = newClient()
    const first = await client.getToken(API, { tenant: other })
    const second = await client.getToken(API, { tenant: 'Fabrikam.OnMicrosoft.com' })
    expect(second).toBe(first)
    expect(endpoint.count).toBe(1)
  })

  it('honours maxEntries', async () => {
    const endpoint = scriptedEndpoint(V2_URL, [v2Token('t')])
    network.use(endpoint.handler)
    const client = newClient({ cache: { maxEntries: 2 } })
    for (const api of ['api://a', 'api://b', 'api://c']) await client.getToken(api)
    expect(client.cachedTokens).toBe(2)
    await client.getToken('api://a')
    expect(endpoint.count).toBe(4)
  })
})
