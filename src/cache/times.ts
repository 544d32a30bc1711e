/**
 * When a cached token expires and is refreshed (docs/design.md §5): the expiry from `expires_in`, the
 * refresh time from `refresh_in` and the refresh window, the skew margin, the backoff after a failed
 * background refresh.
 */

/** A token is never handed out within this margin of its expiry (clock skew). */
export const EXPIRY_SKEW_MS = 30_000
/** Tokens living less than this are refreshed at half their lifetime. */
export const SHORT_LIFETIME_MS = 10 * 60_000
/** First wait after a failed background refresh; doubled per failure. */
export const REFRESH_BACKOFF_MS = 1_000
/** The longest wait between background refresh attempts. */
export const MAX_REFRESH_BACKOFF_MS = 60_000

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
 * The wait before the next background refresh after `failures` failures in a row: exponential from
 * {@link REFRESH_BACKOFF_MS} to {@link MAX_REFRESH_BACKOFF_MS}, jittered to 50–100 % by `random`, and
 * never shorter than what the server asked for (`retryAfterMs` on the error).
 *
 * @example
 * ```ts
 * backoffMs(3, new Error('503'), () => 1) // 4_000
 * ```
 */
export function backoffMs(failures: number, error: unknown, random: () => number): number {
  const step = Math.min(MAX_REFRESH_BACKOFF_MS, REFRESH_BACKOFF_MS * 2 ** (failures - 1))
  const jittered = step * (0.5 + random() / 2)
  const asked = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs
  return Math.max(jittered, typeof asked === 'number' ? asked : 0)
}
