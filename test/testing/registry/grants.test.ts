import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXAMPLE, type LocalAuthority } from '../../../src/testing/index.js'
import { FABRIKAM, issues, startWithFabrikam } from './setup.js'

const NO_ROLES_API = 'c0ffee00-1111-4a2b-8c3d-4e5f6a7b8c01'
let authority: LocalAuthority
beforeAll(async () => {
  authority = await startWithFabrikam()
  authority.apis.add({ appId: NO_ROLES_API, appIdUris: ['api://no-roles'] })
})
afterAll(() => authority.close())

describe('clients.grant', () => {
  it('refuses a tenant where the client has no service principal', () => {
    const grant = () =>
      authority.clients.grant(EXAMPLE.clients.admin.appId, EXAMPLE.api.uri, ['Admin'], { tenant: FABRIKAM })
    expect(issues(grant)).toEqual([
      `grant.tenant: client '${EXAMPLE.clients.admin.appId}' has no service principal in '${FABRIKAM}'`,
    ])
  })

  it('refuses a tenant where the API has no service principal', () => {
    const app = 'c0ffee00-2222-4a2b-8c3d-4e5f6a7b8c02'
    authority.clients.add({ appId: app, tenants: [EXAMPLE.tenantId, FABRIKAM] })
    expect(
      issues(() => authority.clients.grant(app, EXAMPLE.api.uri, ['Admin'], { tenant: FABRIKAM })),
    ).toEqual([`grant.tenant: API '${EXAMPLE.api.appId}' has no service principal in '${FABRIKAM}'`])
  })

  it('says "none" when the API defines no app role at all', () => {
    expect(
      issues(() => authority.clients.grant(EXAMPLE.clients.admin.appId, 'api://no-roles', ['Read'])),
    ).toEqual(["grant.roles[0]: API 'api://no-roles' defines no app role 'Read' (defined: none)"])
  })
})
