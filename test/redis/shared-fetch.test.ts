/**
 * The cache with a shared store (an in-memory one): when it reads, what it accepts, what it writes, the
 * lease and the wait, and a failing store. The Redis store itself is tested in store.test.ts.
 */
import { describe, expect, it, vi } from 'vitest'
import { type CacheableToken, type FetchContext, TokenCache } from '../../src/cache.js'
import type { StoredToken, TokenStore } from '../../src/store.js'
import { manualClock } from '../helpers/token-endpoint.js'
import { MemoryStore } from './helpers/memory-store.js'

interface Token extends CacheableToken {
  readonly value: string
}
const target = { key: 'tenant\u0000scope\u0000api://a/.default', label: 'tenant api://a/.default' }
const STORE_KEY = `authority\u0000client\u0000${target.key}`
const HOUR = 3_600_000

function setup(options: { lease?: boolean; waitMs?: number } = {}) {
  const clock = manualClock()
  const memory = new MemoryStore()
  memory.now = clock.now
  memory.waitMs = options.waitMs ?? 1_000
  const store: TokenStore = options.lease === false ? memory : memory.withLease()
  const fetches: Array<{ ctx: FetchContext; resolve: (token: Token) => void; reject: (e: unknown) => void }> =
    []
  const warnings: string[] = []
  const cache = new TokenCache<typeof target, Token>({
    maxEntries: 10,
    clock,
    fetch: (_target, ctx) =>
      new Promise<Token>((resolve, reject) => {
        fetches.push({ ctx, resolve, reject })
      }),
    store: {
      store,
      keyPrefix: 'authority\u0000client',
      toStored: (token) => ({ ...memory.token(token.value), ...times(token) }),
      revive: (stored: StoredToken) => {
        if (stored.accessToken === 'unrevivable') throw new Error('cannot revive')
        return { value: stored.accessToken, ...times(stored) }
      },
      logger: { warn: (message) => warnings.push(message) },
    },
  })
  const token = (value: string, agoMs = 0, lifetimeMs = HOUR): Token => {
    const { requestedAt, refreshAt, expiresAt } = memory.token(value, agoMs, lifetimeMs)
    return { value, requestedAt, refreshAt, expiresAt }
  }
  /** Answers the n-th fetch once it has been made. */
  const answer = async (n: number, value: Token) => {
    await vi.waitFor(() => expect(fetches.length).toBeGreaterThan(n))
    fetches[n]?.resolve(value)
  }
  return { clock, memory, cache, fetches, warnings, token, answer }
}

function times(t: CacheableToken) {
  return { requestedAt: t.requestedAt, refreshAt: t.refreshAt, expiresAt: t.expiresAt }
}

describe('a cache with a shared store', () => {
  it('never touches the store on a hit: the same resolved promise, no store call', async () => {
    const { cache, memory, answer, token } = setup()
    const first = cache.lookup(target)
    await answer(0, token('t1'))
    await first
    await vi.waitFor(() => expect(memory.calls.set).toBe(1))
    const calls = { ...memory.calls }
    const hits = Array.from({ length: 1000 }, () => cache.lookup(target))
    expect(new Set(hits).size).toBe(1)
    expect(memory.calls).toEqual(calls)
  })

  it('answers a miss from a valid stored token without a request', async () => {
    const { cache, memory, fetches } = setup()
    memory.entries.set(STORE_KEY, memory.token('shared', 10 * 60_000))
    expect((await cache.lookup(target)).value).toBe('shared')
    expect(fetches).toHaveLength(0)
    expect(memory.calls.lease).toBe(0)
  })

  it('requests a token when the stored one is within the expiry margin, and stores it until it expires', async () => {
    const { cache, memory, answer, token } = setup()
    memory.entries.set(STORE_KEY, memory.token('old', HOUR - 20_000))
    const pending = cache.lookup(target)
    await answer(0, token('new'))
    expect((await pending).value).toBe('new')
    await vi.waitFor(() => expect(memory.entries.get(STORE_KEY)?.accessToken).toBe('new'))
    expect(memory.ttls.get(STORE_KEY)).toBe(HOUR)
    expect(memory.leases.size).toBe(0) // released after the write
  })

  it('on a background refresh, takes a newer stored token instead of requesting one', async () => {
    const { cache, memory, clock, answer, token, fetches } = setup()
    const first = cache.lookup(target)
    await answer(0, token('t1'))
    await first
    clock.advance(56 * 60_000)
    memory.entries.set(STORE_KEY, memory.token('t2-from-another-process', 60_000))
    expect((await cache.lookup(target)).value).toBe('t1') // stale: served, refresh started
    await vi.waitFor(async () => expect((await cache.lookup(target)).value).toBe('t2-from-another-process'))
    expect(fetches).toHaveLength(1)
  })

  it('on a background refresh, requests a token when the store holds the same one', async () => {
    const { cache, clock, answer, token, fetches } = setup()
    const first = cache.lookup(target)
    await answer(0, token('t1'))
    await first
    clock.advance(56 * 60_000)
    await cache.lookup(target)
    await answer(1, token('t2'))
    expect(fetches[1]?.ctx.background).toBe(true)
    await vi.waitFor(async () => expect((await cache.lookup(target)).value).toBe('t2'))
  })

  it('bypasses the stored token for forceRefresh and claims, and stores the new one', async () => {
    const { cache, memory, answer, token } = setup()
    memory.entries.set(STORE_KEY, memory.token('shared'))
    const forced = cache.lookup(target, { forceRefresh: true })
    await answer(0, token('forced'))
    expect((await forced).value).toBe('forced')
    const challenged = cache.lookup(target, { claims: '{"access_token":{}}' })
    await answer(1, token('challenged'))
    expect((await challenged).value).toBe('challenged')
    await vi.waitFor(() => expect(memory.entries.get(STORE_KEY)?.accessToken).toBe('challenged'))
    expect(memory.calls.get).toBe(0)
  })

  it('waits while another process holds the lease, and takes the token it stores', async () => {
    const { cache, memory, fetches } = setup()
    await memory.holdLease(STORE_KEY, 'another process')
    const waiting = cache.lookup(target)
    await vi.waitFor(() => expect(memory.calls.lease).toBeGreaterThan(1))
    await memory.set(STORE_KEY, memory.token('theirs'), HOUR)
    expect((await waiting).value).toBe('theirs')
    expect(fetches).toHaveLength(0)
  })

  it('takes the lease when its holder gives it up without a token', async () => {
    const { cache, memory, answer, token } = setup()
    await memory.holdLease(STORE_KEY, 'another process')
    const waiting = cache.lookup(target)
    await vi.waitFor(() => expect(memory.calls.lease).toBeGreaterThan(1))
    await memory.release(STORE_KEY, 'another process')
    await answer(0, token('ours'))
    expect((await waiting).value).toBe('ours')
  })

  it('requests its own token after waitMs when the leaseholder never delivers', async () => {
    const { cache, memory, answer, token } = setup({ waitMs: 250 })
    await memory.holdLease(STORE_KEY, 'a stuck process')
    const started = performance.now()
    const waiting = cache.lookup(target)
    await answer(0, token('ours'))
    expect((await waiting).value).toBe('ours')
    expect(performance.now() - started).toBeGreaterThanOrEqual(240)
  })

  it('works as a plain store without leases: read, request, write', async () => {
    const { cache, memory, answer, token } = setup({ lease: false })
    const pending = cache.lookup(target)
    await answer(0, token('t1'))
    expect((await pending).value).toBe('t1')
    await vi.waitFor(() => expect(memory.calls.set).toBe(1))
    expect(memory.calls).toMatchObject({ get: 1, lease: 0 })
  })

  it.each(['sync', 'async'] as const)(
    'goes on without a store that fails (%s), and reports it',
    async (mode) => {
      const { cache, memory, answer, token, warnings } = setup()
      memory.failing = mode
      const pending = cache.lookup(target)
      await answer(0, token('t1'))
      expect((await pending).value).toBe('t1')
      await vi.waitFor(() => expect(warnings.length).toBeGreaterThanOrEqual(2)) // get, lease (and set)
      expect(warnings[0]).toMatch(/token store failed/)
    },
  )

  it.each([
    ['another scope', { scope: 'api://b/.default' }],
    ['another tenant', { tenant: 'fabrikam.onmicrosoft.com' }],
    ['no tenant', { tenant: undefined }],
  ])(
    'refuses a stored token that names %s than the target asks for, and warns (issue 13 finding 7)',
    async (_name, swapped) => {
      const { cache, memory, answer, token, warnings } = setup()
      const bound = { ...target, scope: 'api://a/.default', tenant: 'contoso.onmicrosoft.com' }
      memory.entries.set(STORE_KEY, { ...memory.token('for-someone-else'), ...swapped })
      const pending = cache.lookup(bound)
      await answer(0, token('fresh'))
      expect((await pending).value).toBe('fresh')
      expect(warnings[0]).toMatch(/names another scope or tenant/)
    },
  )

  it('takes a stored token whose tenant differs only in case from the target’s', async () => {
    const { cache, memory, fetches } = setup()
    const bound = { ...target, scope: 'api://a/.default', tenant: 'Contoso.OnMicrosoft.com' }
    memory.entries.set(STORE_KEY, memory.token('shared'))
    expect((await cache.lookup(bound)).value).toBe('shared')
    expect(fetches).toHaveLength(0)
  })

  it('reads a stored token that cannot be revived as a miss', async () => {
    const { cache, memory, answer, token, warnings } = setup()
    memory.entries.set(STORE_KEY, memory.token('unrevivable'))
    const pending = cache.lookup(target)
    await answer(0, token('fresh'))
    expect((await pending).value).toBe('fresh')
    expect(warnings).toHaveLength(2) // the first read and the read under the lease
  })
})
