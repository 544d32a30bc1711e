/**
 * The Redis token store against a real Redis, through node-redis and ioredis alike: entries, expiry,
 * encryption at rest, unreadable entries and entries of a newer format, leases and their owners,
 * wake-ups, and what it prints. What Redis holds is looked at through a client of the test's own.
 */
import { inspect } from 'node:util'
import { Redis } from 'ioredis'
import { createClient, RESP_TYPES } from 'redis'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createRedisStore, type RedisStoreOptions } from '../../src/redis/index.js'
import { type RedisTokenKeys, redisTokenKeys } from '../../src/redis/keys.js'
import type { StoredToken } from '../../src/store.js'
import { CLIENT_KINDS, type ClientKind, connectClient } from './helpers/clients.js'
import { type RedisServer, startRedisServer } from './helpers/redis-server.js'

let server: RedisServer
/** The test's own view of Redis. */
let admin: Awaited<ReturnType<typeof connected>>
const clients: Array<{ destroy(): void }> = []
const closers: Array<() => Promise<void>> = []
const KEY = Buffer.alloc(32, 9)
/** Longer than the test's timeout: a wait that ends, ends because it was woken. */
const NEVER_MS = 60_000

beforeAll(async () => {
  server = await startRedisServer()
  admin = await connected()
})

afterAll(async () => {
  await Promise.all(closers.map((close) => close()))
  for (const client of clients) client.destroy()
  await server?.stop()
})

async function connected() {
  const client = createClient({ url: server.url })
  clients.push(client)
  await client.connect()
  return client
}

/** A store on its own client of `kind`; `client` is the test's own view of Redis. */
async function storeWith(options: RedisStoreOptions = {}, kind: ClientKind = 'node-redis') {
  const connection = await connectClient(kind, { url: server.url })
  clients.push({ destroy: connection.close })
  const logs: string[] = []
  const store = createRedisStore(connection.client, {
    logger: { warn: (message, details) => logs.push(`${message} ${JSON.stringify(details ?? {})}`) },
    ...options,
  })
  closers.push(() => store.close())
  return { client: admin, store, logs }
}

let counter = 0
function keyAndToken(): { key: string; token: StoredToken } & RedisTokenKeys {
  const key = `http://authority\u0000client\u0000tenant\u0000scope\u0000api://t${counter++}/.default`
  const now = Date.now()
  const token: StoredToken = {
    accessToken: `eyJhbGciOi.eyJzdWIiOi-secret-${counter}.c2lnbmF0dXJl`,
    requestedAt: now,
    refreshAt: now + 55 * 60_000,
    expiresAt: now + 60 * 60_000,
    scope: 'api://t/.default',
    tenant: 'contoso.onmicrosoft.com',
  }
  return { key, token, ...redisTokenKeys('oauth-client-credentials:', key) }
}

describe.each(CLIENT_KINDS)('the Redis token store on %s', (kind) => {
  const storeOn = (options?: RedisStoreOptions) => storeWith(options, kind)

  it('stores a token per key with a Redis expiry from the token, and reads it back', async () => {
    const { store, client } = await storeOn()
    const { key, token, entry } = keyAndToken()
    expect(await store.get(key)).toBeUndefined()
    await store.set(key, token, 3_600_000)
    expect(await store.get(key)).toEqual(token)
    const ttl = await client.pTTL(entry)
    expect(ttl).toBeGreaterThan(3_590_000)
    expect(ttl).toBeLessThanOrEqual(3_600_000)
  })

  it('encrypts at rest: the value in Redis holds no part of the token', async () => {
    const { store, client } = await storeOn({ encryptionKey: KEY })
    const { key, token, entry } = keyAndToken()
    await store.set(key, token, 60_000)
    const raw = (await client.get(entry)) ?? ''
    for (const part of token.accessToken.split('.')) expect(raw).not.toContain(part)
    expect(raw).not.toContain('contoso')
    expect(await store.get(key)).toEqual(token)
  })

  it('reads an entry encrypted with another key as a miss, and logs it', async () => {
    const writer = await storeOn({ encryptionKey: KEY, keyId: 'k1' })
    const wrongKey = await storeOn({ encryptionKey: Buffer.alloc(32, 1), keyId: 'k1' })
    const otherId = await storeOn({ encryptionKey: Buffer.alloc(32, 1) })
    const plain = await storeOn()
    const { key, token } = keyAndToken()
    await writer.store.set(key, token, 60_000)
    expect(await wrongKey.store.get(key)).toBeUndefined()
    expect(await otherId.store.get(key)).toBeUndefined()
    expect(await plain.store.get(key)).toBeUndefined()
    expect(wrongKey.logs.join('\n')).toMatch(/Unreadable token.*does not decrypt with key id 'k1'/)
    expect(otherId.logs.join('\n')).toMatch(/Unreadable token.*not configured/)
    expect(plain.logs.join('\n')).toMatch(/Unreadable token.*no encryptionKey/)
    const rotated = await storeOn({ encryptionKey: Buffer.alloc(32, 1), decryptionKeys: { k1: KEY } })
    expect(await rotated.store.get(key)).toEqual(token)
  })

  it('reads a corrupted entry, or a key of another type, as a miss, never as an error', async () => {
    const { store, client, logs } = await storeOn()
    const corrupted = keyAndToken()
    await client.set(corrupted.entry, '{"v":1,"token":{"accessToken":')
    await expect(store.get(corrupted.key)).resolves.toBeUndefined()
    expect(logs.at(-1)).toMatch(/Unreadable token.*not JSON/)
    const wrongType = keyAndToken()
    await client.hSet(wrongType.entry, 'a', 'b')
    await expect(store.get(wrongType.key)).resolves.toBeUndefined()
    expect(logs.at(-1)).toMatch(/refused a token store command.*WRONGTYPE/)
    expect(logs.join('\n')).not.toMatch(/unavailable/) // an error reply is not an outage
  })

  it('reads an entry of a newer format as a miss, and logs it once per format (a rolling deploy)', async () => {
    const { store, client, logs } = await storeOn()
    const { key, token, entry } = keyAndToken()
    const newer = JSON.stringify({ v: 3, key: entry, token, addedLater: { anything: true } })
    await client.set(entry, newer)
    for (let i = 0; i < 3; i++) await expect(store.get(key)).resolves.toBeUndefined()
    expect(logs).toHaveLength(1)
    expect(logs[0]).toMatch(/newer format.*"format":3/)
  })

  it('never rejects a read (issue 13 finding 8): an entry whose fields are objects, or a logger that throws', async () => {
    const { store, client, logs } = await storeOn()
    for (const value of ['{"v":{"toString":1}}', '{"v":[{"toString":1}]}', '{"v":1,"kid":{"toString":1}}']) {
      const { key, entry } = keyAndToken()
      await client.set(entry, value)
      await expect(store.get(key)).resolves.toBeUndefined()
    }
    expect(logs).toHaveLength(3)
    const throwing = await storeOn({
      logger: {
        warn: () => {
          throw new Error('the logger is broken')
        },
      },
    })
    const { key, entry } = keyAndToken()
    await client.set(entry, 'garbage{')
    await expect(throwing.store.get(key)).resolves.toBeUndefined()
  })

  it('reads a plain entry copied from another key as a miss (issue 13 finding 7), and logs it', async () => {
    const { store, client, logs } = await storeOn()
    const a = keyAndToken()
    const b = keyAndToken()
    await store.set(a.key, a.token, 60_000)
    await client.set(b.entry, (await client.get(a.entry)) ?? '')
    await expect(store.get(b.key)).resolves.toBeUndefined()
    expect(logs.at(-1)).toMatch(/Unreadable token.*belongs to another key/)
    expect(await store.get(a.key)).toEqual(a.token)
  })

  it('grants a key’s lease to one owner at a time, for leaseMs, released only by its owner', async () => {
    const { store, client } = await storeOn({ leaseMs: 5_000 })
    const { key, lease } = keyAndToken()
    const mine = await store.lease(key)
    expect(mine).toBeDefined()
    expect(await store.lease(key)).toBeUndefined()
    const ttl = await client.pTTL(lease)
    expect(ttl).toBeGreaterThan(4_000)
    expect(ttl).toBeLessThanOrEqual(5_000)
    await client.set(lease, 'someone else') // as if ours had expired and another process took it
    await mine?.release()
    expect(await client.get(lease)).toBe('someone else')
    await client.del(lease)
    const again = await store.lease(key)
    await again?.release()
    expect(await client.exists(lease)).toBe(0)
  })

  it('wakes a waiting process on a sharded channel as soon as the token is stored or the lease released', async () => {
    const { key, token, channel } = keyAndToken()
    const subscribers = async () =>
      ((await admin.sendCommand(['PUBSUB', 'SHARDNUMSUB', channel])) as [string, number])[1]
    const before = await subscribers()
    const waiter = await storeOn()
    const holder = await storeOn()
    await vi.waitFor(async () => expect(await subscribers()).toBeGreaterThanOrEqual(before + 2))
    const lease = await holder.store.lease(key)
    // a wait this long ends, within the test's timeout, only because it is woken
    let woken = waiter.store.waitForChange(key, NEVER_MS)
    await holder.store.set(key, token, 60_000)
    await woken
    woken = waiter.store.waitForChange(key, NEVER_MS)
    await lease?.release()
    await woken
  })

  it('polls without pub/sub: a wait is a plain delay', async () => {
    const { store } = await storeOn({ pubSub: false })
    const started = performance.now()
    await store.waitForChange('any', 80)
    expect(performance.now() - started).toBeGreaterThanOrEqual(70)
  })

  it('prints its settings, never its keys', async () => {
    const { store } = await storeOn({ encryptionKey: KEY, decryptionKeys: [Buffer.alloc(32, 3)] })
    const printed = `${inspect(store)} ${JSON.stringify(store)}`
    expect(printed).toContain('encrypted: true')
    for (const secret of [KEY, Buffer.alloc(32, 3)]) {
      expect(printed).not.toContain(secret.toString('base64'))
      expect(printed).not.toContain(secret.toString('hex'))
    }
  })
})

describe('the Redis token store on node-redis', () => {
  it('takes RESP2 clients and clients that map strings to Buffers', async () => {
    const resp2 = createClient({ url: server.url, RESP: 2 })
    const buffers = createClient({ url: server.url }).withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer })
    clients.push(resp2, buffers)
    await Promise.all([resp2.connect(), buffers.connect()])
    for (const client of [resp2, buffers]) {
      const store = createRedisStore(client, { encryptionKey: KEY })
      closers.push(() => store.close())
      const { key, token } = keyAndToken()
      await store.set(key, token, 60_000)
      expect(await store.get(key)).toEqual(token)
      const lease = await store.lease(key)
      expect(lease).toBeDefined()
      expect(await store.lease(key)).toBeUndefined()
      await lease?.release()
    }
  })

  it('attaches an error listener to the client, and detaches it on close', async () => {
    const client = await connected()
    const before = client.listenerCount('error')
    const store = createRedisStore(client)
    expect(client.listenerCount('error')).toBe(before + 1)
    await store.close()
    expect(client.listenerCount('error')).toBe(before)
    expect(await store.get('any')).toBeUndefined() // closed: answers without Redis
  })
})

describe('the Redis token store on ioredis', () => {
  it('attaches an error listener to the client, and detaches it on close', async () => {
    const client = new Redis(server.url)
    clients.push({ destroy: () => client.disconnect() })
    const before = client.listenerCount('error')
    const store = createRedisStore(client)
    expect(client.listenerCount('error')).toBe(before + 1)
    await store.close()
    expect(client.listenerCount('error')).toBe(before)
  })
})
