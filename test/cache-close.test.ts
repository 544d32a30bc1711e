/**
 * `TokenCache.close()`: callers waiting on a request reject with `ClientClosedError` at once (even when
 * the fetch ignores its signal), a background refresh settles quietly, every fetch's signal aborts, and
 * nothing is fetched afterwards.
 */
import { describe, expect, it } from 'vitest'
import { type CacheableToken, type FetchContext, TokenCache, tokenTimes } from '../src/cache.js'
import { ClientClosedError } from '../src/errors.js'
import { manualClock } from './helpers/token-endpoint.js'

interface Token extends CacheableToken {
  value: string
}
const target = { key: 'tenant\u0000scope\u0000api://a/.default', label: 'tenant api://a/.default' }
const HOUR = 3_600_000

/** A cache whose fetches never settle on their own (they ignore their signal). */
function setup() {
  const clock = manualClock()
  const calls: Array<{ ctx: FetchContext; resolve: (token: Token) => void }> = []
  const backgroundErrors: unknown[] = []
  const cache = new TokenCache<typeof target, Token>({
    maxEntries: 10,
    clock,
    fetch: (_t, ctx) =>
      new Promise<Token>((resolve) => {
        calls.push({ ctx, resolve })
      }),
    onBackgroundError: (_label, error) => backgroundErrors.push(error),
  })
  const token = (value: string): Token => {
    const requestedAt = clock.now()
    return { value, requestedAt, ...tokenTimes(requestedAt, HOUR / 1000, undefined, 300_000) }
  }
  return { clock, calls, cache, token, backgroundErrors }
}

describe('TokenCache.close', () => {
  it('rejects a caller waiting on a cold request with ClientClosedError, and aborts its signal', async () => {
    const { cache, calls } = setup()
    const waiting = cache.lookup(target)
    expect(calls).toHaveLength(1)
    await cache.close()
    await expect(waiting).rejects.toBeInstanceOf(ClientClosedError)
    await expect(waiting).rejects.toMatchObject({ code: 'ERR_CLIENT_CLOSED' })
    expect(calls[0]?.ctx.signal?.aborted).toBe(true)
    expect(calls[0]?.ctx.signal?.reason).toBeInstanceOf(ClientClosedError)
  })

  it('settles a background refresh quietly: no background error reported, nothing stored', async () => {
    const { cache, calls, clock, token, backgroundErrors } = setup()
    const first = cache.lookup(target)
    calls[0]?.resolve(token('one'))
    await first
    clock.advance(HOUR - 200_000) // past refreshAt
    expect((await cache.lookup(target)).value).toBe('one')
    expect(calls).toHaveLength(2)
    expect(calls[1]?.ctx.background).toBe(true)
    await cache.close()
    expect(calls[1]?.ctx.signal?.aborted).toBe(true)
    calls[1]?.resolve(token('late')) // a fetch that ignored its signal answers after all
    await new Promise((resolve) => setImmediate(resolve))
    expect(backgroundErrors).toEqual([])
    expect(cache.size).toBe(0)
  })

  it('rejects every later lookup without fetching, hit or not', async () => {
    const { cache, calls, token } = setup()
    const first = cache.lookup(target)
    calls[0]?.resolve(token('one'))
    await first
    await cache.close()
    await expect(cache.lookup(target)).rejects.toBeInstanceOf(ClientClosedError)
    await expect(cache.lookup(target, { forceRefresh: true })).rejects.toBeInstanceOf(ClientClosedError)
    expect(calls).toHaveLength(1)
    expect(cache.size).toBe(0)
  })

  it('is idempotent, and clear() after it is harmless', async () => {
    const { cache } = setup()
    await cache.close()
    await cache.close()
    cache.clear()
    expect(cache.closed).toBe(true)
  })
})
