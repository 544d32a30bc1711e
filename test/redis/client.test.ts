/**
 * PENDING (not collected: vitest runs `*.test.ts`): rename to `client.test.ts` once `TokenClient` passes
 * `cache.store` to its `TokenCache` (issue 9 wiring). Type-checked meanwhile.
 *
 * `TokenClient` with `cache: { store: createRedisStore(redis) }`: clients of one application share
 * their tokens through Redis (one request for all), clients of another application or authority do
 * not, and a hit never touches Redis.
 */
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TokenClient } from '../../src/client.js'
import { createRedisStore } from '../../src/redis/index.js'
import { type FakeAuthority, startAuthority } from './helpers/authority.js'
import { CLIENT_ID, TENANT } from './helpers/fleet-cache.js'
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

/** A client as one process of the fleet would build it: its own Redis connection and store. */
async function fleetClient(clientId = CLIENT_ID) {
  const redis = createClient({ url: server.url })
  await redis.connect()
  const store = createRedisStore(redis, { encryptionKey: Buffer.alloc(32, 5) })
  cleanups.push(
    () => store.close(),
    () => redis.destroy(),
  )
  const client = new TokenClient({
    authorityHost: authority.url,
    tenant: TENANT,
    clientId,
    credential: { clientSecret: 'x' },
    cache: { store },
  })
  return { client, redis }
}

describe('TokenClient with a Redis store', () => {
  it('shares one token between the clients of a fleet: one request', async () => {
    const clients = await Promise.all([fleetClient(), fleetClient(), fleetClient()])
    const before = authority.count
    const tokens = await Promise.all(
      clients.flatMap(({ client }) =>
        Array.from({ length: 50 }, () => client.getToken('api://wired/.default')),
      ),
    )
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1)
    expect(authority.count - before).toBe(1)
    expect(tokens[0]?.claims).toBeUndefined() // rebuilt as an AccessToken
  })

  it('keeps the tokens of another application apart', async () => {
    const ours = await fleetClient()
    const theirs = await fleetClient('0b0e5c1a-0000-4000-8000-000000000003')
    const before = authority.count
    const a = await ours.client.getToken('api://apart/.default')
    const b = await theirs.client.getToken('api://apart/.default')
    expect(a.accessToken).not.toBe(b.accessToken)
    expect(authority.count - before).toBe(2)
  })

  it('serves a hit without a Redis command', async () => {
    const { client, redis } = await fleetClient()
    await client.getToken('api://hit/.default')
    await new Promise((resolve) => setTimeout(resolve, 100)) // the token's write and the lease's release
    const info = async () => (await redis.info('stats')).match(/total_commands_processed:(\d+)/)?.[1]
    const commands = Number(await info())
    for (let i = 0; i < 100; i++) await client.getToken('api://hit/.default')
    expect(Number(await info())).toBe(commands + 1) // the INFO itself
  })
})
