import { describe, expect, it } from 'vitest'
import { decodeClaims } from '../src/claims.js'
import { fakeJwt } from './helpers/token-endpoint.js'

describe('decodeClaims', () => {
  it('decodes the payload of a JWT without verifying it', () => {
    const claims = decodeClaims(
      fakeJwt({ aud: 'api://myapis/mywebapi', roles: ['Admin'], ver: '1.0', exp: 1 }),
    )
    expect(claims).toEqual({ aud: 'api://myapis/mywebapi', roles: ['Admin'], ver: '1.0', exp: 1 })
  })

  it.each([
    ['an opaque token', 'opaque-token-value'],
    ['two parts', 'a.b'],
    ['a payload that is not JSON', `x.${Buffer.from('not json').toString('base64url')}.y`],
    ['a payload that is an array', `x.${Buffer.from('[1]').toString('base64url')}.y`],
    ['a payload with invalid characters', 'x.a+b/c.y'],
  ])('returns undefined for %s', (_, token) => {
    expect(decodeClaims(token)).toBeUndefined()
  })
})
