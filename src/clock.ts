/**
 * The one place that reads the time. Everything that needs "now" takes a {@link Clock}, so tests can
 * move time without sleeping.
 */

/**
 * A source of the current time in epoch milliseconds.
 *
 * @example
 * ```ts
 * let now = Date.parse('2026-01-01T00:00:00Z')
 * const clock: Clock = { now: () => now }
 * const client = new TokenClient({ tenant, clientId, credential, clock })
 * now += 55 * 60_000 // the cached token is now due for refresh
 * ```
 */
export interface Clock {
  /** The current time, epoch ms. */
  now(): number
}

/**
 * The wall clock (`Date.now()`).
 *
 * @example
 * ```ts
 * systemClock.now() // 1764000000000
 * ```
 */
export const systemClock: Clock = { now: () => Date.now() }
