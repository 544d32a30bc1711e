/**
 * What the token cache (src/cache.ts) is given and gives: the token and request shapes it needs, how a
 * fetch is started, per-lookup options and its settings.
 */
import type { Clock } from '../clock.js'
import type { CacheStoreSettings } from '../store.js'
import type { Slot } from './slots.js'

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
  /**
   * Written by the cache only: the slot that last held this key's token. A memoised request keeps it, so
   * that a hit reads it directly, without a lookup of its own (docs/design.md §5; issue 17).
   */
  slot?: Slot<CacheableToken> | undefined
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

/** How a `TokenCache` (src/cache.ts) is set up. */
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
