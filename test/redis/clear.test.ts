/**
 * Dropping one client's entries (`store.clear(keyPrefix)`, for `clearCache({ shared: true })`): on a real
 * Redis through both libraries, over more entries than one SCAN page; and on fake drivers, the primaries
 * that cannot be scanned (the cluster's are in cluster.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deleteMatching } from '../../src/redis/clear.js'
import { RedisConnection } from '../../src/redis/connection.js'
import type { RedisDriver } from '../../src/redis/driver.js'
import { createRedisStore } from '../../src/redis/index.js'
import { redisTokenKeys } from '../../src/redis/keys.js'
import type { StoredToken } from '../../src/store.js'
import { CLIENT_KINDS, connectClient } from './helpers/clients.js'
import { type RedisServer, startRedisServer } from './helpers/redis-server.js'

const OURS = 'https://login.microsoftonline.com\u000055b2a7ec-73f3-45c2-af08-21ecc33dc40e'
const THEIRS = 'https://login.microsoftonline.com\u00000b0e5c1a-0000-4000-8000-000000000003'
const keyOf = (client: string, i: number) =>
  `${client}\u0000contoso.onmicrosoft.com\u0000scope\u0000api://c${i}/.default`
const token: StoredToken = {
  accessToken: 'at',
  requestedAt: 1,
  refreshAt: 2,
  expiresAt: 3,
  scope: 's',
  tenant: undefined,
}

describe.each(CLIENT_KINDS)('clearing one client’s entries on %s', (kind) => {
  let server: RedisServer
  const cleanups: Array<() => unknown> = []

  beforeAll(async () => {
    server = await startRedisServer()
  })

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup()
    await server?.stop()
  })

  async function storeWithLogs() {
    const connection = await connectClient(kind, { url: server.url })
    const logs: string[] = []
    const store = createRedisStore(connection.client, {
      pubSub: false,
      operationTimeoutMs: 10_000, // thousands of writes at once on a busy machine: slow is not down here
      logger: { warn: (m) => logs.push(m) },
    })
    cleanups.push(
      () => store.close(),
      () => connection.close(),
    )
    return { store, logs, command: connection.command }
  }

  it('deletes every entry of the client, over several SCAN pages, and leaves other clients’ and the leases', async () => {
    const { store, logs, command } = await storeWithLogs()
    const ours = Array.from({ length: 1_500 }, (_, i) => keyOf(OURS, i))
    const theirs = Array.from({ length: 5 }, (_, i) => keyOf(THEIRS, i))
    await Promise.all([...ours, ...theirs].map((key) => store.set(key, token, 60_000)))
    const lease = await store.lease(ours[0] ?? '')
    expect(await store.clear(OURS)).toBe(ours.length)
    expect(Number(await command(['DBSIZE']))).toBe(theirs.length + 1)
    expect(await store.get(theirs[0] ?? '')).toEqual(token)
    expect(await command(['EXISTS', redisTokenKeys('oauth-client-credentials:', ours[0] ?? '').lease])).toBe(
      1,
    )
    await lease?.release()
    expect(await store.clear(OURS)).toBe(0)
    expect(logs).toEqual([])
  })

  it('drops nothing, and says so, when the key prefix does not name a client', async () => {
    const { store, logs } = await storeWithLogs()
    await store.set(keyOf(OURS, 1), token, 60_000)
    expect(await store.clear('https://login.microsoftonline.com')).toBe(0)
    expect(await store.get(keyOf(OURS, 1))).toEqual(token)
    expect(logs).toEqual([
      'Redis token store: clear() takes a client key prefix (authority, NUL, client id); nothing dropped.',
    ])
  })
})

describe('deleteMatching on primaries that cannot be scanned', () => {
  function sweepOver(primaries: RedisDriver['primaries']) {
    const deleted: string[][] = []
    const driver: RedisDriver = {
      ready: true,
      clustered: true,
      send: async ([, ...names]) => {
        deleted.push(names)
        return 1
      },
      primaries,
      listen: () => () => undefined,
      pubSub: () => {
        throw new Error('not used')
      },
    }
    const warnings: unknown[] = []
    const logger = { warn: (message: string, fields?: object) => warnings.push([message, fields]) }
    const connection = new RedisConnection(driver, 1_000, logger)
    return { sweep: { driver, connection, timeoutMs: 1_000, logger }, deleted, warnings }
  }
  const page = (cursor: string, names: string[]) => async () => [cursor, names]
  const INCOMPLETE = 'Redis token store: could not look through every primary to drop the entries.'

  it('counts what the primaries that answer hold, and logs the one that fails', async () => {
    const { sweep, deleted, warnings } = sweepOver(async () => [
      page('0', ['a:token:{1}:c:d1', 'a:token:{1}:c:d1:lease', 'a:token:{1}:c:d3']),
      async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:7001')
      },
      page('0', ['a:token:{2}:c:d2']),
    ])
    expect(await deleteMatching(sweep, 'a:token:{?}:c:*')).toBe(2) // what DEL answered: 1 for each command
    expect(deleted).toEqual([['a:token:{1}:c:d1', 'a:token:{1}:c:d3'], ['a:token:{2}:c:d2']])
    expect(warnings).toEqual([[INCOMPLETE, { error: 'connect ECONNREFUSED 127.0.0.1:7001' }]])
  })

  it.each([
    ['no list', 'OK'],
    ['a list without a cursor', [null, []]],
    ['a cursor without names', ['0', 'x']],
  ])('logs a SCAN that answers %s, never throwing', async (_name, reply) => {
    const { sweep, warnings } = sweepOver(async () => [async () => reply])
    expect(await deleteMatching(sweep, 'a:*')).toBe(0)
    expect(warnings).toHaveLength(1)
  })

  it('logs a cluster whose primaries cannot be listed', async () => {
    const { sweep, warnings } = sweepOver(() => Promise.reject(new Error('The client is closed')))
    expect(await deleteMatching(sweep, 'a:*')).toBe(0)
    expect(warnings).toEqual([[INCOMPLETE, { error: 'The client is closed' }]])
  })
})
