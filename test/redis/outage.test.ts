/**
 * Redis is an optimisation, never a point of failure: killed mid-run, unreachable at start, or slow,
 * the caches keep answering from memory and the token endpoint, the store logs once per outage and
 * once when Redis is back, and the fleet shares tokens again as soon as it is; through node-redis and
 * ioredis alike. The clients here have no 'error' listener of their own: an unhandled 'error' event would
 * crash this test process.
 */
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createRedisStore } from '../../src/redis/index.js'
import { type FakeAuthority, startAuthority } from './helpers/authority.js'
import { backgroundClient, CLIENT_KINDS, type ClientKind } from './helpers/clients.js'
import { createFleetCache, targetFor } from './helpers/fleet-cache.js'
import { type RedisServer, startRedisServer } from './helpers/redis-server.js'

let server: RedisServer
let authority: FakeAuthority
const cleanups: Array<() => unknown> = []

beforeAll(async () => {
  ;[server, authority] = await Promise.all([startRedisServer(), startAuthority()])
})

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup()
  await Promise.all([server?.stop(), authority?.close()])
})

/** One "process": its own client (connected in the background, as documented), store and cache. */
function processOf(kind: ClientKind, options: { operationTimeoutMs?: number } = {}) {
  const { client, ready, close } = backgroundClient(kind, server.url)
  const logs: string[] = []
  const logger = {
    warn: (message: string) => logs.push(`warn: ${message}`),
    info: (message: string) => logs.push(`info: ${message}`),
  }
  const store = createRedisStore(client, { logger, leaseMs: 2_000, waitMs: 3_000, ...options })
  const cache = createFleetCache({ authorityUrl: authority.url, store, logger })
  cleanups.push(
    () => store.close(),
    () => close(),
  )
  const token = async (scope: string) => (await cache.lookup(targetFor(scope))).accessToken
  return { ready, store, cache, logs, token }
}

const count = (logs: string[], pattern: RegExp) => logs.filter((line) => pattern.test(line)).length
const UNAVAILABLE = /^warn: Redis token store unavailable/
const BACK = /^info: Redis token store available again/

describe.each(CLIENT_KINDS)('a Redis outage, on %s', (kind) => {
  it('keeps tokens coming when Redis is killed mid-run, logs once, and shares again once it is back', async () => {
    const a = processOf(kind)
    const b = processOf(kind)
    await vi.waitFor(() => expect(a.ready() && b.ready()).toBe(true))
    const before = authority.count
    const shared = await a.token('api://outage-1/.default')
    expect(await b.token('api://outage-1/.default')).toBe(shared)
    expect(authority.count - before).toBe(1)

    await server.kill()
    await vi.waitFor(() => expect(a.ready() || b.ready()).toBe(false))
    for (const n of [2, 3, 4]) {
      const scope = `api://outage-${n}/.default`
      expect(await a.token(scope)).toMatch(/^at-/)
      expect(await b.token(scope)).toMatch(/^at-/) // no store: each process asks for itself
    }
    expect(authority.count - before).toBe(7)
    expect(await a.token('api://outage-1/.default')).toBe(shared) // memory still serves
    expect(count(a.logs, UNAVAILABLE)).toBe(1)
    expect(count(b.logs, UNAVAILABLE)).toBe(1)

    await server.start()
    await vi.waitFor(() => expect(a.ready() && b.ready()).toBe(true), { timeout: 5_000 })
    expect(count(a.logs, BACK)).toBe(1)
    expect(count(b.logs, BACK)).toBe(1)
    const again = await a.token('api://outage-5/.default')
    expect(await b.token('api://outage-5/.default')).toBe(again)
    expect(authority.count - before).toBe(8)
  })

  it('works with Redis unreachable at start, and uses it once it comes', async () => {
    await server.kill()
    const a = processOf(kind)
    const b = processOf(kind)
    const before = authority.count
    expect(await a.token('api://late-1/.default')).toMatch(/^at-/)
    expect(await b.token('api://late-1/.default')).toMatch(/^at-/)
    expect(authority.count - before).toBe(2)
    expect(count(a.logs, UNAVAILABLE)).toBe(1)

    await server.start()
    await vi.waitFor(() => expect(a.ready() && b.ready()).toBe(true), { timeout: 5_000 })
    const shared = await a.token('api://late-2/.default')
    expect(await b.token('api://late-2/.default')).toBe(shared)
    expect(authority.count - before).toBe(3)
    expect(count(a.logs, BACK)).toBe(1)
  })

  it('costs a caller at most about the operation timeout when Redis is slow', async () => {
    const a = processOf(kind, { operationTimeoutMs: 150 })
    await vi.waitFor(() => expect(a.ready()).toBe(true))
    const admin = createClient({ url: server.url })
    admin.on('error', () => undefined) // the next tests kill the server under it
    await admin.connect()
    cleanups.push(() => admin.destroy())
    await admin.sendCommand(['CLIENT', 'PAUSE', '1200', 'ALL'])
    const started = performance.now()
    expect(await a.token('api://slow-1/.default')).toMatch(/^at-/)
    const elapsed = performance.now() - started
    expect(elapsed).toBeGreaterThanOrEqual(140) // the read timed out once…
    expect(elapsed).toBeLessThan(600) // …and nothing else waited on Redis
    expect(a.logs.join('\n')).toMatch(/unavailable/)
    await vi.waitFor(
      async () => {
        await a.cache.lookup(targetFor('api://slow-2/.default'), { forceRefresh: true })
        expect(count(a.logs, BACK)).toBe(1)
      },
      { timeout: 5_000, interval: 200 },
    )
  })
})
