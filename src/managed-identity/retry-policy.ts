/**
 * When a managed-identity request is sent again (docs/entra.md §10):
 * - IMDS, as Azure documents: 404, 408, 410, 429 and 5xx, with exponential backoff (1 s, 2 s, 4 s: three
 *   retries); 410 means IMDS is upgrading, so it is retried every 10 s for at least 70 s.
 * - The other sources, as msal-node does: 404, 408, 429, 500, 503 and 504, three retries, waiting the
 *   server's `Retry-After` (at least 1 s); a `Retry-After` over {@link MAX_RETRY_AFTER_MS} is not waited for
 *   (the error carries it, as docs/decisions/0003-retry-after-cap.md decides for token requests).
 * A connection that fails is never retried within a call: that is "unavailable", said at once.
 */
import type { ManagedIdentitySourceKind } from './source.js'

/**
 * Retries for statuses other than IMDS's 410.
 *
 * @example
 * ```ts
 * if (state.retries >= MAX_RETRIES) stop() // 3
 * ```
 */
export const MAX_RETRIES = 3
/**
 * IMDS's first backoff step; then 2 s, 4 s.
 *
 * @example
 * ```ts
 * IMDS_FIRST_BACKOFF_MS * 2 ** retries // 1000, 2000, 4000
 * ```
 */
export const IMDS_FIRST_BACKOFF_MS = 1_000
/**
 * IMDS's largest backoff step.
 *
 * @example
 * ```ts
 * Math.min(IMDS_MAX_BACKOFF_MS, step) // at most 4000
 * ```
 */
export const IMDS_MAX_BACKOFF_MS = 4_000
/**
 * Wait between retries of an IMDS 410 (upgrading).
 *
 * @example
 * ```ts
 * await sleep(IMDS_GONE_STEP_MS) // 10 s between 410 retries
 * ```
 */
export const IMDS_GONE_STEP_MS = 10_000
/**
 * How long an IMDS 410 is retried, at least.
 *
 * @example
 * ```ts
 * now - firstGoneAt < IMDS_GONE_WINDOW_MS // keep retrying a 410 for 70 s
 * ```
 */
export const IMDS_GONE_WINDOW_MS = 70_000
/**
 * A bound on 410 retries, whatever the clock says.
 *
 * @example
 * ```ts
 * state.retries < IMDS_GONE_MAX_RETRIES // 20, whatever the clock says
 * ```
 */
export const IMDS_GONE_MAX_RETRIES = 20
/**
 * The other sources' least wait.
 *
 * @example
 * ```ts
 * Math.max(DEFAULT_DELAY_MS, retryAfterMs ?? 0) // at least 1 s
 * ```
 */
export const DEFAULT_DELAY_MS = 1_000
/**
 * The longest `Retry-After` a caller is kept waiting for.
 *
 * @example
 * ```ts
 * retryAfterMs > MAX_RETRY_AFTER_MS // 60 s: not waited for
 * ```
 */
export const MAX_RETRY_AFTER_MS = 60_000

const IMDS_STATUSES = new Set([404, 408, 410, 429])
const DEFAULT_STATUSES = new Set([404, 408, 429, 500, 503, 504])

/**
 * What the policy knows after a failed attempt.
 *
 * @example
 * ```ts
 * nextRetryDelayMs('imds', { status: 410, retries: 0, retryAfterMs: undefined, now, firstGoneAt: now } satisfies RetryState)
 * ```
 */
export interface RetryState {
  /** The status just answered. */
  status: number
  /** Retries already made in this call (0 after the first answer). */
  retries: number
  /** The server's `Retry-After`, in ms. */
  retryAfterMs: number | undefined
  /** Now, epoch ms. */
  now: number
  /** When IMDS first answered 410 in this call, epoch ms. */
  firstGoneAt: number | undefined
}

/**
 * Whether `status` from `source` may succeed when sent again.
 *
 * @example
 * ```ts
 * retryableStatus('imds', 410)        // true
 * retryableStatus('app-service', 410) // false
 * ```
 */
export function retryableStatus(source: ManagedIdentitySourceKind, status: number): boolean {
  return source === 'imds' ? IMDS_STATUSES.has(status) || status >= 500 : DEFAULT_STATUSES.has(status)
}

/**
 * How long to wait before sending again, or `undefined` to stop and throw the answer's error.
 *
 * @example
 * ```ts
 * nextRetryDelayMs('imds', { status: 500, retries: 0, retryAfterMs: undefined, now, firstGoneAt: undefined }) // 1000
 * nextRetryDelayMs('imds', { status: 500, retries: 2, retryAfterMs: undefined, now, firstGoneAt: undefined }) // 4000
 * nextRetryDelayMs('app-service', { status: 429, retries: 0, retryAfterMs: 5000, now, firstGoneAt: undefined }) // 5000
 * ```
 */
export function nextRetryDelayMs(source: ManagedIdentitySourceKind, state: RetryState): number | undefined {
  if (!retryableStatus(source, state.status)) return undefined
  if (source === 'imds') return imdsDelayMs(state)
  if (state.retries >= MAX_RETRIES) return undefined
  const wait = Math.max(DEFAULT_DELAY_MS, state.retryAfterMs ?? 0)
  return wait > MAX_RETRY_AFTER_MS ? undefined : wait
}

function imdsDelayMs(state: RetryState): number | undefined {
  if (state.status === 410) {
    const since = state.firstGoneAt ?? state.now
    const within = state.now - since < IMDS_GONE_WINDOW_MS && state.retries < IMDS_GONE_MAX_RETRIES
    return within ? IMDS_GONE_STEP_MS : undefined
  }
  if (state.retries >= MAX_RETRIES) return undefined
  return Math.min(IMDS_MAX_BACKOFF_MS, IMDS_FIRST_BACKOFF_MS * 2 ** state.retries)
}

/**
 * Resolves after `ms`, or rejects with the signal's reason when it aborts first.
 *
 * @example
 * ```ts
 * await abortableSleep(nextRetryDelayMs('imds', state)!, signal)
 * ```
 */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
