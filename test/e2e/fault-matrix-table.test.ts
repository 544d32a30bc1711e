/**
 * The fault matrix's table (README "Failure behaviour") is rendered from the rows the fault-matrix
 * tests iterate; these tests pin its coverage and shape.
 */
import { describe, expect, it } from 'vitest'
import type { FaultKind } from '../../src/testing/index.js'
import { BOUND_FAULT_ROWS } from './matrix/bound-rows.js'
import { FAULT_ROWS, renderCell, renderFailureTable } from './matrix/expectations.js'
import { SITUATIONS } from './matrix/policy.js'

/** Every fault kind of the local authority (the type makes this list complete). */
const FAULT_KINDS: Record<FaultKind, true> = {
  status429: true,
  status503: true,
  status500: true,
  status410: true,
  latency: true,
  drop: true,
  html: true,
  truncated: true,
  oversized: true,
  wrongContentType: true,
  errorIn200: true,
  expiresIn: true,
  useDpopNonce: true,
}

describe('the fault matrix table', () => {
  it('has a row for every fault kind the local authority injects (the DPoP ones in the sender-constrained rows)', () => {
    const bound = BOUND_FAULT_ROWS.flatMap((row) =>
      row.setup.kind === 'dpop' && row.setup.fault !== undefined ? [row.setup.fault] : [],
    )
    const faults = [...FAULT_ROWS.map((row) => row.fault), ...bound]
    const covered = new Set(faults.map((fault) => fault.kind).filter((kind) => kind in FAULT_KINDS))
    expect([...covered].sort()).toEqual(Object.keys(FAULT_KINDS).sort())
  })

  it('has a row for a redirect from the token endpoint, which the dispatcher would follow (issue 13)', () => {
    expect(FAULT_ROWS.map((row) => row.fault)).toContainEqual({ kind: 'redirect', status: 307 })
  })

  it('covers 429 with and without Retry-After, and expires_in of 0, negative, huge and letters', () => {
    const faults = FAULT_ROWS.map((row) => row.fault)
    expect(faults).toContainEqual({ kind: 'status429', retryAfter: 1 })
    expect(faults).toContainEqual({ kind: 'status429' })
    const values = faults.flatMap((f) => (f.kind === 'expiresIn' ? [f.value] : []))
    expect(values).toContain(0)
    expect(values.some((v) => typeof v === 'number' && v < 0)).toBe(true)
    expect(values.some((v) => typeof v === 'number' && v > 365 * 24 * 3600)).toBe(true)
    expect(values.some((v) => typeof v === 'string' && /^[a-z]+$/i.test(v))).toBe(true)
  })

  it('gives every row a unique id and label', () => {
    expect(new Set(FAULT_ROWS.map((row) => row.id)).size).toBe(FAULT_ROWS.length)
    expect(new Set(FAULT_ROWS.map((row) => row.label)).size).toBe(FAULT_ROWS.length)
  })

  it('renders a header, a rule and one line per fault, with a cell for each situation', () => {
    const lines = renderFailureTable().split('\n')
    expect(lines).toHaveLength(2 + FAULT_ROWS.length)
    expect(lines[0]).toBe(`| fault | ${SITUATIONS.map((s) => s.heading).join(' | ')} |`)
    for (const [index, row] of FAULT_ROWS.entries()) {
      const cells = SITUATIONS.map((s) => renderCell(row, s.id))
      for (const cell of [row.label, ...cells]) expect(cell).not.toMatch(/[|\n]/)
      expect(lines[index + 2]).toBe(`| ${row.label} | ${cells.join(' | ')} |`)
    }
  })

  it('says what each situation does with a retried, a thrown and an accepted fault', () => {
    const row = (id: string) => FAULT_ROWS.find((r) => r.id === id)!
    expect(renderCell(row('429-retry-after-1'), 'cold')).toBe(
      'token after 1 retry, 1 s later (2 requests); lasting: `ERR_AUTHORITY_REJECTED` 429 with ' +
        '`retryAfterMs` 1000 after 2 retries (3 requests), nothing cached',
    )
    expect(renderCell(row('503'), 'background')).toBe(
      'cached token served, nothing thrown; 1 request per backoff step (0.5–1 s, then 1–2 s), ' +
        'then the good answer is cached (3 requests)',
    )
    expect(renderCell(row('expires-in-letters'), 'forced')).toBe(
      '`ERR_TOKEN_RESPONSE_INVALID` `expires_in` (1 request); the cached token stays',
    )
    expect(renderCell(row('wrong-content-type'), 'crowd')).toBe('all get one token (1 request)')
  })
})
