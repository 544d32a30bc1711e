/**
 * Properties of the `Retry-After` parser (RFC 9110 §10.2.3, docs/entra.md §9): a wait in ms that is a
 * non-negative safe integer, or nothing.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseRetryAfter } from '../../src/retry.js'
import { anyText } from './arbitraries.js'

/** Clocks from 1970 to 2100. */
const now = fc.integer({ min: 0, max: Date.parse('2100-01-01T00:00:00Z') })

const headerText = fc.oneof(
  anyText(40),
  fc.bigInt({ min: 0n, max: 10n ** 25n }).map(String),
  fc.integer().map(String),
  fc.double().map(String),
  fc.date({ noInvalidDate: true }).map((d) => d.toUTCString()),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom(
    '9007199254740',
    '9007199254741',
    '9007199254740991',
    '9007199254740992',
    '1e3',
    '+5',
    '-0',
    '0x10',
  ),
)

describe('parseRetryAfter', () => {
  it('gives undefined or a non-negative safe integer of ms for any header text, and never throws', () => {
    fc.assert(
      fc.property(fc.option(headerText, { nil: undefined }), now, (value, at) => {
        const ms = parseRetryAfter(value, at)
        if (ms !== undefined) {
          expect(Number.isSafeInteger(ms), `${JSON.stringify(value)} → ${ms}`).toBe(true)
          expect(ms).toBeGreaterThanOrEqual(0)
        }
      }),
      { numRuns: 5000 },
    )
  })

  it('round-trips whole seconds, with or without surrounding spaces', () => {
    const seconds = fc.integer({ min: 0, max: Math.floor(Number.MAX_SAFE_INTEGER / 1000) })
    const pad = fc.constantFrom('', ' ', '  ', '\t')
    fc.assert(
      fc.property(seconds, pad, pad, (n, before, after) => {
        expect(parseRetryAfter(`${before}${n}${after}`, 0)).toBe(n * 1000)
      }),
      { numRuns: 3000 },
    )
  })

  it('reads an HTTP date as the ms until then, and a past date as no wait', () => {
    const when = fc.integer({ min: 0, max: Date.parse('9999-12-31T23:59:59Z') / 1000 }).map((s) => s * 1000)
    fc.assert(
      fc.property(when, now, (at, clock) => {
        const text = new Date(at).toUTCString()
        expect(parseRetryAfter(text, clock)).toBe(Math.max(0, at - clock))
      }),
      { numRuns: 3000 },
    )
  })
})
