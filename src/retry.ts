/**
 * Which failures are retried, how long to wait, and `Retry-After` parsing (docs/entra.md §9).
 */
import { AuthorityError, ClientCredentialsError, TransportError } from './errors.js'

/** First backoff step, doubled at each attempt. */
export const BASE_BACKOFF_MS = 500
/** The largest backoff step without a server-named time. */
export const MAX_BACKOFF_MS = 30_000

const DELAY_SECONDS = /^\d+$/

/**
 * The wait a `Retry-After` value asks for, in ms: whole seconds, or an HTTP date (relative to `now`).
 * `undefined` when the header is absent or not valid.
 *
 * @example
 * ```ts
 * parseRetryAfter('2', Date.now())                               // 2000
 * parseRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT', Date.now())   // ms until then, ≥ 0
 * ```
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined
  const text = value.trim()
  if (DELAY_SECONDS.test(text)) {
    const ms = Number(text) * 1000
    return Number.isSafeInteger(ms) ? ms : undefined
  }
  if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(text)) return undefined
  const at = Date.parse(text)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

/**
 * Whether a failed token request may be sent again: network failures, timeouts, 429 and 5xx answers.
 * Configuration errors (`invalid_client`, `invalid_scope`, …) never are.
 */
export function isRetryable(error: unknown): boolean {
  if (error instanceof TransportError) return error.reason === 'timeout' || error.reason === 'network'
  if (error instanceof ClientCredentialsError) return error.retryable
  return false
}

/**
 * How long to wait before attempt `attempt + 1` (attempt counts from 0): the server's `Retry-After`
 * when it named one (no jitter), otherwise exponential backoff with jitter (50–100 % of the step).
 *
 * @example
 * ```ts
 * retryDelayMs(0, undefined, Math.random) // 250–500
 * retryDelayMs(3, 2000, Math.random)      // 2000
 * ```
 */
export function retryDelayMs(
  attempt: number,
  retryAfterMs: number | undefined,
  random: () => number,
): number {
  if (retryAfterMs !== undefined) return retryAfterMs
  const step = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** attempt)
  return Math.round(step * (0.5 + random() / 2))
}

/** The server-named wait carried by an error, if any. */
export function retryAfterOf(error: unknown): number | undefined {
  return error instanceof AuthorityError ? error.retryAfterMs : undefined
}

/**
 * Resolves after `ms`; the timer does not keep the process alive unless `keepAlive`. When `signal`
 * aborts, the timer is cleared and the promise rejects with the signal's reason.
 */
export function sleep(ms: number, keepAlive = true, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason)
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    if (!keepAlive) timer.unref()
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
