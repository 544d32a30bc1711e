/**
 * The fault matrix's IMDS rows as data: what an IMDS on 127.0.0.1 does (a scripted answer once or
 * lasting, a closed port, a port that accepts and never answers) and what `getToken` on
 * `new TokenClient({ managedIdentity: {} })` ends in: the token or the error, the token requests IMDS
 * saw and the waits between them (docs/managed-identity.md §Retries, §Never slow to say no). The
 * fault-matrix-imds test iterates these rows and the README's managed-identity failure table is rendered
 * from them.
 */
import type { Reply } from '../../managed-identity/server.js'

/** What `getToken` ends in. */
export type ImdsOutcome =
  | { kind: 'token' }
  | { kind: 'error'; code: 'ERR_AUTHORITY_REJECTED'; status: number }
  | { kind: 'error'; code: 'ERR_MANAGED_IDENTITY_UNAVAILABLE'; outcome: 'refused' | 'timeout' }

/** One IMDS fault. */
export interface ImdsFaultRow {
  id: string
  label: string
  /** A scripted endpoint (its answers, the last repeating), or a port with no answer at all. */
  endpoint: { kind: 'scripted'; replies: readonly Reply[] } | { kind: 'closed' } | { kind: 'silent' }
  outcome: ImdsOutcome
  /** Token requests IMDS saw (the probe, which has no `Metadata` header, not counted). */
  tokenRequests: number
  /** The waits between them, in ms (IMDS retries ignore `Retry-After`). */
  waitsMs: readonly number[]
}

/** The longest a client may take to say "no managed identity here". */
export const SAY_NO_WITHIN_MS = 1_500

const token: Reply = { body: 'token' } // replaced by a real token body when served
const gone: Reply = { status: 410, body: { error: 'gone', error_description: 'IMDS is upgrading' } }
const throttled: Reply = { status: 429, headers: { 'retry-after': '60' }, body: 'Too Many Requests' }
const failing: Reply = { status: 500, body: { error: 'server_error', error_description: 'internal' } }
const BACKOFF = [1_000, 2_000, 4_000]

/** The rows, in README order. */
export const IMDS_FAULT_ROWS: readonly ImdsFaultRow[] = [
  {
    id: 'imds-410-once',
    label: '410 (IMDS upgrading), once',
    endpoint: { kind: 'scripted', replies: [gone, token] },
    outcome: { kind: 'token' },
    tokenRequests: 2,
    waitsMs: [10_000],
  },
  {
    id: 'imds-410-lasting',
    label: '410 (IMDS upgrading), lasting',
    endpoint: { kind: 'scripted', replies: [gone] },
    outcome: { kind: 'error', code: 'ERR_AUTHORITY_REJECTED', status: 410 },
    tokenRequests: 8,
    waitsMs: Array(7).fill(10_000),
  },
  {
    id: 'imds-429-once',
    label: '429 with `Retry-After: 60`, once',
    endpoint: { kind: 'scripted', replies: [throttled, token] },
    outcome: { kind: 'token' },
    tokenRequests: 2,
    waitsMs: [1_000],
  },
  {
    id: 'imds-429-lasting',
    label: '429 with `Retry-After: 60`, lasting',
    endpoint: { kind: 'scripted', replies: [throttled] },
    outcome: { kind: 'error', code: 'ERR_AUTHORITY_REJECTED', status: 429 },
    tokenRequests: 4,
    waitsMs: BACKOFF,
  },
  {
    id: 'imds-500-once',
    label: '500, once',
    endpoint: { kind: 'scripted', replies: [failing, token] },
    outcome: { kind: 'token' },
    tokenRequests: 2,
    waitsMs: [1_000],
  },
  {
    id: 'imds-500-lasting',
    label: '500, lasting',
    endpoint: { kind: 'scripted', replies: [failing] },
    outcome: { kind: 'error', code: 'ERR_AUTHORITY_REJECTED', status: 500 },
    tokenRequests: 4,
    waitsMs: BACKOFF,
  },
  {
    id: 'imds-closed',
    label: 'closed port (connection refused)',
    endpoint: { kind: 'closed' },
    outcome: { kind: 'error', code: 'ERR_MANAGED_IDENTITY_UNAVAILABLE', outcome: 'refused' },
    tokenRequests: 0,
    waitsMs: [],
  },
  {
    id: 'imds-silent',
    label: 'port that accepts and never answers',
    endpoint: { kind: 'silent' },
    outcome: { kind: 'error', code: 'ERR_MANAGED_IDENTITY_UNAVAILABLE', outcome: 'timeout' },
    tokenRequests: 0,
    waitsMs: [],
  },
]

function seconds(ms: number): string {
  return `${ms / 1000} s`
}

/** What one row promises, in words. */
export function renderImdsOutcome(row: ImdsFaultRow): string {
  const { outcome } = row
  const waited = row.waitsMs.reduce((a, b) => a + b, 0)
  const [first = 0] = row.waitsMs
  const waits =
    row.waitsMs.length === 0
      ? ''
      : row.waitsMs.length === 1
        ? ` after a ${seconds(first)} wait`
        : new Set(row.waitsMs).size === 1
          ? `, ${row.waitsMs.length} waits of ${seconds(first)}: ${seconds(waited)}`
          : `, waits of ${row.waitsMs.map(seconds).join(', ')}`
  const requests = `${row.tokenRequests} token request${row.tokenRequests === 1 ? '' : 's'}`
  if (outcome.kind === 'token') return `token (${requests}${waits})`
  if (outcome.code === 'ERR_AUTHORITY_REJECTED')
    return `\`ERR_AUTHORITY_REJECTED\` ${outcome.status}, retryable (${requests}${waits})`
  return `\`ERR_MANAGED_IDENTITY_UNAVAILABLE\` (${outcome.outcome}) in under ${seconds(SAY_NO_WITHIN_MS)}, no token request, retryable`
}

/** The README table of the IMDS rows. */
export function renderImdsFailureTable(): string {
  const lines = ['| IMDS fault | `getToken` on `new TokenClient({ managedIdentity: {} })` |', '|---|---|']
  for (const row of IMDS_FAULT_ROWS) lines.push(`| ${row.label} | ${renderImdsOutcome(row)} |`)
  return lines.join('\n')
}
