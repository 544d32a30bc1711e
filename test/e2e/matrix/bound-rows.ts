/**
 * The fault matrix's sender-constrained rows as data (docs/sender-constrained.md §6, §7): what the local
 * authority does to a DPoP or an mTLS PoP client (a nonce challenge once or forever, a proof it refuses,
 * a certificate not registered on the app) and what `getToken` ends in, for one caller and for 1,000
 * concurrent cold callers: the token or the typed error, and the token requests the authority saw. The
 * fault-matrix-bound test iterates these rows and the README's sender-constrained failure table is
 * rendered from them: a challenge storm costs two requests, a refusal one, whatever the callers.
 */
import type { FaultSpec } from './policy.js'

/** The client a row drives, and what the authority is told before the call. */
export type BoundSetup =
  /** `dpop: true` on a generic client; the app registered as requiring DPoP (`dpop: { nonce }`). */
  | { kind: 'dpop'; nonce: boolean; fault?: FaultSpec; clockBehindMs?: number }
  /** `mtlsProofOfPossession: true` on an Entra client presenting a certificate not registered on the app. */
  | { kind: 'mtlsPopUnregistered' }

/** What `getToken` ends in. */
export type BoundOutcome =
  | { kind: 'token'; tokenType: 'DPoP' | 'mtls_pop' }
  | {
      kind: 'error'
      code: 'ERR_AUTHORITY_REJECTED'
      status: number
      error: string
      aadstsCodes: readonly number[]
    }

/** One sender-constrained fault. */
export interface BoundFaultRow {
  id: string
  label: string
  setup: BoundSetup
  outcome: BoundOutcome
  /** Token requests the authority saw, for one caller and for the crowd alike. */
  requests: number
}

/** How far behind the clock of the `invalid_dpop_proof` row's client is (the authority allows 300 s). */
export const CLOCK_BEHIND_MS = 10 * 60_000

/** The rows, in README order. */
export const BOUND_FAULT_ROWS: readonly BoundFaultRow[] = [
  {
    id: 'dpop-nonce-once',
    label: 'DPoP: `use_dpop_nonce` challenge (a client registered with `dpop: { nonce: true }`)',
    setup: { kind: 'dpop', nonce: true },
    outcome: { kind: 'token', tokenType: 'DPoP' },
    requests: 2,
  },
  {
    id: 'dpop-nonce-lasting',
    label: 'DPoP: `use_dpop_nonce` with a new nonce on every answer, lasting',
    setup: { kind: 'dpop', nonce: false, fault: { kind: 'useDpopNonce' } },
    outcome: {
      kind: 'error',
      code: 'ERR_AUTHORITY_REJECTED',
      status: 400,
      error: 'use_dpop_nonce',
      aadstsCodes: [],
    },
    requests: 2,
  },
  {
    id: 'dpop-invalid-proof',
    label: "DPoP: `invalid_dpop_proof` (the client's clock 10 min behind: the proof's `iat` too old)",
    setup: { kind: 'dpop', nonce: false, clockBehindMs: CLOCK_BEHIND_MS },
    outcome: {
      kind: 'error',
      code: 'ERR_AUTHORITY_REJECTED',
      status: 400,
      error: 'invalid_dpop_proof',
      aadstsCodes: [],
    },
    requests: 1,
  },
  {
    id: 'mtls-pop-unregistered',
    label: 'mTLS PoP: a client certificate not registered on the app (AADSTS700027)',
    setup: { kind: 'mtlsPopUnregistered' },
    outcome: {
      kind: 'error',
      code: 'ERR_AUTHORITY_REJECTED',
      status: 401,
      error: 'invalid_client',
      aadstsCodes: [700027],
    },
    // the credential is read again once and the request sent once more (README "Rotation without
    // restarts"); the second refusal is the error: two requests, never a storm
    requests: 2,
  },
]

/** What one row promises, in words (`crowd`: for 1,000 concurrent cold callers). */
export function renderBoundOutcome(row: BoundFaultRow, crowd: boolean): string {
  const requests = `${row.requests} token request${row.requests === 1 ? '' : 's'}`
  const { outcome } = row
  if (outcome.kind === 'token') {
    const what = `\`${outcome.tokenType}\` token`
    return crowd ? `all get one ${what} (${requests})` : `a ${what} (${requests})`
  }
  const codes = outcome.aadstsCodes.length === 0 ? '' : ` AADSTS${outcome.aadstsCodes.join(', ')}`
  const error = `\`${outcome.code}\` ${outcome.status} \`${outcome.error}\`${codes}`
  return crowd
    ? `all get one ${error} (${requests}), nothing cached`
    : `${error} (${requests}), nothing cached`
}

/** The README table of the sender-constrained rows. */
export function renderBoundFailureTable(): string {
  const lines = ['| sender-constrained fault | (a) cold cache | (d) 1,000 cold callers |', '|---|---|---|']
  for (const row of BOUND_FAULT_ROWS) {
    lines.push(`| ${row.label} | ${renderBoundOutcome(row, false)} | ${renderBoundOutcome(row, true)} |`)
  }
  return lines.join('\n')
}
