/**
 * The hot path of `getToken` (issue 17): a cache hit makes one hash lookup (the memoised request
 * holds its cache slot), returns the very promise every other hit returns, and sends nothing.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { TokenClient } from '../src/client.js'
import { useNetwork } from './helpers/network.js'
import {
  CLIENT_ID,
  manualClock,
  SECRET,
  scriptedEndpoint,
  TENANT,
  V2_URL,
  v2Token,
} from './helpers/token-endpoint.js'

const network = useNetwork()

function newClient(extra: Partial<ConstructorParameters<typeof TokenClient>[0]> = {}) {
  return new TokenClient({
    tenant: TENANT,
    clientId: CLIENT_ID,
    credential: { clientSecret: SECRET },
    ...extra,
  })
}

afterEach(() => {
  vi.restoreAllMocks()
})

/** `Map.prototype.get` and `has` calls made by `run`, on every map. */
function hashLookups(run: () => void): number {
  const get = vi.spyOn(Map.prototype, 'get')
  const has = vi.spyOn(Map.prototype, 'has')
  try {
    run()
    return get.mock.calls.length + has.mock.calls.length
  } finally {
    get.mockRestore()
    has.mockRestore()
  }
}

describe('a cache hit', () => {
  it('makes one hash lookup, and returns the same promise every time', async () => {
    const endpoint = scriptedEndpoint(V2_URL, [v2Token('a'), v2Token('b')])
    network.use(endpoint.handler)
    const client = newClient()
    await client.getToken('api://a')
    await client.getToken('api://b')
    const hits: Array<Promise<unknown>> = []
    const lookups = hashLookups(() => {
      for (let i = 0; i < 10; i++) hits.push(client.getToken('api://a'))
    })
    expect(lookups).toBe(10)
    expect(new Set(hits).size).toBe(1)
    expect(endpoint.count).toBe(2)
  })

  it('is still one hash lookup after the token was refreshed in the background', async () => {
    const clock = manualClock()
    const endpoint = scriptedEndpoint(V2_URL, [v2Token('first'), v2Token('second')])
    network.use(endpoint.handler)
    const client = newClient({ clock })
    await client.getToken('api://a')
    clock.advance(56 * 60_000)
    await client.getToken('api://a') // stale: served, one background refresh
    await vi.waitFor(async () => expect((await client.getToken('api://a')).accessToken).toBe('second'))
    expect(hashLookups(() => void client.getToken('api://a'))).toBe(1)
    expect(endpoint.count).toBe(2)
  })

  it('serves two spellings of one API from one token, each in one hash lookup', async () => {
    const endpoint = scriptedEndpoint(V2_URL, [v2Token('shared')])
    network.use(endpoint.handler)
    const client = newClient()
    const first = await client.getToken('api://a')
    const second = await client.getToken('api://a/.default')
    expect(second).toBe(first)
    expect(hashLookups(() => void client.getToken('api://a/.default'))).toBe(1)
    expect(hashLookups(() => void client.getToken('api://a'))).toBe(1)
    expect(endpoint.count).toBe(1)
  })
})
