/**
 * The fault matrix as data: each row names a fault the local authority injects and what ONE attempt
 * that meets it ends in; `outcomesOf(row)` (policy.ts) derives what a caller sees in each situation.
 * The fault-matrix tests iterate exactly these rows, and `renderFailureTable()` renders them for the
 * README's "Failure behaviour" section: the table cannot promise what the tests do not check.
 */
import {
  type Answer,
  type BackgroundOutcome,
  type CallerResult,
  type ExpectedError,
  type FaultRow,
  outcomesOf,
  type Range,
  SITUATIONS,
  type Situation,
  type WaitingOutcome,
} from './policy.js'

/** `http.timeoutMs` of the latency row, and how late its answer comes. */
export const SHORT_TIMEOUT_MS = 200
export const LATE_ANSWER_MS = 400

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
    // IMDS's answer while it is being upgraded (the managed-identity source retries it for 70 s); a
    // token endpoint never sends it, and the client does not retry it there
    id: '410',
    label: '410 `Gone` (what IMDS answers while upgrading)',
    fault: { kind: 'status410' },
    answer: {
      kind: 'thrown',
      error: {
        code: 'ERR_AUTHORITY_REJECTED',
        status: 410,
        error: undefined,
        aadstsCodes: [],
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
    // the rig's dispatcher follows redirects; the token request reaches the authority and its answer is
    // replaced by the redirect (redirecting.ts): nothing may reach the redirect target (issue 13)
    id: 'redirect-307',
    label: '307 to another host over http (the dispatcher follows redirects)',
    fault: { kind: 'redirect', status: 307 },
    answer: { kind: 'thrown', error: { code: 'ERR_TOKEN_REQUEST_FAILED', reason: 'redirect' } },
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
    // A lifetime inside the 30 s clock-skew margin: the cache never hands such a token out (docs/design.md §5,
    // README "How caching and refresh work"), so it is no usable token and must not be cached.
    // FAILS TODAY — a bug, reported with issue 7's fault matrix: the client hands the 20 s token to the
    // waiting callers and caches it; a background refresh puts it in place of a cached token that still
    // had 270 s to serve, so the next caller waits on the network; a server that keeps answering 20 s
    // costs one request per call (the cache never hits). Proposed fix: src/response.ts refuses
    // `expires_in` ≤ 30 s as it refuses a lifetime over a year.
    id: 'expires-in-20',
    label: '`expires_in` 20 (inside the 30 s skew margin)',
    fault: { kind: 'expiresIn', value: 20 },
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
