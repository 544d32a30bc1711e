import { describe, expect, it } from 'vitest'
import { TokenVerificationError } from '../../src/errors.js'
import { parseTokenAuthorization, presentedToken, tokenFromInput } from '../../src/verify/header.js'
import { parseAuthorizationHeader } from '../../src/verify/index.js'

const TOKEN = 'eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJ4In0.c2ln-_'

describe('parseAuthorizationHeader', () => {
  it.each(['Bearer', 'bearer', 'BEARER', 'bEaReR'])(
    'reads the token whatever the case of the scheme (%s)',
    (scheme) => {
      expect(parseAuthorizationHeader(`${scheme} ${TOKEN}`)).toEqual({ kind: 'bearer', token: TOKEN })
    },
  )

  it('tolerates leading, trailing and repeated spaces and tabs', () => {
    expect(parseAuthorizationHeader(`  Bearer \t  ${TOKEN}   `)).toEqual({ kind: 'bearer', token: TOKEN })
  })

  it.each([undefined, null, '', '   '])('reports a missing header for %j', (value) => {
    expect(parseAuthorizationHeader(value)).toEqual({ kind: 'missing' })
  })

  it('refuses other schemes, reporting the scheme only', () => {
    expect(parseAuthorizationHeader('Basic dXNlcjpwYXNz')).toEqual({ kind: 'other-scheme', scheme: 'Basic' })
    expect(parseAuthorizationHeader('Bearerx abc')).toEqual({ kind: 'other-scheme', scheme: 'Bearerx' })
  })

  it.each([
    ['no token', 'Bearer'],
    ['two tokens', `Bearer ${TOKEN} ${TOKEN}`],
    ['characters outside token68', 'Bearer ab"c'],
    ['a comma list', 'Bearer a,b'],
  ])('calls a Bearer header with %s invalid', (_, value) => {
    expect(parseAuthorizationHeader(value)).toEqual({ kind: 'invalid' })
  })

  it('accepts a header array of one value and refuses a repeated header', () => {
    expect(parseAuthorizationHeader([`Bearer ${TOKEN}`])).toEqual({ kind: 'bearer', token: TOKEN })
    expect(parseAuthorizationHeader([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`])).toEqual({ kind: 'invalid' })
  })
})

describe('parseTokenAuthorization', () => {
  it.each([
    ['Bearer', 'Bearer'],
    ['dpop', 'DPoP'],
    ['DPOP', 'DPoP'],
    ['mtls_pop', 'mtls_pop'],
    ['MTLS_POP', 'mtls_pop'],
  ])('reads a token under %s as the %s scheme', (written, scheme) => {
    expect(parseTokenAuthorization(`${written} ${TOKEN}`)).toEqual({ kind: 'token', token: TOKEN, scheme })
  })

  it('names the scheme of an invalid header, and refuses other schemes', () => {
    expect(parseTokenAuthorization('DPoP a b')).toEqual({ kind: 'invalid', scheme: 'DPoP' })
    expect(parseTokenAuthorization('Basic dXNlcjpwYXNz')).toEqual({ kind: 'other-scheme', scheme: 'Basic' })
    expect(parseTokenAuthorization(undefined)).toEqual({ kind: 'missing' })
  })

  it('leaves parseAuthorizationHeader reading Bearer only', () => {
    expect(parseAuthorizationHeader(`DPoP ${TOKEN}`)).toEqual({ kind: 'other-scheme', scheme: 'DPoP' })
  })
})

describe('presentedToken', () => {
  it('returns the token with its scheme, or no scheme for a bare token', () => {
    expect(presentedToken(`dpop ${TOKEN}`, {})).toEqual({ token: TOKEN, scheme: 'DPoP' })
    expect(presentedToken(TOKEN, {})).toEqual({ token: TOKEN, scheme: undefined })
  })

  it('refuses a broken DPoP header with a DPoP challenge', () => {
    const error = catchError(() => presentedToken('DPoP a b', {}))
    expect(error.challenge).toBe(
      'DPoP error="invalid_token", error_description="the Authorization header is not \\"DPoP <token>\\""',
    )
  })
})

describe('tokenFromInput', () => {
  it('takes a bare token as it is, and a header through the parser', () => {
    expect(tokenFromInput(TOKEN, {})).toBe(TOKEN)
    expect(tokenFromInput(`Bearer ${TOKEN}`, {})).toBe(TOKEN)
  })

  it('throws malformed with the bare challenge for no token, and invalid_token for a broken Bearer header', () => {
    const missing = catchError(() => tokenFromInput(undefined, { realm: 'api' }))
    const broken = catchError(() => tokenFromInput('Bearer a b', {}))
    expect([missing.reason, missing.challenge]).toEqual(['malformed', 'Bearer realm="api"'])
    expect([broken.reason, broken.challenge]).toEqual([
      'malformed',
      'Bearer error="invalid_token", error_description="the Authorization header is not \\"Bearer <token>\\""',
    ])
  })
})

function catchError(fn: () => unknown): TokenVerificationError {
  try {
    fn()
  } catch (error) {
    if (error instanceof TokenVerificationError) return error
    throw error
  }
  throw new Error('expected a TokenVerificationError')
}
