/**
 * The fault matrix as data. Each row names a fault the local authority injects and what ONE attempt
 * that meets it ends in; `outcomesOf(row)` derives, from the documented policy, what a caller sees in
 * each situation. The fault-matrix tests iterate exactly this data, and `renderFailureTable()` renders
 * it for the README's "Failure behaviour" section: the table cannot promise what the tests do not check.
 *
 * The policy, as documented (README "How caching and refresh work", DESIGN §5, ENTRA §9, decisions
 * 0001 and 0003):
 * - a caller who waits gets `http.retries` (2) retries of network errors, timeouts, 429 and 5xx, after
 *   exactly the server's `Retry-After`, else after 0.25–0.5 s, then 0.5–1 s (500 ms doubled, ×0.5–1);
 *   a `Retry-After` over `http.maxRetryDelayMs` (60 s) is thrown at once with `retryAfterMs`;
 *   anything else is thrown at once;
 * - a background refresh makes one attempt per backoff step: 1 s, 2 s … (×0.5–1), or the server's
 *   `Retry-After` when longer; the cached token stays in service and nothing is thrown;
 * - a forced refresh is a caller who waits; 1,000 concurrent cold callers share one caller's request;
 * - a failed request caches nothing.
 *
 * Only type imports: `node -e "import('./test/e2e/matrix/expectations.ts').then((m) =>
 * console.log(m.renderFailureTable()))"` prints the table (Node 24 strips the types).
 */
import type { TransportFailure } from '../../../src/index.js'
import type { FaultInput } from '../../../src/testing/index.js'

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

/** A fault as the matrix queues it for one app (the tests add `clientId`, `route` and `times`). */
export type FaultSpec = DistributiveOmit<FaultInput, 'times' | 'route' | 'clientId'>

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
  readonly fault: FaultSpec
  /** Client settings this row needs (e.g. a short timeout). */
  readonly http?: { readonly timeoutMs: number }
  readonly answer: Answer
}

/** The client's `http.retries` in the matrix (the default). */
export const RETRIES = 2
/** The token lifetime the local authority issues (`expires_in` 3599). */
export const TOKEN_LIFETIME_MS = 3_599_000
/** `http.timeoutMs` of the latency row, and how late its answer comes. */
export const SHORT_TIMEOUT_MS = 200
export const LATE_ANSWER_MS = 400
/** Attempts that meet the fault in the background situation (one per backoff step) before it clears. */
export const BACKGROUND_FAILURES = 2
/** How many callers the crowd situation starts at once. */
export const CROWD = 1000

const RETRY_BASE_MS = 500
const REFRESH_BACKOFF_MS = 1000

const throttled = (retryAfterMs: number | undefined): ExpectedError => ({
  code: 'ERR_AUTHORITY_REJECTED',
  status: 429,
  error: undefined,
  aadstsCodes: [],
  retryAfterMs,
})
const badExpiresIn: Answer = {
  kind: 'thrown',
  error: { code: 'ERR_TOKEN_RESPONSE_INVALID', field: 'expires_in', status: 200 },
}

/** The faults, in README order. */
export const FAULT_ROWS: readonly FaultRow[] = [
  {
    id: '429-retry-after-1',
    label: '429 with `Retry-After: 1`',
    fault: { kind: 'status429', retryAfter: 1 },
    answer: { kind: 'retried', error: throttled(1000) },
  },
  {
    id: '429',
    label: '429 without `Retry-After`',
    fault: { kind: 'status429' },
    answer: { kind: 'retried', error: throttled(undefined) },
  },
  {
    id: '429-retry-after-120',
    label: '429 with `Retry-After: 120` (over `http.maxRetryDelayMs`)',
    fault: { kind: 'status429', retryAfter: 120 },
    answer: { kind: 'thrown', error: throttled(120_000) },
  },
  {
    id: '500',
    label: '500 `server_error` (AADSTS50000)',
    fault: { kind: 'status500' },
    answer: {
      kind: 'retried',
      error: {
        code: 'ERR_AUTHORITY_REJECTED',
        status: 500,
        error: 'server_error',
        aadstsCodes: [50000],
        retryAfterMs: undefined,
      },
    },
  },
  {
    id: '503',
    label: '503 `temporarily_unavailable` (AADSTS90033)',
    fault: { kind: 'status503' },
    answer: {
      kind: 'retried',
      error: {
        code: 'ERR_AUTHORITY_REJECTED',
        status: 503,
        error: 'temporarily_unavailable',
        aadstsCodes: [90033],
        retryAfterMs: undefined,
      },
    },
  },
  {
    id: 'latency',
    label: `answer ${LATE_ANSWER_MS} ms late (\`http.timeoutMs\` ${SHORT_TIMEOUT_MS})`,
    fault: { kind: 'latency', ms: LATE_ANSWER_MS },
    http: { timeoutMs: SHORT_TIMEOUT_MS },
    answer: { kind: 'retried', error: { code: 'ERR_TOKEN_REQUEST_FAILED', reason: 'timeout' } },
  },
  {
    id: 'drop',
    label: 'connection dropped, no answer',
    fault: { kind: 'drop' },
    answer: { kind: 'retried', error: { code: 'ERR_TOKEN_REQUEST_FAILED', reason: 'network' } },
  },
  {
    id: 'html',
    label: 'HTML page (502 Bad Gateway)',
    fault: { kind: 'html' },
    answer: {
      kind: 'retried',
      error: {
        code: 'ERR_AUTHORITY_REJECTED',
        status: 502,
        error: undefined,
        aadstsCodes: [],
        retryAfterMs: undefined,
      },
    },
  },
  {
    id: 'truncated',
    label: 'truncated JSON (200, half the body)',
    fault: { kind: 'truncated' },
    answer: { kind: 'thrown', error: { code: 'ERR_TOKEN_RESPONSE_INVALID', field: 'body', status: 200 } },
  },
  {
    id: 'oversized',
    label: 'oversized body (2 MiB, over `http.maxResponseBytes`)',
    fault: { kind: 'oversized', bytes: 2 * 1024 * 1024 },
    answer: { kind: 'thrown', error: { code: 'ERR_TOKEN_REQUEST_FAILED', reason: 'body_too_large' } },
  },
  {
    id: 'wrong-content-type',
    label: 'token answer labelled `text/html`',
    fault: { kind: 'wrongContentType' },
    answer: { kind: 'accepted' },
  },
  {
    id: 'error-in-200',
    label: '200 carrying `error` `server_error` (AADSTS50000)',
    fault: { kind: 'errorIn200' },
    answer: {
      kind: 'retried',
      error: {
        code: 'ERR_AUTHORITY_REJECTED',
        status: 200,
        error: 'server_error',
        aadstsCodes: [50000],
        retryAfterMs: undefined,
      },
    },
  },
  {
    id: 'expires-in-0',
    label: '`expires_in` 0',
    fault: { kind: 'expiresIn', value: 0 },
    answer: badExpiresIn,
  },
  {
    id: 'expires-in-negative',
    label: '`expires_in` −3600',
    fault: { kind: 'expiresIn', value: -3600 },
    answer: badExpiresIn,
  },
  {
    id: 'expires-in-huge',
    label: '`expires_in` 10¹⁰ (317 years)',
    fault: { kind: 'expiresIn', value: 1e10 },
    answer: badExpiresIn,
  },
  {
    id: 'expires-in-letters',
    label: '`expires_in` `"abc"`',
    fault: { kind: 'expiresIn', value: 'abc' },
    answer: badExpiresIn,
  },
]

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

// ---------------------------------------------------------------------------------------------------
// Rendering

/** The README's "Failure behaviour" table: rows = faults, columns = situations. */
export function renderFailureTable(): string {
  const header = `| fault | ${SITUATIONS.map((s) => s.heading).join(' | ')} |`
  const rule = `|${'---|'.repeat(SITUATIONS.length + 1)}`
  const rows = FAULT_ROWS.map((row) => {
    const cells = SITUATIONS.map((s) => renderCell(row, s.id))
    return `| ${row.label} | ${cells.join(' | ')} |`
  })
  return [header, rule, ...rows].join('\n')
}

/** One cell of the table: the outcome and the requests the authority sees. */
export function renderCell(row: FaultRow, situation: Situation): string {
  const outcomes = outcomesOf(row)
  switch (situation) {
    case 'background':
      return renderBackground(outcomes.background)
    case 'cold':
    case 'forced':
    case 'crowd':
      return renderWaiting(outcomes[situation], PHRASES[situation])
  }
}

interface Phrases {
  token(result: CallerResult): string
  error(error: string, result: CallerResult): string
}

const coldPhrases: Phrases = {
  token: (r) => `token${retriedAfter(r)} (${requests(r.requests)})`,
  error: (e, r) => `${e}${retriesDone(r)} (${requests(r.requests)}), nothing cached`,
}
const forcedPhrases: Phrases = {
  token: (r) => `new token${retriedAfter(r)} (${requests(r.requests)})`,
  error: (e, r) => `${e}${retriesDone(r)} (${requests(r.requests)}); the cached token stays`,
}
const crowdPhrases: Phrases = {
  token: (r) => `all get one token${retriedAfter(r)} (${requests(r.requests)})`,
  error: (e, r) => `all get one ${e}${retriesDone(r)} (${requests(r.requests)}), nothing cached`,
}

const PHRASES: Record<Exclude<Situation, 'background'>, Phrases> = {
  cold: coldPhrases,
  forced: forcedPhrases,
  crowd: crowdPhrases,
}

function renderWaiting(outcome: WaitingOutcome, phrases: Phrases): string {
  const once = renderPhrase(outcome.once, phrases)
  return outcome.lasting === undefined ? once : `${once}; lasting: ${renderPhrase(outcome.lasting, phrases)}`
}

/** What a caller who waits gets, as a cell says it (test names use it too). */
export function renderResult(situation: Exclude<Situation, 'background'>, result: CallerResult): string {
  return renderPhrase(result, PHRASES[situation])
}

function renderPhrase(result: CallerResult, phrases: Phrases): string {
  return result.gets === 'token' ? phrases.token(result) : phrases.error(renderError(result.error), result)
}

/** What a background refresh does, as a cell says it. */
export function renderBackground(outcome: BackgroundOutcome): string {
  if (outcome.failedAttempts === 0) {
    return `cached token served; the refreshed token replaces it (${requests(outcome.requests)})`
  }
  const steps = outcome.backoff.map(renderRange).join(', then ')
  return (
    `cached token served, nothing thrown; 1 request per backoff step (${steps}), ` +
    `then the good answer is cached (${requests(outcome.requests)})`
  )
}

/** `` `ERR_AUTHORITY_REJECTED` 503 `temporarily_unavailable` ``, `` `ERR_TOKEN_REQUEST_FAILED` `timeout` ``… */
export function renderError(error: ExpectedError): string {
  switch (error.code) {
    case 'ERR_AUTHORITY_REJECTED': {
      const oauth = error.error === undefined ? '' : ` \`${error.error}\``
      const wait = error.retryAfterMs === undefined ? '' : ` with \`retryAfterMs\` ${error.retryAfterMs}`
      return `\`${error.code}\` ${error.status}${oauth}${wait}`
    }
    case 'ERR_TOKEN_REQUEST_FAILED':
      return `\`${error.code}\` \`${error.reason}\``
    case 'ERR_TOKEN_RESPONSE_INVALID':
      return `\`${error.code}\` \`${error.field}\``
  }
}

function retriedAfter(result: CallerResult): string {
  if (result.retries === 0) return ''
  return ` after ${retries(result.retries)}, ${renderRange(result.waitedMs)} later`
}

function retriesDone(result: CallerResult): string {
  return result.retries === 0 ? '' : ` after ${retries(result.retries)}`
}

function renderRange(range: Range): string {
  const seconds = (ms: number) => String(Math.round(ms) / 1000)
  return range.minMs === range.maxMs
    ? `${seconds(range.minMs)} s`
    : `${seconds(range.minMs)}–${seconds(range.maxMs)} s`
}

const requests = (n: number) => (n === 1 ? '1 request' : `${n} requests`)
const retries = (n: number) => (n === 1 ? '1 retry' : `${n} retries`)
