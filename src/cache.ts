/**
 * The token cache (docs/design.md §5): bounded LRU storage, one request in flight per key, early refresh in the
 * background, stale-if-error. It knows nothing of HTTP: it calls the `fetch` function it was given.
 * With a shared store (store.ts), a request first looks there and goes through the fleet's lease.
 */
import { setMaxListeners } from 'node:events'
import { LRUCache } from 'lru-cache'
import { abandonable } from './abandonable.js'
import type { Clock } from './clock.js'
import { diagnosticsActive, publishLookup, type TokenLookupEvent, traceTokenRequest } from './diagnostics.js'
import { ClientClosedError } from './errors.js'
import { type CacheStoreSettings, clearShared, fetchShared, type StoredToken } from './store.js'

/** A token is never handed out within this margin of its expiry (clock skew). */
export const EXPIRY_SKEW_MS = 30_000
/** Tokens living less than this are refreshed at half their lifetime. */
export const SHORT_LIFETIME_MS = 10 * 60_000
/** First wait after a failed background refresh; doubled per failure. */
export const REFRESH_BACKOFF_MS = 1_000
/** The longest wait between background refresh attempts. */
export const MAX_REFRESH_BACKOFF_MS = 60_000

/** What the cache needs of a token. */
export interface CacheableToken {
  /** When the request for it was sent, epoch ms (a later token never loses to an earlier one). */
  readonly requestedAt: number
  /** After this a call returns the token and starts one background refresh, epoch ms. */
  readonly refreshAt: number
  /** The token's expiry, epoch ms. */
  readonly expiresAt: number
}

/** What the cache needs of a request for a token: a key, and a label for diagnostics and logs. */
export interface CacheKey {
  readonly key: string
  readonly label: string
  /**
   * The scope (or v1 resource) a token for this target names. With it, a token read from a shared
   * store must name this scope and {@link CacheKey.tenant} (in any case), or it is refused: a store
   * entry copied under another key never answers. Without it, stored tokens are not checked.
   */
  readonly scope?: string | undefined
  /** The tenant a token for this target names (`undefined` for a generic authority). */
  readonly tenant?: string | undefined
  /** Where requests for it go: named on the token-request tracing channel (never fetched by the cache). */
  readonly tokenEndpoint?: string | undefined
}

/** How a fetch was started. */
export interface FetchContext {
  /** A background refresh: no caller waits, so the fetch should not wait between retries. */
  readonly background: boolean
  /** A claims challenge to send (the fetch bypassed the cache). */
  readonly claims: string | undefined
  /**
   * Aborted, with a `ClientClosedError` as its reason, when the cache closes: the fetch should stop
   * its request and its waits then (nobody takes its answer any more).
   */
  readonly signal?: AbortSignal | undefined
}

/** Per-lookup options. */
export interface LookupOptions {
  forceRefresh?: boolean | undefined
  claims?: string | undefined
  signal?: AbortSignal | undefined
}

/** Told when a background refresh fails; the cached token stays in service. */
export type BackgroundErrorHandler = (
  label: string,
  error: unknown,
  info: { failures: number; retryAt: number },
) => void

/** How a {@link TokenCache} is set up. */
export interface TokenCacheSettings<Key extends CacheKey, Token extends CacheableToken> {
  maxEntries: number
  clock: Clock
  fetch: (target: Key, ctx: FetchContext) => Promise<Token>
  onBackgroundError?: BackgroundErrorHandler | undefined
  random?: (() => number) | undefined
  /**
   * A store shared by a fleet of processes: read on a miss and before a background refresh (never on a
   * hit), written with every new token, its lease taken so that the fleet sends one request per key.
   */
  store?: CacheStoreSettings<Token> | undefined
}

interface Slot<Token> {
  readonly token: Token
  /** Resolved with `token`: what every hit returns, so a hit allocates nothing. */
  readonly promise: Promise<Token>
  failures: number
  /** No background refresh before this, epoch ms. */
  retryAt: number
}

/**
 * When a token obtained at `requestedAt` with a lifetime of `expiresInSec` expires and is refreshed:
 * refresh at the earlier of `refresh_in` and `windowMs` before expiry (half the lifetime when under
 * 10 min), and never later than the skew margin before expiry.
 *
 * @example
 * ```ts
 * tokenTimes(0, 3600, undefined, 300_000) // { expiresAt: 3_600_000, refreshAt: 3_300_000 }
 * ```
 */
export function tokenTimes(
  requestedAt: number,
  expiresInSec: number,
  refreshInSec: number | undefined,
  windowMs: number,
): { expiresAt: number; refreshAt: number } {
  const lifetimeMs = expiresInSec * 1000
  const expiresAt = requestedAt + lifetimeMs
  let refreshAt = lifetimeMs < SHORT_LIFETIME_MS ? requestedAt + lifetimeMs / 2 : expiresAt - windowMs
  if (refreshInSec !== undefined) refreshAt = Math.min(refreshAt, requestedAt + refreshInSec * 1000)
  refreshAt = Math.max(requestedAt, Math.min(refreshAt, expiresAt - EXPIRY_SKEW_MS))
  return { expiresAt, refreshAt: Math.floor(refreshAt) }
}

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
  readonly #slots: LRUCache<string, Slot<Token>>
  readonly #flights = new Map<string, Promise<Token>>()
  readonly #settings: TokenCacheSettings<Key, Token>
  /** Aborted by `close()`: every fetch is given its signal, every flight is abandoned on it. */
  readonly #closer = new AbortController()
  #closing: Promise<void> | undefined
  #generation = 0

  constructor(settings: TokenCacheSettings<Key, Token>) {
    this.#settings = settings
    this.#slots = new LRUCache({ max: settings.maxEntries })
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
    const now = this.#settings.clock.now()
    const slot = this.#slots.get(target.key)
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
   * The cached token while it may be served (the one place hit and stale are decided): a hit before
   * `refreshAt`, stale (plus one background refresh) until the expiry margin; `undefined` after that.
   */
  #served(target: Key, slot: Slot<Token>, now: number): Promise<Token> | undefined {
    if (now < slot.token.refreshAt) {
      if (diagnosticsActive()) report('hit', target, now, now)
      return slot.promise
    }
    if (now < slot.token.expiresAt - EXPIRY_SKEW_MS) return this.#stale(target, slot, now)
    return undefined
  }

  #stale(target: Key, slot: Slot<Token>, now: number): Promise<Token> {
    if (now >= slot.retryAt && !this.#flights.has(target.key)) {
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
        this.#store(target.key, token, generation)
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

  #store(key: string, token: Token, generation: number): void {
    if (generation !== this.#generation) return
    const existing = this.#slots.peek(key)
    if (existing !== undefined && existing.token.requestedAt > token.requestedAt) return
    this.#slots.set(key, { token, promise: Promise.resolve(token), failures: 0, retryAt: 0 })
  }

  #failed(target: Key, error: unknown, background: boolean, startedAt: number): void {
    const now = this.#settings.clock.now()
    if (diagnosticsActive()) report('error', target, startedAt, now, error, background)
    const slot = this.#slots.peek(target.key)
    if (!background || slot === undefined) return
    slot.failures++
    const step = Math.min(MAX_REFRESH_BACKOFF_MS, REFRESH_BACKOFF_MS * 2 ** (slot.failures - 1))
    const jittered = step * (0.5 + (this.#settings.random ?? Math.random)() / 2)
    const asked = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs
    slot.retryAt = now + Math.max(jittered, typeof asked === 'number' ? asked : 0)
    this.#settings.onBackgroundError?.(target.label, error, {
      failures: slot.failures,
      retryAt: slot.retryAt,
    })
  }
}

function noop(): void {}

/** Whether a lookup with `options` may be answered from memory: no forced refresh, no claims challenge. */
function bypassesNothing(options: LookupOptions): boolean {
  return !options.forceRefresh && options.claims === undefined
}

/**
 * Whether a stored token may answer a request: newer than the token held (if any), and fresh for a
 * background refresh, or outside the expiry margin for a caller who waits.
 */
function usable(stored: StoredToken, held: CacheableToken | undefined, background: boolean, now: number) {
  if (held !== undefined && stored.requestedAt <= held.requestedAt) return false
  // not the memory rule (#served): a caller who waits takes a stored token until the expiry margin even
  // when its refreshAt has passed, and never within the margin even when refreshAt is later (managed identity)
  return now < (background ? stored.refreshAt : stored.expiresAt - EXPIRY_SKEW_MS)
}

/** Whether a stored token names the scope and tenant `target` asks for (a target without a scope: yes). */
function belongsTo(stored: StoredToken, target: CacheKey): boolean {
  if (target.scope === undefined) return true
  return stored.scope === target.scope && stored.tenant?.toLowerCase() === target.tenant?.toLowerCase()
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
