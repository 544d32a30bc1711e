/**
 * The leak suite for a tampered shared store (issue 13, findings 7 and 8): when entries are swapped
 * between keys, or replaced by values of the wrong types, what the client and the store log and
 * publish names neither token — not the one refused, not the one fetched instead — nor the secret.
 */
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TokenClient } from '../../src/index.js'
import { createRedisStore } from '../../src/redis/index.js'
import type { StoredToken, TokenStore } from '../../src/store.js'
import { EXAMPLE, type LocalAuthority, startLocalAuthority } from '../../src/testing/index.js'
import { type RedisServer, startRedisServer } from '../redis/helpers/redis-server.js'
import { type Observer, observe } from './observe.js'
import { baseSecrets, expectNoLeak } from './secrets.js'

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

function processOn(store: TokenStore, observer: Observer): TokenClient {
  return new TokenClient({
    authorityHost: authority.url,
    tenant: EXAMPLE.tenantId,
    clientId: EXAMPLE.clients.admin.appId,
    credential: { clientSecret: EXAMPLE.clients.admin.secret },
    cache: { store },
    logger: observer.logger,
  })
}

async function redisStore(prefix: string, observer: Observer) {
  const client = createClient({ url: redis.url })
  await client.connect()
  const store = createRedisStore(client, { prefix, logger: observer.logger })
  cleanups.push(
    () => store.close(),
    () => client.destroy(),
  )
  const entries = async () => (await client.keys(`${prefix}token:*`)).filter((key) => !key.endsWith(':lease'))
  return { client, store, entries }
}

/** Fills the store with A's and B's tokens, tampers with it, and has a new process ask for both. */
async function tamperedRun(store: TokenStore, observer: Observer, tamper: () => Promise<void>) {
  const first = processOn(store, observer)
  const stored = [await first.getToken(A), await first.getToken(B)]
  await new Promise((resolve) => setTimeout(resolve, 50)) // the writes go on in the background
  await tamper()
  const second = processOn(store, observer)
  const fetched = [await second.getToken(B), await second.getToken(A)]
  const secrets = baseSecrets().add('the example secret', EXAMPLE.clients.admin.secret)
  for (const [i, token] of [...stored, ...fetched].entries())
    secrets.addToken(`token ${i}`, token.accessToken)
  observer.stop()
  expect(observer.logs.join('\n')).toMatch(/another scope or tenant|belongs to another key|valid token/)
  expectNoLeak(secrets, { logs: observer.logs, diagnostics: observer.diagnostics })
}

describe('a tampered shared store', () => {
  it('logs no token when plain Redis entries are swapped between keys', async () => {
    const observer = observe()
    const { client, store, entries } = await redisStore('leak-swap:', observer)
    await tamperedRun(store, observer, async () => {
      const [one = '', two = ''] = await entries()
      const [first, second] = [await client.get(one), await client.get(two)]
      await client.set(one, second ?? '')
      await client.set(two, first ?? '')
    })
  })

  it('logs no token when a Redis entry holds its token with fields of the wrong types', async () => {
    const observer = observe()
    const { client, store, entries } = await redisStore('leak-types:', observer)
    await tamperedRun(store, observer, async () => {
      for (const key of await entries()) {
        const entry = JSON.parse((await client.get(key)) ?? '{}') as { token: Record<string, unknown> }
        await client.set(key, JSON.stringify({ ...entry, token: { ...entry.token, scope: { toString: 1 } } }))
      }
    })
  })

  it('logs no token when the entries of a store of the caller’s own are swapped', async () => {
    const observer = observe()
    const map = new Map<string, StoredToken>()
    const store: TokenStore = {
      get: async (key) => map.get(key),
      set: async (key, token) => void map.set(key, token),
    }
    await tamperedRun(store, observer, async () => {
      const [one, two] = [...map.keys()]
      const [first, second] = [...map.values()]
      if (!one || !two || !first || !second) throw new Error('expected two entries')
      map.set(one, second)
      map.set(two, first)
    })
  })
})
