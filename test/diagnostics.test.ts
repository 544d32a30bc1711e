/**
 * The library's diagnostics channels, driven through a cache whose requests the test settles by hand:
 * the lookup channel (`oauth-client-credentials:token`) and the tracing channel around each token request
 * (`oauth-client-credentials:token-request`).
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { describe, expect, it } from 'vitest'
import { type CacheableToken, TokenCache, tokenTimes } from '../src/cache.js'
import { TOKEN_CHANNEL, type TokenLookupMessage } from '../src/diagnostics.js'
import { manualClock } from './helpers/token-endpoint.js'

interface Token extends CacheableToken {
  value: string
}
const HOUR = 3_600_000
const target = {
  key: 'tenant\u0000api://a/.default',
  label: 'tenant api://a/.default',
  scope: 'api://a/.default',
  tenant: 'tenant',
  tokenEndpoint: 'https://127.0.0.1:8443/tenant/oauth2/v2.0/token',
}

function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/** A cache whose requests the test settles by hand (the clock moves only when told). */
function setup() {
  const clock = manualClock()
  const requests: Array<ReturnType<typeof deferred<Token>>> = []
  const cache = new TokenCache<typeof target, Token>({
    maxEntries: 10,
    clock,
    random: () => 1,
    fetch: () => {
      const settle = deferred<Token>()
      requests.push(settle)
      return settle.promise
    },
  })
  const token = (value: string): Token => {
    const requestedAt = clock.now()
    return { value, requestedAt, ...tokenTimes(requestedAt, HOUR / 1000, undefined, 300_000) }
  }
  return { clock, cache, requests, token }
}

/** Collects the messages of `channel` while `run` runs. */
async function collect<T>(channel: string, run: () => Promise<void>): Promise<T[]> {
  const seen: T[] = []
  const listener = (message: unknown) => seen.push(message as T)
  subscribe(channel, listener)
  try {
    await run()
  } finally {
    unsubscribe(channel, listener)
  }
  return seen
}

describe('the lookup channel', () => {
  it('says of every request it reports whether it was a background refresh', async () => {
    const { clock, cache, requests, token } = setup()
    const messages = await collect<TokenLookupMessage>(TOKEN_CHANNEL, async () => {
      const first = cache.lookup(target)
      requests[0]?.resolve(token('t1'))
      await first
      clock.advance(56 * 60_000) // due for refresh: served stale, one background refresh
      await cache.lookup(target)
      requests[1]?.resolve(token('t2'))
      await new Promise((resolve) => setImmediate(resolve))
      const forced = cache.lookup(target, { forceRefresh: true })
      requests[2]?.resolve(token('t3'))
      await forced
    })
    expect(messages.map((m) => [m.event, m.background])).toEqual([
      ['miss', false],
      ['stale', undefined],
      ['refresh', true],
      ['refresh', false],
    ])
  })
})
