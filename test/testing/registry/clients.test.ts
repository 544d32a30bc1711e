import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXAMPLE, type LocalAuthority } from '../../../src/testing/index.js'
import { FABRIKAM, issues, startWithFabrikam } from './setup.js'

let authority: LocalAuthority
beforeAll(async () => {
  authority = await startWithFabrikam()
})
afterAll(() => authority.close())

describe('clients', () => {
  it('uses the service principal ids given per tenant (by GUID or domain), lower-cased', () => {
    const app = 'f1e2d3c4-0001-4b5a-8c7d-9e0f1a2b3c4d'
    const id = 'AB12CD34-0000-4000-8000-000000000001'
    authority.clients.add({
      appId: app,
      tenants: [EXAMPLE.tenantId, 'fabrikam.onmicrosoft.com'],
      servicePrincipalIds: { 'fabrikam.onmicrosoft.com': id },
    })
    expect(authority.clients.servicePrincipalId(app, FABRIKAM)).toBe(id.toLowerCase())
    expect(authority.clients.servicePrincipalId(app)).not.toBe(id.toLowerCase())
    expect(authority.clients.get(app.toUpperCase())?.appId).toBe(app)
  })

  it('gives an app a service principal in another tenant with addToTenant, and refuses to name one it lacks', () => {
    const app = 'f1e2d3c4-0002-4b5a-8c7d-9e0f1a2b3c4d'
    authority.clients.add({ appId: app })
    expect(issues(() => authority.clients.servicePrincipalId(app, FABRIKAM))).toEqual([
      `tenant: client '${app}' has no service principal in '${FABRIKAM}'`,
    ])
    authority.clients.addToTenant(app, 'fabrikam.onmicrosoft.com', 'CD56EF78-0000-4000-8000-000000000002')
    expect(authority.clients.get(app)?.tenants).toEqual([EXAMPLE.tenantId, FABRIKAM])
    expect(authority.clients.servicePrincipalId(app, FABRIKAM)).toBe('cd56ef78-0000-4000-8000-000000000002')
  })
})
