import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { clientPattern, eventsChannels, redisTokenKeys, TAG_COUNT } from '../../src/redis/keys.js'
import { CLIENT_ID, createFleetCache, TENANT, targetFor } from './helpers/fleet-cache.js'
import { MemoryStore } from './helpers/memory-store.js'

const CLIENT = `https://login.microsoftonline.com\u0000${CLIENT_ID}`
const key = `${CLIENT}\u0000${TENANT}\u0000scope\u0000api://a/.default`
const sha256 = (text: string) => createHash('sha256').update(text).digest()

describe('the Redis key layout', () => {
  it('names a token by its client’s digest and its store key’s, under the prefix and a hash tag', () => {
    const hash = sha256(key)
    const digest = hash.toString('base64url')
    const tag = ((hash[0] ?? 0) % 16).toString(16)
    const client = sha256(CLIENT).toString('base64url').slice(0, 22)
    expect(redisTokenKeys('app:', key)).toEqual({
      digest,
      tag,
      entry: `app:token:{${tag}}:${client}:${digest}`,
      lease: `app:token:{${tag}}:${client}:${digest}:lease`,
      channel: `app:token-events:{${tag}}`,
    })
  })

  it('puts a token’s entry, lease and channel under one hash tag, and spreads tokens over 16 tags', () => {
    const tags = new Set<string>()
    for (let i = 0; i < 500; i++) {
      const { entry, lease, channel, tag } = redisTokenKeys('app:', `${key}${i}`)
      for (const name of [entry, lease, channel]) expect(name.match(/\{([^}]*)\}/)?.[1]).toBe(tag)
      tags.add(tag)
    }
    expect(tags.size).toBe(TAG_COUNT)
    expect(eventsChannels('app:')).toEqual([...tags].sort().map((tag) => `app:token-events:{${tag}}`))
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

  it('names the tokens of one client by one digest, which a SCAN pattern finds, and no other client’s', () => {
    const pattern = clientPattern('app:', CLIENT) ?? ''
    const glob = new RegExp(`^${pattern.replace(/[{}]/g, '\\$&').replace('?', '.').replace('*', '.*')}$`)
    const ours = ['api://a/.default', 'api://b/.default'].map(
      (scope) => `${CLIENT}\u0000${TENANT}\u0000scope\u0000${scope}`,
    )
    const theirs = [
      key.replace(CLIENT_ID, '00000000-0000-0000-0000-000000000000'),
      key.replace('login.microsoftonline.com', 'login.microsoftonline.us'),
    ]
    for (const k of ours) expect(redisTokenKeys('app:', k).entry).toMatch(glob)
    for (const k of theirs) expect(redisTokenKeys('app:', k).entry).not.toMatch(glob)
  })

  it('escapes the glob characters of the prefix in a SCAN pattern', () => {
    expect(clientPattern('a*b?c[d]e\\:', CLIENT)).toMatch(/^a\\\*b\\\?c\\\[d\\\]e\\\\:token:\{\?\}:/)
  })

  it('has no SCAN pattern for a key prefix that does not name a client as the cache does', () => {
    expect(clientPattern('app:', 'no-separator')).toBeUndefined()
    expect(clientPattern('app:', `${CLIENT}\u0000${TENANT}`)).toBeUndefined()
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
