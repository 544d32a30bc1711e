/**
 * The fleet: worker processes, each with its own Redis connection and token cache, against one real
 * Redis and one fake authority. One token request per key, for cold starts and early refreshes, and a
 * crashed leaseholder costs a wait of at most the lease, not a failure.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { type FakeAuthority, startAuthority } from './helpers/authority.js'
import { startWorkers, type Worker } from './helpers/fleet.js'
import { type RedisServer, startRedisServer } from './helpers/redis-server.js'

let redis: RedisServer
let authority: FakeAuthority
let fleet: Worker[]

beforeAll(async () => {
  ;[redis, authority] = await Promise.all([startRedisServer(), startAuthority()])
  fleet = await startWorkers(8, {
    redisUrl: redis.url,
    authorityUrl: authority.url,
    store: {
      // generous for a busy machine: a command or a request that is slow must not pass for a lost Redis
      // or a dead leaseholder, which would make a second request (that is what the other tests are for)
      operationTimeoutMs: 2_000,
      leaseMs: 5_000,
      waitMs: 10_000,
      encryptionKey: Buffer.alloc(32, 7).toString('base64'),
    },
  })
}, 90_000)

afterAll(async () => {
  await Promise.all((fleet ?? []).map((worker) => worker.kill()))
  await Promise.all([redis?.stop(), authority?.close()])
})

const all = (scope: string, count: number) => Promise.all(fleet.map((worker) => worker.lookups(scope, count)))

describe('a fleet sharing a Redis token store', () => {
  it('sends one token request for 8 processes × 100 concurrent cold calls, and all get its token', async () => {
    const before = authority.count
    const results = await all('api://fleet-cold/.default', 100)
    expect(results.flatMap((r) => r.errors)).toEqual([])
    expect(authority.count - before).toBe(1)
    const tokens = new Set(results.flatMap((r) => r.tokens))
    expect([...tokens]).toEqual([authority.issued.at(-1)])
  })

  it('refreshes early once for the whole fleet, and every process moves to the new token', async () => {
    const scope = 'api://fleet-refresh/.default'
    await all(scope, 100)
    const first = authority.issued.at(-1)
    const before = authority.count
    await Promise.all(fleet.map((worker) => worker.advance(56 * 60_000))) // past refreshAt (55 min)
    const stale = await all(scope, 100) // answered at once from memory; each starts a background refresh
    expect(new Set(stale.flatMap((r) => r.tokens))).toEqual(new Set([first]))
    await vi.waitFor(
      async () => {
        const now = await all(scope, 1)
        expect(new Set(now.flatMap((r) => r.tokens)).has(first as string)).toBe(false)
      },
      { timeout: 5_000, interval: 50 },
    )
    expect(authority.count - before).toBe(1)
    const after = await all(scope, 100)
    expect(new Set(after.flatMap((r) => r.tokens))).toEqual(new Set([authority.issued.at(-1)]))
  })

  it('lets another process fetch once the lease of a crashed leaseholder expires', async () => {
    const scope = 'api://fleet-crash/.default'
    const [holder, waiter] = await startWorkers(2, {
      redisUrl: redis.url,
      authorityUrl: authority.url,
      store: { leaseMs: 800, waitMs: 5_000 },
    })
    if (holder === undefined || waiter === undefined) throw new Error('no workers')
    const before = authority.count
    authority.hold(1) // the leaseholder's request never gets an answer
    void holder.lookups(scope, 1)
    await vi.waitFor(() => expect(authority.count - before).toBe(1))
    const waiting = waiter.lookups(scope, 10)
    await holder.kill()
    const result = await waiting
    expect(result.errors).toEqual([])
    expect(result.tokens).toEqual([authority.issued.at(-1)])
    expect(authority.count - before).toBe(2)
    expect(result.durationMs).toBeGreaterThan(300) // it waited for the lease, not for waitMs
    expect(result.durationMs).toBeLessThan(3_000)
    await waiter.kill()
  })
})
