import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXAMPLE, type LocalAuthority } from '../../../src/testing/index.js'
import { FABRIKAM, issues, startWithFabrikam } from './setup.js'

let authority: LocalAuthority
beforeAll(async () => {
  authority = await startWithFabrikam()
})
afterAll(() => authority.close())

describe('apis.add', () => {
  it('names an API after its first App ID URI, or else its application id', () => {
    const byUri = authority.apis.add({
      appId: 'b1f0c3d2-1111-4a2b-8c3d-4e5f6a7b8c01',
      appIdUris: ['api://inventory'],
    })
    const byId = authority.apis.add({ appId: 'b1f0c3d2-2222-4a2b-8c3d-4e5f6a7b8c02' })
    expect([byUri.displayName, byId.displayName]).toEqual([
      'api://inventory',
      'b1f0c3d2-2222-4a2b-8c3d-4e5f6a7b8c02',
    ])
  })

  it('keeps the home tenant among the tenants, first, when the list leaves it out', () => {
    const api = authority.apis.add({
      appId: 'b1f0c3d2-3333-4a2b-8c3d-4e5f6a7b8c03',
      appIdUris: ['api://shipping'],
      tenants: ['fabrikam.onmicrosoft.com'],
    })
    expect(api.tenants).toEqual([EXAMPLE.tenantId, FABRIKAM])
  })

  it('keeps refreshInSeconds when given, and has none otherwise', () => {
    const api = authority.apis.add({ appId: 'b1f0c3d2-4444-4a2b-8c3d-4e5f6a7b8c04', refreshInSeconds: 600 })
    expect(api.refreshInSeconds).toBe(600)
    expect('refreshInSeconds' in authority.apis.add({ appId: 'b1f0c3d2-5555-4a2b-8c3d-4e5f6a7b8c05' })).toBe(
      false,
    )
  })

  it('refuses an application id or an App ID URI already registered, naming the field', () => {
    expect(issues(() => authority.apis.add({ appId: EXAMPLE.api.appId }))).toEqual([
      `api.appId: API '${EXAMPLE.api.appId}' is already registered`,
    ])
    const taken = { appId: 'b1f0c3d2-6666-4a2b-8c3d-4e5f6a7b8c06', appIdUris: ['api://new', EXAMPLE.api.uri] }
    expect(issues(() => authority.apis.add(taken))).toEqual([
      `api.appIdUris[1]: App ID URI '${EXAMPLE.api.uri}' is taken`,
    ])
  })
})

describe('apis.addRole', () => {
  it('adds a role once, and refuses a role value the API already defines', () => {
    const role = authority.apis.addRole(EXAMPLE.api.uri, { value: 'Orders.Export' })
    expect(role.value).toBe('Orders.Export')
    expect(authority.apis.get(EXAMPLE.api.appId)?.appRoles.map((r) => r.value)).toContain('Orders.Export')
    expect(issues(() => authority.apis.addRole(EXAMPLE.api.uri, { value: 'Admin' }))).toEqual([
      "role.value: role 'Admin' exists",
    ])
  })
})
