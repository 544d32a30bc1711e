/**
 * The documented failure policy, as a function of what one attempt that meets a fault ends in
 * (README "How caching and refresh work", docs/design.md §5, docs/entra.md §9, decisions 0001 and 0003):
 * - a caller who waits gets `http.retries` (2) retries of network errors, timeouts, 429 and 5xx, after
 *   exactly the server's `Retry-After`, else after 0.25–0.5 s, then 0.5–1 s (500 ms doubled, ×0.5–1);
 *   a `Retry-After` over `http.maxRetryDelayMs` (60 s) is thrown at once with `retryAfterMs`;
 *   anything else is thrown at once;
 * - a background refresh makes one attempt per backoff step: 1 s, 2 s … (×0.5–1), or the server's
 *   `Retry-After` when longer; the cached token stays in service and nothing is thrown;
 * - a forced refresh is a caller who waits; 1,000 concurrent cold callers share one caller's request;
 * - a failed request caches nothing.
 * The numbers are the documented ones, written out rather than imported from src/, so that the tests
 * check the code against the documentation.
 */
import type { TransportFailure } from '../../../src/index.js'
import type { FaultInput } from '../../../src/testing/index.js'
import type { RedirectFault } from './redirecting.js'

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

/** A fault as the matrix queues it for one app (the tests add `clientId`, `route` and `times`). */
export type FaultSpec = DistributiveOmit<FaultInput, 'times' | 'route' | 'clientId'>

/** A fault of the authority, or a redirect answer the rig makes (redirecting.ts). */
export type MatrixFault = FaultSpec | RedirectFault

/** A span of time, in ms (`minMs === maxMs` for an exact time). */
export interface Range {
  readonly minMs: number
  readonly maxMs: number
}

/** The error a caller gets: its `code` and the fields that say why. */
export type ExpectedError =
  | {
      readonly code: 'ERR_AUTHORITY_REJECTED'
      readonly status: number
      readonly error: string | undefined
      readonly aadstsCodes: readonly number[]
      readonly retryAfterMs: number | undefined
    }
  | { readonly code: 'ERR_TOKEN_REQUEST_FAILED'; readonly reason: TransportFailure }
  | { readonly code: 'ERR_TOKEN_RESPONSE_INVALID'; readonly field: string; readonly status: number }

/** What one attempt that meets the fault ends in. */
export type Answer =
  /** The answer is a usable token after all. */
  | { readonly kind: 'accepted' }
  /** An error that a caller who waits retries. */
  | { readonly kind: 'retried'; readonly error: ExpectedError }
  /** An error thrown at once, never retried. */
  | { readonly kind: 'thrown'; readonly error: ExpectedError }

/** One row of the matrix. */
export interface FaultRow {
  /** A short stable id (test names, app display names). */
  readonly id: string
  /** The fault as the README table names it (markdown). */
  readonly label: string
  readonly fault: MatrixFault
  /** Client settings this row needs (e.g. a short timeout). */
  readonly http?: { readonly timeoutMs: number }
  readonly answer: Answer
}

/** The client's `http.retries` in the matrix (the default). */
export const RETRIES = 2
/** Attempts that meet the fault in the background situation (one per backoff step) before it clears. */
export const BACKGROUND_FAILURES = 2
/** How many callers the crowd situation starts at once. */
export const CROWD = 1000

const RETRY_BASE_MS = 500
const REFRESH_BACKOFF_MS = 1000

/** The four situations, in README column order. */
export const SITUATIONS = [
  { id: 'cold', heading: '(a) cold cache' },
  { id: 'background', heading: '(b) background refresh' },
  { id: 'forced', heading: '(c) forced refresh' },
  { id: 'crowd', heading: `(d) ${CROWD.toLocaleString('en-US')} cold callers` },
] as const
export type Situation = (typeof SITUATIONS)[number]['id']

/** What a caller who waits gets. */
export type CallerResult =
  | { readonly gets: 'token'; readonly requests: number; readonly retries: number; readonly waitedMs: Range }
  | {
      readonly gets: 'error'
      readonly requests: number
      readonly retries: number
      readonly waitedMs: Range
      readonly error: ExpectedError
    }

/** A caller who waits: the fault once, and (for retried faults) a fault that lasts every attempt. */
export interface WaitingOutcome {
  readonly once: CallerResult
  readonly lasting?: CallerResult
}

/** A background refresh: attempts that fail, the backoff before each next attempt, requests in all. */
export interface BackgroundOutcome {
  readonly failedAttempts: number
  readonly backoff: readonly Range[]
  /** Requests from the first refresh attempt to the good answer. */
  readonly requests: number
}

export interface Outcomes {
  readonly cold: WaitingOutcome
  readonly background: BackgroundOutcome
  readonly forced: WaitingOutcome
  readonly crowd: WaitingOutcome
}

/** What each situation documents for `row`. */
export function outcomesOf(row: FaultRow): Outcomes {
  const waiting = waitingOutcome(row.answer)
  return { cold: waiting, background: backgroundOutcome(row.answer), forced: waiting, crowd: waiting }
}

function waitingOutcome(answer: Answer): WaitingOutcome {
  const none: Range = { minMs: 0, maxMs: 0 }
  if (answer.kind === 'accepted') return { once: { gets: 'token', requests: 1, retries: 0, waitedMs: none } }
  if (answer.kind === 'thrown') {
    return { once: { gets: 'error', requests: 1, retries: 0, waitedMs: none, error: answer.error } }
  }
  const waits = Array.from({ length: RETRIES }, (_, attempt) => retryWait(attempt, answer.error))
  return {
    once: { gets: 'token', requests: 2, retries: 1, waitedMs: sum(waits.slice(0, 1)) },
    lasting: {
      gets: 'error',
      requests: 1 + RETRIES,
      retries: RETRIES,
      waitedMs: sum(waits),
      error: answer.error,
    },
  }
}

function backgroundOutcome(answer: Answer): BackgroundOutcome {
  if (answer.kind === 'accepted') return { failedAttempts: 0, backoff: [], requests: 1 }
  const retryAfterMs = answer.error.code === 'ERR_AUTHORITY_REJECTED' ? (answer.error.retryAfterMs ?? 0) : 0
  const backoff = Array.from({ length: BACKGROUND_FAILURES }, (_, failure) => {
    const step = REFRESH_BACKOFF_MS * 2 ** failure
    return { minMs: Math.max(step / 2, retryAfterMs), maxMs: Math.max(step, retryAfterMs) }
  })
  return { failedAttempts: BACKGROUND_FAILURES, backoff, requests: BACKGROUND_FAILURES + 1 }
}

/** The wait before retry `attempt + 1` of a caller who waits. */
function retryWait(attempt: number, error: ExpectedError): Range {
  const retryAfterMs = error.code === 'ERR_AUTHORITY_REJECTED' ? error.retryAfterMs : undefined
  if (retryAfterMs !== undefined) return { minMs: retryAfterMs, maxMs: retryAfterMs }
  const step = RETRY_BASE_MS * 2 ** attempt
  return { minMs: step / 2, maxMs: step }
}

function sum(ranges: readonly Range[]): Range {
  return ranges.reduce((a, b) => ({ minMs: a.minMs + b.minMs, maxMs: a.maxMs + b.maxMs }), {
    minMs: 0,
    maxMs: 0,
  })
}
