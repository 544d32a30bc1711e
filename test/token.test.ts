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

  it('copies made with spread, Object.assign, structuredClone or Object.entries leave the token out (issue 13 finding 11)', () => {
    const token = new AccessToken(fields('secret-token-value'))
    expect(token.accessToken).toBe('secret-token-value')
    for (const copy of [
      { ...token },
      Object.assign({}, token),
      structuredClone(token),
      Object.fromEntries(Object.entries(token)),
    ]) {
      expect(JSON.stringify(copy)).not.toContain('secret-token-value')
      expect(inspect(copy, { showHidden: true, depth: 5 })).not.toContain('secret-token-value')
      expect(copy).toMatchObject({ scope: 'api://a/.default', expiresAt: 3_600_001 })
    }
  })

  it('cannot hold a token that is not sendable in a header, and does not print it when it refuses', () => {
    for (const bad of ['a\r\nb', 'a b', 'a\u20acb', '']) {
      let error: unknown
      try {
        new AccessToken(fields(bad))
      } catch (caught) {
        error = caught
      }
      expect(error).toMatchObject({ code: 'ERR_CONFIG_INVALID', path: 'accessToken' })
      if (bad !== '') expect((error as Error).message).not.toContain(bad)
    }
  })
})
