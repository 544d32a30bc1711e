/**
 * The token cache's slots (docs/design.md §5, "bounded"): one per key in a `Map`, at most `maxEntries`,
 * evicted by second chance (the "clock" approximation of least recently used). A lookup sets its slot's
 * `used` bit and reorders nothing; eviction walks the slots oldest first, gives each used one a second
 * chance (clears its bit and moves it to the back) and drops the first unused one.
 *
 * A slot holds in one object what a cache hit reads: the promise every hit returns, and until when it
 * may be served, as whole seconds after the table's epoch (a small integer, which V8 keeps unboxed; an
 * epoch-milliseconds time would be a separate HeapNumber to load). A request (`CacheKey.slot`) keeps a
 * reference to its slot, so that a hit makes no lookup of its own (issue 17).
 */

/** What the slots need of a token. */
export interface SlotToken {
  /** After this a hit is due for refresh, epoch ms. */
  readonly refreshAt: number
}

/** A failed background refresh's backoff: kept apart, allocated only when a refresh fails. */
export interface Backoff {
  failures: number
  /** No background refresh before this, epoch ms. */
  retryAt: number
}

/** `freshSec` of a slot no longer in its table (and the least `freshSec`): no hit is served from it. */
const DROPPED = -(2 ** 30)
/** The greatest `freshSec` (about 34 years): any build's small integers hold it. */
const FRESH_MAX = 2 ** 30 - 1

/**
 * Where a {@link SlotTable} keeps one key's token. A request object may be one (a class extending
 * this): the table then keeps the token in the very object the request memo hands out, so that a hit
 * reads the promise and the time from the object it already holds (issue 17). A slot in no table has
 * no token; only the table writes it (and the cache the backoff).
 *
 * @example
 * ```ts
 * const slot = table.set('tenant\u0000scope\u0000api://a/.default', token)
 * await slot.promise // token
 * ```
 */
export class Slot<Token extends SlotToken> {
  /**
   * For a request that is a slot (`CacheKey.slot`): the slot that last held its key's token, itself
   * as a rule. First, with what a hit reads next, so that a hit reads the object's first bytes only.
   */
  slot: Slot<Token> | undefined = undefined
  /**
   * The table it is in (`undefined`: in none). A request object shared by two caches never takes one's
   * slot for the other's.
   */
  table: SlotTable<Token> | undefined = undefined
  /**
   * A hit may be served while `now` is before the table's epoch plus this many seconds: `refreshAt`
   * rounded down to a whole second (the exact `refreshAt` decides within that last second).
   */
  freshSec = DROPPED
  /** Resolved with `token`: what every hit returns, so that a hit allocates nothing. */
  promise: Promise<Token> | undefined = undefined
  /** Looked up since eviction last passed it. */
  used = false
  token: Token | undefined = undefined
  backoff: Backoff | undefined = undefined
}

/** A slot in a table: it holds a token. */
export type HeldSlot<Token extends SlotToken> = Slot<Token> & { token: Token; promise: Promise<Token> }

/**
 * At most `maxEntries` slots by key, evicted by second chance.
 *
 * @example
 * ```ts
 * const table = new SlotTable<AccessToken>(10_000, Date.now())
 * const slot = table.set(key, token)
 * table.fresh(slot, Date.now()) // true until token.refreshAt (to the second)
 * ```
 */
export class SlotTable<Token extends SlotToken> {
  readonly #slots = new Map<string, HeldSlot<Token>>()
  readonly #max: number
  /** The time `freshSec` counts from: a whole second, epoch ms. */
  readonly #epochMs: number

  constructor(maxEntries: number, now: number) {
    this.#max = maxEntries
    this.#epochMs = Math.floor(now / 1000) * 1000
  }

  get size(): number {
    return this.#slots.size
  }

  /**
   * Whether a hit may be served from `slot` at `now` without reading its token: before its refresh
   * time (to the second), and the slot still in this table. Allocates nothing; no HeapNumber is read.
   */
  fresh(slot: Slot<Token>, now: number): slot is HeldSlot<Token> {
    return slot.table === this && now - this.#epochMs < slot.freshSec * 1000
  }

  /** The slot for `key`, marked used (a lookup). */
  get(key: string): HeldSlot<Token> | undefined {
    const slot = this.#slots.get(key)
    if (slot !== undefined) slot.used = true
    return slot
  }

  /** The slot for `key`, its recency untouched. */
  peek(key: string): HeldSlot<Token> | undefined {
    return this.#slots.get(key)
  }

  /**
   * Keeps `token` as `key`'s: in its slot, updated in place (requests holding the slot stay valid) and
   * marked used; or in a new slot at the back (`host`, when it is in no table, else a new object),
   * after dropping one slot if the table is full.
   */
  set(key: string, token: Token, host?: Slot<Token>): HeldSlot<Token> {
    const existing = this.#slots.get(key)
    if (existing !== undefined) {
      this.#fill(existing, token)
      existing.backoff = undefined
      existing.used = true
      return existing
    }
    if (this.#slots.size >= this.#max) this.#evictOne()
    const slot = host !== undefined && host.table === undefined ? host : new Slot<Token>()
    slot.table = this
    slot.used = false
    slot.backoff = undefined
    const held = this.#fill(slot, token)
    this.#slots.set(key, held)
    return held
  }

  /** Drops every slot (requests holding one find it dropped and look their key up again). */
  clear(): void {
    for (const slot of this.#slots.values()) drop(slot)
    this.#slots.clear()
  }

  #fill(slot: Slot<Token>, token: Token): HeldSlot<Token> {
    slot.token = token
    slot.promise = Promise.resolve(token)
    slot.freshSec = this.#freshSec(token.refreshAt)
    return slot as HeldSlot<Token>
  }

  #freshSec(refreshAt: number): number {
    const seconds = Math.floor((refreshAt - this.#epochMs) / 1000)
    // clamped, so that the field stays a small integer (rounding down only sends more hits to the exact
    // check); NaN and anything before the epoch's range: never fresh
    if (!(seconds > DROPPED)) return DROPPED
    return Math.min(seconds, FRESH_MAX)
  }

  /** Second chance: used slots (oldest first) lose their bit and move to the back; the first unused one goes. */
  #evictOne(): void {
    for (const [key, slot] of this.#slots) {
      this.#slots.delete(key)
      if (!slot.used) {
        drop(slot)
        return
      }
      slot.used = false
      this.#slots.set(key, slot)
    }
  }
}

/** Out of its table: never fresh, its token let go (a request memo may keep the object). */
function drop(slot: Slot<SlotToken>): void {
  slot.table = undefined
  slot.freshSec = DROPPED
  slot.token = undefined
  slot.promise = undefined
}
