/**
 * The token cache (docs/design.md §5): bounded storage (cache/slots.ts: second-chance eviction, a hit
 * read from the slot its request holds), one request in flight per key, early refresh in the
 * background, stale-if-error. It knows nothing of HTTP: it calls the `fetch` function it was given.
 * With a shared store (store.ts), a request first looks there and goes through the fleet's lease.
 */
import { setMaxListeners } from 'node:events'
import { abandonable } from './abandonable.js'
import { belongsTo, usable } from './cache/shared-store-rules.js'
import { type HeldSlot, Slot, SlotTable } from './cache/slots.js'
import { backoffMs, EXPIRY_SKEW_MS } from './cache/times.js'
import type {
  CacheableToken,
  CacheKey,
  FetchContext,
  LookupOptions,
  TokenCacheSettings,
} from './cache/types.js'
import type { Clock } from './clock.js'
import { diagnosticsActive, publishLookup, type TokenLookupEvent, traceTokenRequest } from './diagnostics.js'
import { ClientClosedError } from './errors.js'
import { clearShared, fetchShared } from './store.js'

export {
  EXPIRY_SKEW_MS,
  MAX_REFRESH_BACKOFF_MS,
  REFRESH_BACKOFF_MS,
  SHORT_LIFETIME_MS,
  tokenTimes,
} from './cache/times.js'
export type {
  BackgroundErrorHandler,
  CacheableToken,
  CacheKey,
  FetchContext,
  LookupOptions,
  TokenCacheSettings,
} from './cache/types.js'

/**
 * Tokens by key, with one request in flight per key and early refresh.
 *
 * @example
 * ```ts
 * const cache = new TokenCache({ maxEntries: 100, clock: systemClock, fetch: (target) => request(target) })
 * const token = await cache.lookup({ key: 'tenant\u0000scope', label: 'scope' })
 * ```
 */
export class TokenCache<Key extends CacheKey, Token extends CacheableToken> {
  readonly #slots: SlotTable<Token>
  readonly #flights = new Map<string, Promise<Token>>()
  readonly #settings: TokenCacheSettings<Key, Token>
  readonly #clock: Clock
  /** Aborted by `close()`: every fetch is given its signal, every flight is abandoned on it. */
  readonly #closer = new AbortController()
  #closing: Promise<void> | undefined
  #generation = 0

  constructor(settings: TokenCacheSettings<Key, Token>) {
    this.#settings = settings
    this.#clock = settings.clock
    this.#slots = new SlotTable(settings.maxEntries, settings.clock.now())
    setMaxListeners(0, this.#closer.signal) // one listener per flight in progress, however many
  }

  /** Whether {@link TokenCache.close} was called. */
  get closed(): boolean {
    return this.#closer.signal.aborted
  }

  /** How many tokens are cached. */
  get size(): number {
    return this.#slots.size
  }

  /**
   * The token for `target`: from memory when fresh (no I/O, nothing awaited), from memory plus one
   * background refresh when due for refresh, or from the one request in flight for its key.
   */
  lookup(target: Key, options?: LookupOptions): Promise<Token> {
    const now = this.#clock.now()
    // the hot path: the slot the request holds, fresh to the second (one object read, no lookup)
    const held = target.slot as Slot<Token> | undefined
    if (held !== undefined && options === undefined && this.#slots.fresh(held, now)) {
      if (!held.used) held.used = true
      if (diagnosticsActive()) report('hit', target, now, now)
      return held.promise
    }
    const slot = this.#slots.get(target.key)
    if (slot !== held) target.slot = slot
    const served =
      slot !== undefined && (options === undefined || bypassesNothing(options))
        ? this.#served(target, slot, now)
        : undefined
    return served ?? this.#slowLookup(target, now, options ?? {})
  }

  /** Forgets every token; requests in flight still answer their callers but store nothing. */
  clear(): void {
    this.#generation++
    this.#slots.clear()
    this.#flights.clear()
  }

  /** Drops this cache's entries from its shared store (if any) first, so no read puts one back, then clears. */
  async clearWithStore(): Promise<void> {
    if (this.#settings.store !== undefined) await clearShared(this.#settings.store)
    this.clear()
  }

  /**
   * Closes the cache: every token is forgotten; every fetch in flight has its signal aborted, its callers
   * reject with `ClientClosedError` at once (whether or not the fetch stops), and a background refresh
   * settles without a report; every later lookup rejects with `ClientClosedError`. Resolves once the
   * flights have settled; idempotent.
   */
  close(): Promise<void> {
    if (this.#closing !== undefined) return this.#closing
    const flights = [...this.#flights.values()]
    this.clear()
    this.#closer.abort(new ClientClosedError())
    this.#closing = Promise.allSettled(flights).then(noop)
    return this.#closing
  }

  /**
   * The cached token while it may be served (the one place hit and stale are decided; `lookup`'s hot
   * path answers only hits this would answer too: to the second before `refreshAt`): a hit before
   * `refreshAt`, stale (plus one background refresh) until the expiry margin; `undefined` after that.
   */
  #served(target: Key, slot: HeldSlot<Token>, now: number): Promise<Token> | undefined {
    if (now < slot.token.refreshAt) {
      if (diagnosticsActive()) report('hit', target, now, now)
      return slot.promise
    }
    if (now < slot.token.expiresAt - EXPIRY_SKEW_MS) return this.#stale(target, slot, now)
    return undefined
  }

  #stale(target: Key, slot: HeldSlot<Token>, now: number): Promise<Token> {
    const retryAt = slot.backoff?.retryAt ?? 0
    if (now >= retryAt && !this.#flights.has(target.key)) {
      this.#startFlight(target, target.key, { background: true, claims: undefined }, now)
    }
    if (diagnosticsActive()) report('stale', target, now, now)
    return slot.promise
  }

  /** No token to serve (or the options bypass it): the one request in flight for the key. */
  #slowLookup(target: Key, now: number, options: LookupOptions): Promise<Token> {
    if (this.closed) return Promise.reject(new ClientClosedError())
    const { claims, forceRefresh, signal } = options
    const flightKey = claims === undefined ? target.key : `${target.key}\u0000${claims}`
    let flight = this.#flights.get(flightKey)
    if (flight !== undefined) {
      if (diagnosticsActive()) report('inflight', target, now, now)
    } else {
      const event = forceRefresh || claims !== undefined ? 'refresh' : 'miss'
      flight = this.#startFlight(target, flightKey, { background: false, claims }, now, event)
    }
    return signal === undefined ? flight : abandonable(flight, signal)
  }

  #startFlight(
    target: Key,
    flightKey: string,
    ctx: FetchContext,
    startedAt: number,
    event: TokenLookupEvent = 'refresh',
  ): Promise<Token> {
    const generation = this.#generation
    const closer = this.#closer.signal
    const fetched = this.#fetch(target, { ...ctx, signal: closer }, ctx.background || event === 'miss')
    // on close, callers are answered at once, whether or not the fetch heeds its signal
    const flight = abandonable(fetched, closer).then(
      (token) => {
        this.#settle(flightKey, flight)
        this.#store(target, token, generation)
        if (diagnosticsActive()) {
          report(event, target, startedAt, this.#settings.clock.now(), undefined, ctx.background)
        }
        return token
      },
      (error: unknown) => {
        this.#settle(flightKey, flight)
        if (!closer.aborted) this.#failed(target, error, ctx.background, startedAt)
        throw error
      },
    )
    this.#flights.set(flightKey, flight)
    flight.catch(noop) // a background refresh may have no caller: its failure is reported, not thrown
    return flight
  }

  /** A request for `target`: to the authority, or through the shared store when there is one. */
  #fetch(target: Key, ctx: FetchContext, read: boolean): Promise<Token> {
    const { store: shared, clock } = this.#settings
    const held = this.#slots.peek(target.key)?.token
    const request = () =>
      traceTokenRequest({ target, background: ctx.background, replacing: held, clock }, () =>
        this.#settings.fetch(target, ctx),
      )
    if (shared === undefined) return request()
    return fetchShared({
      shared,
      key: `${shared.keyPrefix}\u0000${target.key}`,
      read,
      accept: (stored) => usable(stored, held, ctx.background, clock.now()),
      belongs: (stored) => belongsTo(stored, target),
      fetch: request,
      ttlMs: (token) => token.expiresAt - clock.now(),
    })
  }

  #settle(flightKey: string, flight: Promise<Token>): void {
    if (this.#flights.get(flightKey) === flight) this.#flights.delete(flightKey)
  }

  #store(target: Key, token: Token, generation: number): void {
    if (generation !== this.#generation) return
    const existing = this.#slots.peek(target.key)
    if (existing !== undefined && existing.token.requestedAt > token.requestedAt) return
    // a request that can hold the token itself (target.ts's) becomes the key's slot
    const host = target instanceof Slot ? (target as Slot<Token>) : undefined
    target.slot = this.#slots.set(target.key, token, host)
  }

  #failed(target: Key, error: unknown, background: boolean, startedAt: number): void {
    const now = this.#settings.clock.now()
    if (diagnosticsActive()) report('error', target, startedAt, now, error, background)
    const slot = this.#slots.peek(target.key)
    if (!background || slot === undefined) return
    const backoff = (slot.backoff ??= { failures: 0, retryAt: 0 })
    backoff.failures++
    backoff.retryAt = now + backoffMs(backoff.failures, error, this.#settings.random ?? Math.random)
    this.#settings.onBackgroundError?.(target.label, error, { ...backoff })
  }
}

function noop(): void {}

/** Whether a lookup with `options` may be answered from memory: no forced refresh, no claims challenge. */
function bypassesNothing(options: LookupOptions): boolean {
  return !options.forceRefresh && options.claims === undefined
}

function report(
  event: TokenLookupEvent,
  target: CacheKey,
  startedAt: number,
  endedAt: number,
  error?: unknown,
  background?: boolean,
): void {
  const code = (error as { code?: unknown } | undefined)?.code
  publishLookup({
    event,
    key: target.label,
    durationMs: endedAt - startedAt,
    errorCode: error === undefined ? undefined : typeof code === 'string' ? code : 'UNKNOWN',
    background,
  })
}
