import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { describe, expect, it, vi } from 'vitest'
import { type CacheableToken, type FetchContext, TokenCache, tokenTimes } from '../src/cache.js'
import { TOKEN_CHANNEL, type TokenLookupMessage } from '../src/diagnostics.js'
import { manualClock } from './helpers/token-endpoint.js'

interface Token extends CacheableToken {
  value: string
}
const target = { key: 'tenant\u0000scope\u0000api://a/.default', label: 'tenant api://a/.default' }
const HOUR = 3_600_000

function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/** A cache whose fetches the test settles by hand. */
function setup(maxEntries = 100) {
  const clock = manualClock()
  const calls: Array<{ ctx: FetchContext; settle: ReturnType<typeof deferred<Token>>; key: string }> = []
  const backgroundErrors: unknown[] = []
  const cache = new TokenCache<typeof target, Token>({
    maxEntries,
    clock,
    random: () => 1,
    fetch: (t, ctx) => {
      const settle = deferred<Token>()
      calls.push({ ctx, settle, key: t.key })
      return settle.promise
    },
    onBackgroundError: (_label, error) => backgroundErrors.push(error),
  })
  const token = (value: string, lifetimeMs = HOUR): Token => {
    const requestedAt = clock.now()
    return { value, requestedAt, ...tokenTimes(requestedAt, lifetimeMs / 1000, undefined, 300_000) }
  }
  return { clock, calls, cache, token, backgroundErrors }
}

describe('tokenTimes', () => {
  it('refreshes the refresh window before expiry', () => {
    expect(tokenTimes(0, 3600, undefined, 300_000)).toEqual({ expiresAt: 3_600_000, refreshAt: 3_300_000 })
  })
  it('refreshes tokens living under 10 minutes at half their life', () => {
    expect(tokenTimes(0, 300, undefined, 300_000)).toEqual({ expiresAt: 300_000, refreshAt: 150_000 })
  })
  it('honours an earlier refresh_in', () => {
    expect(tokenTimes(0, 86_399, 43_200, 300_000).refreshAt).toBe(43_200_000)
    expect(tokenTimes(0, 3600, 7200, 300_000).refreshAt).toBe(3_300_000)
  })
  it('never schedules refresh later than the skew margin before expiry', () => {
    expect(tokenTimes(0, 3600, undefined, 0).refreshAt).toBe(3_570_000)
    expect(tokenTimes(0, 20, undefined, 300_000).refreshAt).toBe(0)
  })
})

describe('TokenCache', () => {
  it('sends one request for 1,000 concurrent cold lookups and gives all the same token', async () => {
    const { cache, calls, token } = setup()
    const lookups = Array.from({ length: 1000 }, () => cache.lookup(target))
    expect(calls).toHaveLength(1)
    calls[0]?.settle.resolve(token('t1'))
    const results = await Promise.all(lookups)
    expect(new Set(results).size).toBe(1)
    expect(results[0]?.value).toBe('t1')
  })

  it('serves a fresh token from memory: the same resolved promise, no request', async () => {
    const { cache, calls, token } = setup()
    const first = cache.lookup(target)
    calls[0]?.settle.resolve(token('t1'))
    await first
    const a = cache.lookup(target)
    const b = cache.lookup(target)
    expect(a).toBe(b)
    expect((await a).value).toBe('t1')
    expect(calls).toHaveLength(1)
  })

  it('after refreshAt answers at once from memory and starts exactly one background refresh', async () => {
    const { cache, calls, token, clock } = setup()
    const first = cache.lookup(target)
    calls[0]?.settle.resolve(token('t1'))
    await first
    clock.advance(56 * 60_000)
    const results = await Promise.all([cache.lookup(target), cache.lookup(target), cache.lookup(target)])
    expect(results.map((t) => t.value)).toEqual(['t1', 't1', 't1'])
    expect(calls).toHaveLength(2)
    expect(calls[1]?.ctx.background).toBe(true)
    calls[1]?.settle.resolve(token('t2'))
    await calls[1]?.settle.promise
    await Promise.resolve()
    expect((await cache.lookup(target)).value).toBe('t2')
    expect(calls).toHaveLength(2)
  })

  it('keeps serving the token when a background refresh fails, reports it, and backs off', async () => {
    const { cache, calls, token, clock, backgroundErrors } = setup()
    const first = cache.lookup(target)
    calls[0]?.settle.resolve(token('t1'))
    await first
    clock.advance(56 * 60_000)
    expect((await cache.lookup(target)).value).toBe('t1')
    calls[1]?.settle.reject(Object.assign(new Error('503'), { code: 'ERR_AUTHORITY_REJECTED' }))
    await vi.waitFor(() => expect(backgroundErrors).toHaveLength(1))
    expect((await cache.lookup(target)).value).toBe('t1')
    expect(calls).toHaveLength(2) // inside the first backoff step (1 s): no new attempt
    clock.advance(1000)
    expect((await cache.lookup(target)).value).toBe('t1')
    expect(calls).toHaveLength(3)
    calls[2]?.settle.reject(new Error('again'))
    await vi.waitFor(() => expect(backgroundErrors).toHaveLength(2))
    clock.advance(1999)
    await cache.lookup(target)
    expect(calls).toHaveLength(3) // second step is 2 s
    clock.advance(1)
    await cache.lookup(target)
    expect(calls).toHaveLength(4)
  })

  it('waits for the server-named time before refreshing again after a throttled background refresh', async () => {
    const { cache, calls, token, clock, backgroundErrors } = setup()
    const first = cache.lookup(target)
    calls[0]?.settle.resolve(token('t1'))
    await first
    clock.advance(56 * 60_000)
    await cache.lookup(target)
    calls[1]?.settle.reject(Object.assign(new Error('429'), { retryAfterMs: 60_000 }))
    await vi.waitFor(() => expect(backgroundErrors).toHaveLength(1))
    clock.advance(59_999)
    await cache.lookup(target)
    expect(calls).toHaveLength(2)
    clock.advance(1)
    await cache.lookup(target)
    expect(calls).toHaveLength(3)
  })

  it('makes callers wait for a new token within 30 s of expiry, and gives them the error if it fails', async () => {
    const { cache, calls, token, clock } = setup()
    const first = cache.lookup(target)
    calls[0]?.settle.resolve(token('t1'))
    await first
    clock.advance(HOUR - 30_000)
    const waiting = cache.lookup(target)
    expect(calls).toHaveLength(2)
    expect(calls[1]?.ctx.background).toBe(false)
    calls[1]?.settle.reject(new Error('authority down'))
    await expect(waiting).rejects.toThrow('authority down')
  })

  it('joins a background refresh already in flight when the token reaches the expiry margin', async () => {
    const { cache, calls, token, clock } = setup()
    const first = cache.lookup(target)
    calls[0]?.settle.resolve(token('t1'))
    await first
    clock.advance(56 * 60_000)
    await cache.lookup(target)
    clock.advance(4 * 60_000 - 30_000)
    const waiting = cache.lookup(target)
    expect(calls).toHaveLength(2)
    calls[1]?.settle.resolve(token('t2'))
    expect((await waiting).value).toBe('t2')
  })

  it('caches nothing from a failed request', async () => {
    const { cache, calls, token } = setup()
    const first = cache.lookup(target)
    calls[0]?.settle.reject(new Error('bad answer'))
    await expect(first).rejects.toThrow('bad answer')
    expect(cache.size).toBe(0)
    const second = cache.lookup(target)
    expect(calls).toHaveLength(2)
    calls[1]?.settle.resolve(token('t1'))
    expect((await second).value).toBe('t1')
  })

  it('forceRefresh fetches even with a fresh token, and a failed forced refresh keeps the old one', async () => {
    const { cache, calls, token } = setup()
    const first = cache.lookup(target)
    calls[0]?.settle.resolve(token('t1'))
    await first
    const forced = cache.lookup(target, { forceRefresh: true })
    expect(calls).toHaveLength(2)
    calls[1]?.settle.reject(new Error('nope'))
    await expect(forced).rejects.toThrow('nope')
    expect((await cache.lookup(target)).value).toBe('t1')
  })

  it('sends a claims challenge in its own request that bypasses the cache, then caches its token', async () => {
    const { cache, calls, token } = setup()
    const first = cache.lookup(target)
    calls[0]?.settle.resolve(token('t1'))
    await first
    const challenged = cache.lookup(target, { claims: '{"access_token":{"nbf":{"essential":true}}}' })
    expect(calls).toHaveLength(2)
    expect(calls[1]?.ctx.claims).toContain('essential')
    calls[1]?.settle.resolve(token('t2'))
    expect((await challenged).value).toBe('t2')
    expect((await cache.lookup(target)).value).toBe('t2')
  })

  it('lets a caller abandon its wait without cancelling the request others share', async () => {
    const { cache, calls, token } = setup()
    const controller = new AbortController()
    const impatient = cache.lookup(target, { signal: controller.signal })
    const patient = cache.lookup(target)
    controller.abort(new Error('gave up'))
    await expect(impatient).rejects.toThrow('gave up')
    calls[0]?.settle.resolve(token('t1'))
    expect((await patient).value).toBe('t1')
    expect(calls).toHaveLength(1)
  })

  it('does not let a request started before clear() store its token', async () => {
    const { cache, calls, token } = setup()
    const before = cache.lookup(target)
    cache.clear()
    calls[0]?.settle.resolve(token('old'))
    expect((await before).value).toBe('old')
    expect(cache.size).toBe(0)
  })

  it('never lets an older token overwrite a newer one', async () => {
    const { cache, calls, token, clock } = setup()
    const first = cache.lookup(target)
    const older = token('older')
    cache.clear()
    clock.advance(1000)
    const second = cache.lookup(target)
    calls[1]?.settle.resolve(token('newer'))
    await second
    calls[0]?.settle.resolve(older)
    await first
    expect((await cache.lookup(target)).value).toBe('newer')
  })

  it('keeps at most maxEntries tokens, dropping the least recently used', async () => {
    const { cache, calls, token } = setup(3)
    for (const name of ['a', 'b', 'c', 'd']) {
      const pending = cache.lookup({ key: name, label: name })
      calls.at(-1)?.settle.resolve(token(name))
      await pending
    }
    expect(cache.size).toBe(3)
    await cache.lookup({ key: 'b', label: 'b' })
    expect(calls).toHaveLength(4)
    await Promise.resolve()
    const again = cache.lookup({ key: 'a', label: 'a' })
    expect(calls).toHaveLength(5)
    calls[4]?.settle.resolve(token('a'))
    await again
  })

  it("answers a request object shared by two caches from each cache's own token", async () => {
    const one = setup()
    const two = setup()
    const shared = { key: 'k', label: 'k' }
    const first = one.cache.lookup(shared)
    one.calls[0]?.settle.resolve(one.token('one'))
    expect((await first).value).toBe('one')
    const second = two.cache.lookup(shared)
    expect(two.calls).toHaveLength(1)
    two.calls[0]?.settle.resolve(two.token('two'))
    expect((await second).value).toBe('two')
    expect((await one.cache.lookup(shared)).value).toBe('one')
    expect((await two.cache.lookup(shared)).value).toBe('two')
  })

  it('keeps serving a request that holds its slot after clear() and eviction only through a new request', async () => {
    const { cache, calls, token } = setup(1)
    const a = { key: 'a', label: 'a' }
    const pending = cache.lookup(a)
    calls[0]?.settle.resolve(token('a1'))
    await pending
    cache.clear()
    const afterClear = cache.lookup(a)
    expect(calls).toHaveLength(2)
    calls[1]?.settle.resolve(token('a2'))
    expect((await afterClear).value).toBe('a2')
    const b = cache.lookup({ key: 'b', label: 'b' }) // evicts a (maxEntries 1)
    calls[2]?.settle.resolve(token('b'))
    await b
    const afterEviction = cache.lookup(a)
    expect(calls).toHaveLength(4)
    calls[3]?.settle.resolve(token('a3'))
    expect((await afterEviction).value).toBe('a3')
  })

  it('reports hit, stale, miss, inflight, refresh and error on the diagnostics channel', async () => {
    const { cache, calls, token, clock } = setup()
    const events: TokenLookupMessage[] = []
    const listener = (message: unknown) => events.push(message as TokenLookupMessage)
    subscribe(TOKEN_CHANNEL, listener)
    try {
      const first = cache.lookup(target)
      const joined = cache.lookup(target)
      calls[0]?.settle.resolve(token('t1'))
      await Promise.all([first, joined])
      await cache.lookup(target)
      clock.advance(56 * 60_000)
      await cache.lookup(target)
      calls[1]?.settle.reject(Object.assign(new Error('x'), { code: 'ERR_TOKEN_REQUEST_FAILED' }))
      await vi.waitFor(() => expect(events.map((e) => e.event)).toContain('error'))
      const forced = cache.lookup(target, { forceRefresh: true })
      calls[2]?.settle.resolve(token('t2'))
      await forced
    } finally {
      unsubscribe(TOKEN_CHANNEL, listener)
    }
    expect(events.map((e) => e.event)).toEqual(['inflight', 'miss', 'hit', 'stale', 'error', 'refresh'])
    const error = events.find((e) => e.event === 'error')
    expect(error).toMatchObject({
      key: target.label,
      errorCode: 'ERR_TOKEN_REQUEST_FAILED',
      background: true,
    })
    expect(JSON.stringify(events)).not.toContain('t1')
  })
})
