import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { eventsChannel, redisTokenKeys } from '../../src/redis/keys.js'
import { CLIENT_ID, createFleetCache, TENANT, targetFor } from './helpers/fleet-cache.js'
import { MemoryStore } from './helpers/memory-store.js'

describe('the Redis key layout', () => {
  const key = `https://login.microsoftonline.com\u0000${CLIENT_ID}\u0000${TENANT}\u0000scope\u0000api://a/.default`

  it('names a token by the SHA-256 of its store key under the prefix, and its lease beside it', () => {
    const digest = createHash('sha256').update(key).digest('base64url')
    expect(redisTokenKeys('app:', key)).toEqual({
      digest,
      entry: `app:token:${digest}`,
      lease: `app:token:${digest}:lease`,
    })
    expect(eventsChannel('app:')).toBe('app:token-events')
  })

  it('gives every authority, client id, tenant and scope its own key', () => {
    const variants = [
      key,
      key.replace('login.microsoftonline.com', 'login.microsoftonline.us'),
      key.replace(CLIENT_ID, '00000000-0000-0000-0000-000000000000'),
      key.replace(TENANT, 'fabrikam.onmicrosoft.com'),
      key.replace('api://a', 'api://b'),
    ]
    const entries = new Set(variants.map((k) => redisTokenKeys('p:', k).entry))
    expect(entries.size).toBe(variants.length)
  })

  it('is what the cache asks of the store: the client prefix (authority, client id), then the cache key', async () => {
    const store = new MemoryStore()
    const authorityUrl = 'http://127.0.0.1:1'
    const cache = createFleetCache({ authorityUrl, store: store.withLease() })
    store.entries.set(
      `${authorityUrl}\u0000${CLIENT_ID}\u0000${TENANT}\u0000scope\u0000api://a/.default`,
      store.token('from-store'),
    )
    expect((await cache.lookup(targetFor('api://a/.default'))).accessToken).toBe('from-store')
  })
})
