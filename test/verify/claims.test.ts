import { describe, expect, it } from 'vitest'
import { checkAlgorithm, checkAudience, checkIssuer, checkLifetime } from '../../src/verify/claims.js'

const NOW_MS = Date.UTC(2025, 0, 15, 12, 0, 0)
const now = NOW_MS / 1000

describe('checkAlgorithm', () => {
  it('accepts an allowed alg, and names a missing or odd one in the refusal', () => {
    expect(checkAlgorithm('RS256', ['RS256'])).toBeUndefined()
    expect(checkAlgorithm(undefined, ['RS256'])?.description).toBe('alg missing is not accepted')
    expect(checkAlgorithm(['RS256'], ['RS256'])?.description).toBe('alg ["RS256"] is not accepted')
    expect(checkAlgorithm('None', ['RS256'])?.description).toBe('unsigned tokens (alg none) are not accepted')
  })
})

describe('checkIssuer', () => {
  it('refuses a token without a string iss as malformed', () => {
    expect(checkIssuer({ iss: 42 }, ['https://sts.windows.net/t/'], '1.0')).toEqual({
      reason: 'malformed',
      description: 'token has no iss claim',
    })
  })
})

describe('checkAudience', () => {
  it('accepts an array aud holding an accepted audience among others', () => {
    expect(checkAudience({ aud: [7, 'api://other', 'api://orders'] }, ['api://orders'])).toBeUndefined()
  })

  it('refuses an empty or non-string aud as malformed, and an array without an accepted one as audience', () => {
    expect(checkAudience({ aud: [] }, ['api://orders'])?.reason).toBe('malformed')
    expect(checkAudience({ aud: 42 }, ['api://orders'])?.reason).toBe('malformed')
    expect(checkAudience({ aud: ['api://a', 'api://b'] }, ['api://orders'])?.description).toBe(
      'audience ["api://a","api://b"] is not accepted',
    )
  })
})

describe('checkLifetime', () => {
  it('refuses an nbf that is not a finite number as malformed', () => {
    for (const nbf of ['1700000000', Number.POSITIVE_INFINITY, null]) {
      expect(checkLifetime({ exp: now + 600, nbf }, NOW_MS, 300)).toEqual({
        reason: 'malformed',
        description: 'nbf claim is not a number',
      })
    }
  })

  it('names an expiry too far from the epoch for a date by its number', () => {
    expect(checkLifetime({ exp: -1e16 }, NOW_MS, 300)).toEqual({
      reason: 'expired',
      description: 'token expired at -10000000000000000',
    })
  })

  it('accepts a token whose nbf is within the tolerance', () => {
    expect(checkLifetime({ exp: now + 600, nbf: now + 299 }, NOW_MS, 300)).toBeUndefined()
  })
})
