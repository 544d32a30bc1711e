import { describe, expect, it } from 'vitest'
import { readRoles, readVersion, toVerifiedToken } from '../../src/verify/token.js'

describe('readVersion', () => {
  it('names a missing ver in the refusal', () => {
    expect(readVersion({})).toEqual({
      reason: 'malformed',
      description: 'unsupported token version (ver missing)',
    })
    expect(readVersion({ ver: 2 })).toEqual({
      reason: 'malformed',
      description: 'unsupported token version (ver 2)',
    })
  })
})

describe('readRoles', () => {
  it('refuses roles that are not all strings', () => {
    expect(readRoles({ roles: ['Orders.Read', 7] })).toEqual({
      reason: 'malformed',
      description: 'roles claim is not an array of strings',
    })
  })
})

describe('toVerifiedToken', () => {
  const checked = { tenantId: 't', iss: 'https://sts.windows.net/t/', aud: 'api://orders', exp: 1, roles: [] }

  it('takes the caller from appid for v1 and azp for v2, and leaves it undefined when not a string', () => {
    expect(toVerifiedToken({ appid: 'v1-app', azp: 'ignored' }, { ...checked, version: '1.0' }).appId).toBe(
      'v1-app',
    )
    expect(toVerifiedToken({ azp: 'v2-app' }, { ...checked, version: '2.0' }).appId).toBe('v2-app')
    expect(toVerifiedToken({ azp: 42 }, { ...checked, version: '2.0' }).appId).toBeUndefined()
  })

  it('is not app-only for a user token (scp, oid differing from sub)', () => {
    const user = toVerifiedToken({ oid: 'o', sub: 's', scp: 'User.Read' }, { ...checked, version: '2.0' })
    expect(user.appOnly).toBe(false)
  })
})
