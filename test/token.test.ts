import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { AccessToken } from '../src/token.js'
import { fakeJwt } from './helpers/token-endpoint.js'

const fields = (accessToken: string) => ({
  accessToken,
  requestedAt: 1,
  expiresAt: 3_600_001,
  refreshAt: 3_300_001,
  scope: 'api://a/.default',
  tenant: 'contoso.onmicrosoft.com',
})

describe('AccessToken', () => {
  it('decodes its claims when first read, once, and freezes them', () => {
    const token = new AccessToken(fields(fakeJwt({ roles: ['Admin'], tid: 't' })))
    const claims = token.claims
    expect(claims).toEqual({ roles: ['Admin'], tid: 't' })
    expect(token.claims).toBe(claims)
    expect(Object.isFrozen(claims)).toBe(true)
    expect(Object.isFrozen(token)).toBe(true)
  })

  it('has no claims for an opaque token', () => {
    expect(new AccessToken(fields('opaque')).claims).toBeUndefined()
  })

  it('prints and serialises without the token', () => {
    const token = new AccessToken(fields('secret-token-value'))
    expect(inspect(token, { showHidden: true, depth: 5 })).not.toContain('secret-token-value')
    expect(JSON.stringify(token)).not.toContain('secret-token-value')
  })
})
