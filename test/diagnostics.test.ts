/**
 * The library's diagnostics channels, driven through a cache whose requests the test settles by hand:
 * the lookup channel (`oauth-client-credentials:token`) and the tracing channel around each token request
 * (`oauth-client-credentials:token-request`).
 */
import { subscribe, tracingChannel, unsubscribe } from 'node:diagnostics_channel'
import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { type CacheableToken, TokenCache, tokenTimes } from '../src/cache.js'
import {
  noteTokenRequestAttempt,
  TOKEN_CHANNEL,
  TOKEN_REQUEST_CHANNEL,
  type TokenLookupMessage,
  type TokenRequestContext,
  traceTokenRequest,
} from '../src/diagnostics.js'
import type { StoredToken } from '../src/store.js'
import { manualClock } from './helpers/token-endpoint.js'
import { MemoryStore } from './redis/helpers/memory-store.js'

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

/**
 * A cache whose requests the test settles by hand (the clock moves only when told). Each request notes
 * one attempt as it starts, as the client's retry loop does.
 */
function setup(store?: MemoryStore) {
  const clock = manualClock()
  const requests: Array<ReturnType<typeof deferred<Token>>> = []
  const cache = new TokenCache<typeof target, Token>({
    maxEntries: 10,
    clock,
    random: () => 1,
    fetch: () => {
      noteTokenRequestAttempt()
      const settle = deferred<Token>()
      requests.push(settle)
      return settle.promise
    },
    store: store && {
      store,
      keyPrefix: 'authority\u0000client',
      toStored: (token): StoredToken => ({ ...token, accessToken: token.value, ...target }),
      revive: (stored) => ({ ...stored, value: stored.accessToken }),
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

type Phase = 'start' | 'end' | 'asyncStart' | 'asyncEnd' | 'error'
interface Seen {
  phase: Phase
  /** The context as it was at that phase. */
  context: TokenRequestContext & { result?: unknown }
  /** The context object itself (the same one at every phase of a request). */
  object: object
}

/** Records every phase of every request on the token-request tracing channel while `run` runs. */
async function trace(run: () => Promise<void>): Promise<Seen[]> {
  const seen: Seen[] = []
  const channel = tracingChannel<unknown, TokenRequestContext>(TOKEN_REQUEST_CHANNEL)
  const record = (phase: Phase) => (context: TokenRequestContext) =>
    seen.push({ phase, context: { ...context }, object: context })
  const handlers = {
    start: record('start'),
    end: record('end'),
    asyncStart: record('asyncStart'),
    asyncEnd: record('asyncEnd'),
    error: record('error'),
  }
  channel.subscribe(handlers)
  try {
    await run()
  } finally {
    channel.unsubscribe(handlers)
  }
  return seen
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve))

describe('the token-request tracing channel', () => {
  it('traces a miss: where it goes and for what at start; outcome, attempts and duration when it settles', async () => {
    const { clock, cache, requests, token } = setup()
    const seen = await trace(async () => {
      const pending = cache.lookup(target)
      clock.advance(1_500)
      requests[0]?.resolve(token('t1'))
      await pending
    })
    expect(seen.map((s) => s.phase)).toEqual(['start', 'end', 'asyncStart', 'asyncEnd'])
    expect(new Set(seen.map((s) => s.object)).size).toBe(1)
    expect(seen[0]?.context).toEqual({
      serverAddress: '127.0.0.1',
      serverPort: 8443,
      tenant: 'tenant',
      scope: 'api://a/.default',
      background: false,
      remainingLifetimeMs: undefined,
      attempts: 0,
      outcome: undefined,
      errorCode: undefined,
      durationMs: undefined,
    })
    expect(seen[3]?.context).toMatchObject({ attempts: 1, outcome: 'success', durationMs: 1_500 })
    expect(seen[3]?.context.result).toBeUndefined()
  })

  it('traces a failed background refresh: what the replaced token had left, the error and its code', async () => {
    const { clock, cache, requests, token } = setup()
    const failure = Object.assign(new Error('throttled'), { code: 'ERR_AUTHORITY_REJECTED' })
    const seen = await trace(async () => {
      const first = cache.lookup(target)
      requests[0]?.resolve(token('t1'))
      await first
      clock.advance(56 * 60_000)
      await cache.lookup(target) // stale: one background refresh
      requests[1]?.reject(failure)
      await flush()
    })
    const background = seen.filter((s) => s.context.background)
    expect(background.map((s) => s.phase)).toEqual(['start', 'end', 'error', 'asyncStart', 'asyncEnd'])
    expect(background[0]?.context.remainingLifetimeMs).toBe(4 * 60_000)
    expect(background[4]?.context).toMatchObject({
      outcome: 'error',
      errorCode: 'ERR_AUTHORITY_REJECTED',
      error: failure,
      attempts: 1,
      durationMs: 0,
    })
  })

  it('starts nothing for hits, stale answers and joined requests: only requests sent are traced', async () => {
    const { clock, cache, requests, token } = setup()
    const seen = await trace(async () => {
      const first = cache.lookup(target)
      const joined = cache.lookup(target)
      requests[0]?.resolve(token('t1'))
      await Promise.all([first, joined])
      await cache.lookup(target)
      await cache.lookup(target)
      clock.advance(56 * 60_000)
      await cache.lookup(target)
      await cache.lookup(target) // still stale, its refresh still under way
      requests[1]?.resolve(token('t2'))
      await flush()
    })
    expect(seen.filter((s) => s.phase === 'start').map((s) => s.context.background)).toEqual([false, true])
  })

  it('names 0 left for an expired token it replaces, and UNKNOWN for an error without a code', async () => {
    const { clock, cache, requests, token } = setup()
    const seen = await trace(async () => {
      const first = cache.lookup(target)
      requests[0]?.resolve(token('t1'))
      await first
      clock.advance(2 * HOUR)
      const expired = cache.lookup(target)
      requests[1]?.reject(new Error('no code'))
      await expect(expired).rejects.toThrow('no code')
    })
    const ends = seen.filter((s) => s.phase === 'asyncEnd').map((s) => s.context)
    expect(ends[1]).toMatchObject({ remainingLifetimeMs: 0, outcome: 'error', errorCode: 'UNKNOWN' })
  })

  it('counts the attempts of each request apart, when requests for two keys interleave', async () => {
    const clock = manualClock()
    const other = { ...target, key: 'tenant\u0000api://b/.default', scope: 'api://b/.default' }
    const gates = [deferred<void>(), deferred<void>()]
    let calls = 0
    const cache = new TokenCache<typeof target, Token>({
      maxEntries: 10,
      clock,
      fetch: async () => {
        const gate = gates[calls++]
        for (let attempt = 0; attempt < 3; attempt++) {
          noteTokenRequestAttempt()
          await gate?.promise
        }
        return { value: 'v', requestedAt: clock.now(), ...tokenTimes(clock.now(), 3600, undefined, 300_000) }
      },
    })
    const seen = await trace(async () => {
      const a = cache.lookup(target)
      const b = cache.lookup(other)
      gates[1]?.resolve()
      await b
      gates[0]?.resolve()
      await a
    })
    const ends = seen.filter((s) => s.phase === 'asyncEnd').map((s) => [s.context.scope, s.context.attempts])
    expect(ends).toEqual([
      ['api://b/.default', 3],
      ['api://a/.default', 3],
    ])
  })

  it("with a fleet's store: a token the store answers with is no request; one sent is", async () => {
    const store = new MemoryStore()
    const { clock, cache, requests, token } = setup(store)
    store.now = clock.now
    const fromStore = setup(store)
    const seen = await trace(async () => {
      const pending = cache.lookup(target)
      await flush()
      requests[0]?.resolve(token('t1'))
      await pending
      await fromStore.cache.lookup(target) // another process: the store answers
    })
    expect(fromStore.requests).toHaveLength(0)
    expect(seen.filter((s) => s.phase === 'start')).toHaveLength(1)
  })

  it('holds no token: the contexts of a request, printed every way, never show it', async () => {
    const { cache, requests, token } = setup()
    const seen = await trace(async () => {
      const pending = cache.lookup(target)
      requests[0]?.resolve(token('eyJ.secret-token-value'))
      await pending
    })
    for (const { object } of seen) {
      expect(JSON.stringify(object)).not.toContain('secret-token-value')
      expect(inspect(object, { depth: 5, showHidden: true })).not.toContain('secret-token-value')
    }
  })

  it.each([
    ['https://login.microsoftonline.com/t/oauth2/v2.0/token', 'login.microsoftonline.com', 443],
    ['http://127.0.0.1/token', '127.0.0.1', 80],
    ['http://[::1]:8080/token', '::1', 8080],
    [undefined, undefined, undefined],
    ['not a url', undefined, undefined],
  ])('names the server of %s as %s, port %s', async (tokenEndpoint, serverAddress, serverPort) => {
    const start = { target: { tokenEndpoint }, background: false, replacing: undefined, clock: manualClock() }
    const seen = await trace(async () => {
      await traceTokenRequest(start, () => Promise.resolve('token'))
    })
    expect(seen[0]?.context).toMatchObject({ serverAddress, serverPort })
  })

  it('costs nothing when nobody subscribes: the request itself is returned, and no context is built', () => {
    const clock = { now: () => expect.unreachable('the clock is read only to build a context') }
    const request = Promise.resolve('token')
    const start = { target, background: false, replacing: undefined, clock }
    expect(traceTokenRequest(start, () => request)).toBe(request)
  })
})
