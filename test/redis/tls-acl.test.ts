/**
 * The store as production runs it on one server: over TLS only (`rediss://`, the server's certificate
 * verified against a CA made for the test), as a Redis user that has the README's minimal ACL and
 * nothing more, through node-redis and ioredis. Entries, encryption, leases, wake-ups and dropping a
 * client's entries all work with those rights; the user can touch nothing else.
 */
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createRedisStore } from '../../src/redis/index.js'
import { redisTokenKeys } from '../../src/redis/keys.js'
import type { StoredToken } from '../../src/store.js'
import { CLIENT_KINDS, type ClientKind, type Connected, connectClient } from './helpers/clients.js'
import { readmeAcl } from './helpers/readme-acl.js'
import { type RedisServer, startRedisServer } from './helpers/redis-server.js'
import { makeTlsFiles, type TlsFiles } from './helpers/tls-files.js'

const acl = readmeAcl()
const password = randomBytes(18).toString('base64url')
let tls: TlsFiles
let server: RedisServer
const cleanups: Array<() => unknown> = []
/** Longer than the test's timeout: a wait that ends, ends because it was woken. */
const NEVER_MS = 60_000

beforeAll(async () => {
  tls = makeTlsFiles()
  server = await startRedisServer({ tls, args: acl.serverArgs(password) })
})

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
  await server?.stop()
  tls?.remove()
})

async function asStoreUser(kind: ClientKind): Promise<Connected> {
  const connection = await connectClient(kind, {
    url: server.url,
    username: acl.username,
    password,
    ca: tls.caPem,
  })
  cleanups.push(() => connection.close())
  return connection
}

function storeOn(connection: Connected, logs: string[]) {
  const store = createRedisStore(connection.client, {
    prefix: acl.prefix,
    encryptionKey: Buffer.alloc(32, 4),
    logger: { warn: (message, details) => logs.push(`${message} ${JSON.stringify(details ?? {})}`) },
  })
  cleanups.push(() => store.close())
  return store
}

const CLIENT = 'https://login.microsoftonline.com\u000055b2a7ec-73f3-45c2-af08-21ecc33dc40e'
const token = (scope: string): StoredToken => ({
  accessToken: `at-${scope}`,
  requestedAt: Date.now(),
  refreshAt: Date.now() + 3_000_000,
  expiresAt: Date.now() + 3_600_000,
  scope,
  tenant: 'contoso.onmicrosoft.com',
})

describe.each(CLIENT_KINDS)('the store over TLS as the README’s ACL user, on %s', (kind) => {
  it('stores, leases, wakes and drops a client’s entries with only the rights of the minimal ACL', async () => {
    const key = `${CLIENT}\u0000contoso.onmicrosoft.com\u0000scope\u0000api://tls-${kind}/.default`
    const stored = token(key)
    const { channel } = redisTokenKeys(acl.prefix, key)
    const admin = await connectClient('node-redis', { url: server.url, ca: tls.caPem }) // the default user
    cleanups.push(() => admin.close())
    const subscribers = async () =>
      ((await admin.command(['PUBSUB', 'SHARDNUMSUB', channel])) as [string, number])[1]
    const before = await subscribers()
    const logs: string[] = []
    const [holder, waiter] = await Promise.all([asStoreUser(kind), asStoreUser(kind)]).then((connections) =>
      connections.map((connection) => storeOn(connection, logs)),
    )
    if (holder === undefined || waiter === undefined) throw new Error('no stores')
    const lease = await holder.lease(key)
    expect(lease).toBeDefined()
    expect(await waiter.lease(key)).toBeUndefined()
    await vi.waitFor(async () => expect(await subscribers()).toBe(before + 2))
    // a wait this long ends, within the test's timeout, only because it is woken
    const woken = waiter.waitForChange(key, NEVER_MS)
    await holder.set(key, stored, 60_000)
    await woken
    expect(await waiter.get(key)).toEqual(stored)
    await lease?.release()
    expect(await holder.lease(key)).toBeDefined() // released: free to take
    expect(await holder.clear(CLIENT)).toBe(1)
    expect(await waiter.get(key)).toBeUndefined()
    expect(logs).toEqual([]) // no refusal (NOPERM), no outage
  })

  it('runs as a user that can touch nothing but the store’s keys and channels', async () => {
    const connection = await asStoreUser(kind)
    await expect(connection.command(['SET', 'another-app:key', 'x'])).rejects.toThrow(/NOPERM/)
    await expect(connection.command(['PUBLISH', 'another-app:events', 'x'])).rejects.toThrow(/NOPERM/)
    await expect(connection.command(['FLUSHALL'])).rejects.toThrow(/NOPERM/)
  })
})
