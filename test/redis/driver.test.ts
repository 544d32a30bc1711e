/**
 * The store's drivers: which of the four kinds of client it is given (node-redis or ioredis, a server or
 * a cluster), what it refuses, and wake-ups on a server without sharded pub/sub (Redis 6, played by a
 * Redis 7 whose SSUBSCRIBE and SPUBLISH are renamed away), through both libraries.
 */
import { Cluster, Redis } from 'ioredis'
import { createClient, createCluster } from 'redis'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { ConfigurationError } from '../../src/errors.js'
import { driverFor } from '../../src/redis/driver.js'
import { createRedisStore, type RedisLike } from '../../src/redis/index.js'
import { redisTokenKeys } from '../../src/redis/keys.js'
import { CLIENT_KINDS, type ClientKind, connectClient } from './helpers/clients.js'
import { type RedisServer, startRedisServer } from './helpers/redis-server.js'

/** Longer than the test's timeout: a wait that ends, ends because it was woken. */
const NEVER_MS = 60_000

describe('driverFor', () => {
  it('tells the four kinds of client apart, without connecting them', () => {
    const ioCluster = new Cluster([{ host: '127.0.0.1', port: 1 }], { lazyConnect: true })
    const io = new Redis({ lazyConnect: true })
    const kinds: Array<[RedisLike, boolean]> = [
      [createClient(), false],
      [createCluster({ rootNodes: [{ url: 'redis://127.0.0.1:1' }] }), true],
      [io, false],
      [ioCluster, true],
    ]
    for (const [client, clustered] of kinds) {
      const driver = driverFor(client)
      expect(driver.clustered).toBe(clustered)
      expect(driver.ready).toBe(false)
    }
    io.disconnect()
    ioCluster.disconnect()
  })

  it.each([
    ['nothing', undefined],
    ['a URL', 'redis://127.0.0.1:6379'],
    ['an object with none of a client’s methods', { get: () => undefined }],
  ])('refuses %s with a ConfigurationError naming the clients it takes', (_name, value) => {
    const make = () => createRedisStore(value as unknown as RedisLike)
    expect(make).toThrow(ConfigurationError)
    expect(make).toThrow(/redis: is not a Redis client/)
  })
})

describe('on a server without sharded pub/sub (Redis 6)', () => {
  let server: RedisServer
  const cleanups: Array<() => unknown> = []

  beforeAll(async () => {
    server = await startRedisServer({
      args: ['--rename-command', 'SSUBSCRIBE', '', '--rename-command', 'SPUBLISH', ''],
    })
  })

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup()
    await server?.stop()
  })

  async function storeOn(kind: ClientKind, logs: string[]) {
    const connection = await connectClient(kind, { url: server.url })
    const store = createRedisStore(connection.client, { logger: { warn: (message) => logs.push(message) } })
    cleanups.push(
      () => store.close(),
      () => connection.close(),
    )
    return store
  }

  it.each(CLIENT_KINDS)(
    'subscribes and publishes on classic channels, and wakes the waiters (%s)',
    async (kind) => {
      const admin = await connectClient('node-redis', { url: server.url })
      cleanups.push(() => admin.close())
      await expect(admin.command(['SPUBLISH', 'x', 'y'])).rejects.toThrow(/unknown command/i)
      const key = `http://authority\u0000client\u0000tenant\u0000scope\u0000api://classic-${kind}/.default`
      const { channel } = redisTokenKeys('oauth-client-credentials:', key)
      const subscribers = async () =>
        ((await admin.command(['PUBSUB', 'NUMSUB', channel])) as [string, number])[1]
      const before = await subscribers()
      const logs: string[] = []
      const [holder, waiter] = await Promise.all([storeOn(kind, logs), storeOn(kind, logs)])
      await vi.waitFor(async () => expect(await subscribers()).toBe(before + 2))
      const lease = await holder.lease(key)
      let woken = waiter.waitForChange(key, NEVER_MS)
      await holder.set(
        key,
        { accessToken: 'at', requestedAt: 1, refreshAt: 2, expiresAt: 3, scope: 's', tenant: undefined },
        60_000,
      )
      await woken
      woken = waiter.waitForChange(key, NEVER_MS)
      await lease?.release()
      await woken
      expect(logs).toEqual([]) // the unknown commands are expected, not refusals to report
    },
  )
})
