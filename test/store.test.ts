/**
 * fetchShared, the fleet protocol, on stores with fewer capabilities than Redis and on the failures the
 * cache-level tests (test/redis/shared-fetch.test.ts) do not reach.
 */
import { describe, expect, it } from 'vitest'
import type { CacheableToken } from '../src/cache.js'
import {
  type CacheStoreSettings,
  clearShared,
  fetchShared,
  type SharedFetch,
  type StoredToken,
  type TokenStore,
} from '../src/store.js'
import { MemoryStore } from './redis/helpers/memory-store.js'

interface Token extends CacheableToken {
  readonly value: string
}
const KEY = 'authority\u0000client\u0000tenant\u0000scope\u0000api://a/.default'

function revive(stored: StoredToken): Token {
  const { accessToken: value, requestedAt, refreshAt, expiresAt } = stored
  return { value, requestedAt, refreshAt, expiresAt }
}

function setup(store: TokenStore, memory: MemoryStore) {
  const warnings: Array<{ message: string; error: unknown }> = []
  const shared: CacheStoreSettings<Token> = {
    store,
    keyPrefix: 'authority\u0000client',
    toStored: (token) => ({ ...memory.token(token.value), ...token, accessToken: token.value }),
    revive,
    logger: {
      warn: (message, fields) => warnings.push({ message, error: (fields as { error: unknown }).error }),
    },
  }
  let fetches = 0
  const io = (
    fetch: () => Promise<Token>,
    overrides: Partial<SharedFetch<Token>> = {},
  ): SharedFetch<Token> => ({
    shared,
    key: KEY,
    read: true,
    accept: () => true,
    fetch: () => {
      fetches++
      return fetch()
    },
    ttlMs: () => 60_000,
    ...overrides,
  })
  return { io, warnings, fetches: () => fetches }
}

const fresh = (memory: MemoryStore, value: string): Token => revive(memory.token(value))
const flush = () => new Promise<void>((resolve) => setImmediate(resolve))

describe('fetchShared', () => {
  it('with a lease store that names no waitMs, fetches holding the lease, stores the token, then releases', async () => {
    const memory = new MemoryStore()
    const { waitMs: _waitMs, ...leaseStore } = memory.withLease()
    const { io, fetches } = setup(leaseStore, memory)
    const token = await fetchShared(io(async () => fresh(memory, 'ours')))
    expect([token.value, fetches()]).toEqual(['ours', 1])
    await flush()
    expect(memory.entries.get(KEY)?.accessToken).toBe('ours')
    expect(memory.leases.size).toBe(0)
  })

  it('takes the token another process stored between its read and its lease, releasing the lease unused', async () => {
    const memory = new MemoryStore()
    const store = memory.withLease()
    let reads = 0
    const racing: TokenStore = {
      ...store,
      get: async () => (++reads === 1 ? undefined : memory.token('theirs')),
    }
    const { io, fetches } = setup(racing, memory)
    const token = await fetchShared(io(async () => fresh(memory, 'ours')))
    expect([token.value, fetches()]).toEqual(['theirs', 0])
    await flush()
    expect([memory.calls.release, memory.leases.size]).toEqual([1, 0])
  })

  it('releases the lease when its own request fails, and gives the caller that error', async () => {
    const memory = new MemoryStore()
    const { io } = setup(memory.withLease(), memory)
    const refused = new Error('AADSTS7000215')
    await expect(fetchShared(io(() => Promise.reject(refused)))).rejects.toBe(refused)
    await flush()
    expect([memory.calls.release, memory.leases.size, memory.entries.size]).toEqual([1, 0, 0])
  })

  it('polls a store without waitForChange while another process holds the lease, and takes its token', async () => {
    const memory = new MemoryStore()
    const { waitForChange: _wait, ...polled } = memory.withLease()
    await memory.holdLease(KEY, 'another process')
    const { io, fetches } = setup(polled, memory)
    const fetching = fetchShared(io(async () => fresh(memory, 'ours')))
    await flush()
    memory.entries.set(KEY, memory.token('theirs'))
    expect((await fetching).value).toBe('theirs')
    expect(fetches()).toBe(0)
  })

  it('reports a token it cannot put in stored form (even a non-Error throw), and still returns it', async () => {
    const memory = new MemoryStore()
    const { io, warnings } = setup(memory, memory)
    const token = await fetchShared(
      io(async () => fresh(memory, 'ours'), {
        read: false,
        ttlMs: () => {
          throw 'no lifetime'
        },
      }),
    )
    expect(token.value).toBe('ours')
    expect(warnings).toEqual([
      { message: 'The token store failed; going on without it.', error: 'no lifetime' },
    ])
    expect(memory.calls.set).toBe(0)
  })

  it('goes on without a store that rejects with a value that cannot be printed, and says what it was', async () => {
    const memory = new MemoryStore()
    const unprintable: TokenStore = {
      ...memory,
      get: () => Promise.reject({ toString: 1 }),
      set: memory.set.bind(memory),
    }
    const { io, warnings, fetches } = setup(unprintable, memory)
    const token = await fetchShared(io(async () => fresh(memory, 'ours')))
    expect([token.value, fetches()]).toEqual(['ours', 1])
    expect(warnings[0]).toEqual({
      message: 'The token store failed; going on without it.',
      error: 'a non-Error object',
    })
  })
})

describe('clearShared', () => {
  function sharedOn(store: TokenStore, warnings: string[] = []): CacheStoreSettings<Token> {
    return {
      store,
      keyPrefix: 'authority\u0000client',
      toStored: () => ({}) as StoredToken,
      revive,
      logger: { warn: (m) => warnings.push(m) },
    }
  }

  it('deletes the tokens of this client from the store, and no other client’s', async () => {
    const memory = new MemoryStore()
    memory.entries.set(KEY, memory.token('ours'))
    memory.entries.set(KEY.replace('client', 'another-client'), memory.token('theirs'))
    await clearShared(sharedOn(memory))
    expect([...memory.entries.values()].map((t) => t.accessToken)).toEqual(['theirs'])
  })

  it('does nothing with a store that cannot clear', async () => {
    const memory = new MemoryStore()
    await expect(clearShared(sharedOn(memory.withLease()))).resolves.toBeUndefined()
    expect(memory.calls.clear).toBe(0)
  })

  it.each(['sync', 'async'] as const)(
    'never rejects when the store fails (%s), and reports it',
    async (mode) => {
      const memory = new MemoryStore()
      memory.failing = mode
      const warnings: string[] = []
      await expect(clearShared(sharedOn(memory, warnings))).resolves.toBeUndefined()
      expect(warnings).toEqual(['The token store failed; going on without it.'])
    },
  )
})
