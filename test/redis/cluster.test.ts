/**
 * The store on a real Redis Cluster (three primaries, a replica of the first), through node-redis's
 * `createCluster` and ioredis's `Cluster`, side by side as in a fleet that runs both, as the README's
 * ACL user (with its cluster rules): a token's names in one hash slot, one token request for the fleet
 * with wake-ups on sharded channels, a client's entries dropped on every primary, and callers that keep
 * getting tokens while a primary dies and its replica takes over.
 */
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createRedisStore } from '../../src/redis/index.js'
import { redisTokenKeys } from '../../src/redis/keys.js'
import type { StoredToken } from '../../src/store.js'
import { type FakeAuthority, startAuthority } from './helpers/authority.js'
import { CLIENT_KINDS, type ClientKind, connectCluster } from './helpers/clients.js'
import { CLIENT_ID, createFleetCache, TENANT, targetFor } from './helpers/fleet-cache.js'
import { readmeAcl } from './helpers/readme-acl.js'
import { type RedisClusterServers, startRedisCluster, waitUntil } from './helpers/redis-cluster.js'

const acl = readmeAcl()
const PREFIX = acl.prefix
const password = randomBytes(18).toString('base64url')
let cluster: RedisClusterServers
let authority: FakeAuthority
const cleanups: Array<() => unknown> = []

beforeAll(async () => {
  ;[cluster, authority] = await Promise.all([
    startRedisCluster({ replica: true, args: acl.serverArgs(password, { cluster: true }) }),
    startAuthority(),
  ])
}, 60_000)

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
  await Promise.all([cluster?.stop(), authority?.close()])
})

const firstPort = () => cluster.nodes[0]?.port ?? 0

/** One process of the fleet: its own cluster client of `kind`, store and cache. */
async function processOn(kind: ClientKind, options: { operationTimeoutMs?: number } = {}) {
  const connection = await connectCluster(kind, firstPort(), { username: acl.username, password })
  const logs: string[] = []
  const logger = {
    warn: (message: string) => logs.push(`warn: ${message}`),
    info: (message: string) => logs.push(`info: ${message}`),
  }
  const store = createRedisStore(connection.client, {
    prefix: PREFIX,
    logger,
    leaseMs: 2_000,
    waitMs: 3_000,
    ...options,
  })
  const cache = createFleetCache({ authorityUrl: authority.url, store, logger })
  cleanups.push(
    () => store.close(),
    () => connection.close(),
  )
  const token = async (scope: string) => (await cache.lookup(targetFor(scope))).accessToken
  return { kind, store, cache, logs, token }
}

/** The slot of `name`, asked of the second primary (the first is killed in the last test). */
const keySlot = async (name: string) =>
  Number(await cluster.command(cluster.nodes[1]?.port ?? 0, ['CLUSTER', 'KEYSLOT', name]))

/** The store key of `scope` for the test client, as the fleet cache builds it. */
const storeKey = (scope: string, clientId = CLIENT_ID) =>
  `${authority.url}\u0000${clientId}\u0000${targetFor(scope).key}`

describe('the Redis token store on a Redis Cluster', () => {
  it('keeps each token’s entry, lease and wake-up channel in one hash slot, and spreads tokens over the primaries', async () => {
    const primaries = new Set<number>()
    for (let i = 0; i < 32; i++) {
      const { entry, lease, channel } = redisTokenKeys(PREFIX, storeKey(`api://slot-${i}`))
      const slots = await Promise.all([entry, lease, channel].map(keySlot))
      expect(new Set(slots).size).toBe(1)
      primaries.add(await cluster.primaryFor(slots[0] ?? 0))
    }
    expect(primaries.size).toBe(3)
  })

  it('sends one token request for a fleet of node-redis and ioredis processes, woken on sharded channels', async () => {
    const fleet = await Promise.all([...CLIENT_KINDS, ...CLIENT_KINDS].map((kind) => processOn(kind)))
    const channel = `${PREFIX}token-events:{0}`
    await waitUntil(async () => {
      const port = await cluster.primaryFor(await keySlot(channel))
      const [, subscribers] = (await cluster.command(port, ['PUBSUB', 'SHARDNUMSUB', channel])) as [
        string,
        number,
      ]
      return subscribers >= fleet.length
    })
    const before = authority.count
    const scopes = Array.from({ length: 6 }, (_, i) => `api://cluster-fleet-${i}/.default`)
    const tokens = await Promise.all(
      fleet.flatMap((process) =>
        scopes.flatMap((scope) => Array.from({ length: 10 }, () => process.token(scope))),
      ),
    )
    expect(authority.count - before).toBe(scopes.length)
    expect(new Set(tokens).size).toBe(scopes.length)
    for (const process of fleet) expect(process.logs).toEqual([]) // no refusal (NOPERM), no outage
  })

  it.each(CLIENT_KINDS)(
    'drops one client’s entries on every primary, and no other client’s (%s)',
    async (kind) => {
      const { store } = await processOn(kind)
      const ours = Array.from({ length: 24 }, (_, i) => storeKey(`api://clear-${kind}-${i}/.default`))
      const theirs = ours.map((key) => key.replace(CLIENT_ID, '0b0e5c1a-0000-4000-8000-000000000003'))
      const token = (scope: string): StoredToken => ({
        accessToken: `at-${scope}`,
        requestedAt: Date.now(),
        refreshAt: Date.now() + 3_000_000,
        expiresAt: Date.now() + 3_600_000,
        scope,
        tenant: TENANT,
      })
      await Promise.all([...ours, ...theirs].map((key) => store.set(key, token(key), 60_000)))
      const primaries = new Set(
        await Promise.all(
          ours.map(async (key) => cluster.primaryFor(await keySlot(redisTokenKeys(PREFIX, key).entry))),
        ),
      )
      expect(primaries.size).toBe(3)
      expect(await store.clear(`${authority.url}\u0000${CLIENT_ID}`)).toBeGreaterThanOrEqual(ours.length)
      expect((await Promise.all(ours.map((key) => store.get(key)))).filter(Boolean)).toEqual([])
      expect((await Promise.all(theirs.map((key) => store.get(key)))).filter(Boolean)).toHaveLength(
        theirs.length,
      )
    },
  )

  it('keeps callers getting tokens while a primary dies and its replica takes over, then shares again', async () => {
    const fleet = await Promise.all(
      CLIENT_KINDS.map((kind) => processOn(kind, { operationTimeoutMs: 1_000 })),
    )
    const doomed = cluster.nodes[0]
    if (doomed === undefined) throw new Error('no primary')
    let rounds = 0
    const round = () => {
      // new scopes each round: misses, which go to Redis
      const scopes = Array.from({ length: 16 }, (_, i) => `api://failover-${rounds}-${i}/.default`)
      rounds++
      return Promise.allSettled(fleet.flatMap((process) => scopes.map((scope) => process.token(scope))))
    }
    const results = [await round()]
    const during = round() // in flight when the primary dies
    await doomed.kill()
    results.push(await during)
    const failedOver = waitUntil(async () => (await cluster.primaryFor(0)) !== doomed.port)
    for (let i = 0; i < 4; i++) results.push(await round())
    await failedOver
    for (let i = 0; i < 3; i++) results.push(await round())
    const outcomes = results.flat()
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([])
    expect(outcomes.every((outcome) => outcome.status === 'fulfilled' && /^at-/.test(outcome.value))).toBe(
      true,
    )

    // the replica now serves the lost primary's slots: each process says once that Redis is back (when
    // it has used every hash tag again), and the fleet shares those slots' tokens again
    let attempt = 0
    await vi.waitFor(
      async () => {
        const scopes = scopesOverEveryTag(`api://after-failover-${attempt++}`)
        await Promise.all(fleet.flatMap((process) => scopes.map((scope) => process.token(scope))))
        for (const process of fleet) {
          expect(process.store.describe().available).toBe(true)
          expect(process.logs.at(-1)).toMatch(BACK)
        }
      },
      { timeout: 15_000, interval: 200 },
    )
    for (const process of fleet) expect(count(process.logs, UNAVAILABLE)).toBeGreaterThanOrEqual(1)
    const scope = await scopeOnSlotOf(0, 'api://shared-after-failover')
    const before = authority.count
    const [a, b] = await Promise.all(fleet.map((process) => process.token(scope)))
    expect(a).toBe(b)
    expect(authority.count - before).toBe(1)
  }, 60_000)
})

const count = (logs: string[], pattern: RegExp) => logs.filter((line) => pattern.test(line)).length
const UNAVAILABLE = /^warn: Redis token store unavailable/
const BACK = /^info: Redis token store available again/

/** Scopes whose tokens cover every hash tag. */
function scopesOverEveryTag(base: string): string[] {
  const byTag = new Map<string, string>()
  for (let i = 0; byTag.size < 16; i++) {
    const scope = `${base}-${i}/.default`
    byTag.set(redisTokenKeys(PREFIX, storeKey(scope)).tag, scope)
  }
  return [...byTag.values()]
}

/** A scope whose token lives on the primary that serves `slot`'s range (the failed-over one: slot 0). */
async function scopeOnSlotOf(slot: number, base: string): Promise<string> {
  const owner = await cluster.primaryFor(slot)
  for (let i = 0; ; i++) {
    const scope = `${base}-${i}/.default`
    const { entry } = redisTokenKeys(PREFIX, storeKey(scope))
    if ((await cluster.primaryFor(await keySlot(entry))) === owner) return scope
  }
}
