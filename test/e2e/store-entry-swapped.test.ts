/**
 * End to end (issue 13, finding 7): an entry of a shared token store copied under another key — by a
 * tool, a migration, or whoever can write to the store — is never handed to a caller asking for that
 * other key. TokenClient against the local authority, with a real Redis (plain and encrypted entries)
 * and with a store of the caller's own (a Map), whose entries only the cache can check.
 */
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TokenClient } from '../../src/index.js'
import { createRedisStore, type RedisStoreOptions } from '../../src/redis/index.js'
import type { StoredToken, TokenStore } from '../../src/store.js'
import { EXAMPLE, type LocalAuthority, startLocalAuthority } from '../../src/testing/index.js'
import { type RedisServer, startRedisServer } from '../redis/helpers/redis-server.js'

const A = EXAMPLE.api.uri
const B = EXAMPLE.api.appId
let authority: LocalAuthority
let redis: RedisServer
const cleanups: Array<() => unknown> = []

beforeAll(async () => {
  ;[authority, redis] = await Promise.all([startLocalAuthority(), startRedisServer()])
})
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup()
  await Promise.all([authority?.close(), redis?.stop()])
})

/** A new process: its own TokenClient (empty memory) on the shared store. */
function processOn(store: TokenStore): TokenClient {
  return new TokenClient({
    authorityHost: authority.url,
    tenant: EXAMPLE.tenantId,
    clientId: EXAMPLE.clients.admin.appId,
    credential: { clientSecret: EXAMPLE.clients.admin.secret },
    cache: { store },
  })
}

const issued = () => authority.counters.issued

/** Fills the store with A's and B's tokens, then swaps the two entries with `swap`. */
async function swappedStore(store: TokenStore, swap: () => Promise<void>) {
  const first = processOn(store)
  const a = await first.getToken(A)
  const b = await first.getToken(B)
  expect(a.accessToken).not.toBe(b.accessToken)
  await new Promise((resolve) => setTimeout(resolve, 50)) // the writes go on in the background
  await swap()
  return { a, b }
}

async function redisStore(options: RedisStoreOptions, prefix: string) {
  const client = createClient({ url: redis.url })
  await client.connect()
  const store = createRedisStore(client, { prefix, ...options })
  cleanups.push(
    () => store.close(),
    () => client.destroy(),
  )
  const swap = async () => {
    const keys = (await client.keys(`${prefix}token:*`)).filter((key) => !key.endsWith(':lease'))
    expect(keys).toHaveLength(2)
    const [one = '', two = ''] = keys
    const [first, second] = [await client.get(one), await client.get(two)]
    await client.set(one, second ?? '')
    await client.set(two, first ?? '')
  }
  return { store, swap }
}

describe('a shared store entry copied under another key', () => {
  it.each([
    ['plain Redis entries', {}, 'plain:'],
    ['encrypted Redis entries', { encryptionKey: Buffer.alloc(32, 5) }, 'sealed:'],
  ])('is not handed out from %s: the caller gets a token of its own', async (_name, options, prefix) => {
    const { store, swap } = await redisStore(options, prefix)
    const { a, b } = await swappedStore(store, swap)
    const before = issued()
    const second = processOn(store)
    const forB = await second.getToken(B)
    const forA = await second.getToken(A)
    expect([forB.accessToken, forB.scope]).not.toContain(a.accessToken)
    expect(forB.scope).toBe(`${B}/.default`)
    expect(forA.accessToken).not.toBe(b.accessToken)
    expect(forA.scope).toBe(`${A}/.default`)
    expect(issued() - before).toBe(2)
  })

  it('is not handed out from a store of the caller’s own, which cannot tell: the cache checks scope and tenant', async () => {
    const entries = new Map<string, StoredToken>()
    const store: TokenStore = {
      get: async (key) => entries.get(key),
      set: async (key, token) => void entries.set(key, token),
    }
    const swap = async () => {
      const [one, two] = [...entries.keys()]
      const [first, second] = [...entries.values()]
      if (one === undefined || two === undefined || first === undefined || second === undefined)
        throw new Error('expected two entries')
      entries.set(one, second)
      entries.set(two, first)
    }
    const { a } = await swappedStore(store, swap)
    const before = issued()
    const forB = await processOn(store).getToken(B)
    expect(forB.accessToken).not.toBe(a.accessToken)
    expect(forB.scope).toBe(`${B}/.default`)
    expect(issued() - before).toBe(1)
  })
})
