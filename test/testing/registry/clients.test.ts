import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  EXAMPLE,
  type LocalAuthority,
  RegistryError,
  startLocalAuthority,
} from '../../../src/testing/index.js'

const FABRIKAM = 'a3d2c1b0-9e8f-4a7b-8c6d-5e4f3a2b1c0d'
const NORTHWIND = 'd1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e5f6'
let authority: LocalAuthority
beforeAll(async () => {
  authority = await startLocalAuthority()
  authority.tenants.add({ id: FABRIKAM, domains: ['fabrikam.onmicrosoft.com'] })
})
afterAll(() => authority.close())

function issues(run: () => unknown): readonly string[] {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(RegistryError)
    return (error as RegistryError).issues
  }
  throw new Error('expected a RegistryError')
}

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

describe('tenants', () => {
  it('names a tenant after its first domain, or else its id, and finds it by either', () => {
    const named = authority.tenants.add({ id: NORTHWIND, domains: ['northwind.onmicrosoft.com'] })
    const bare = authority.tenants.add({ id: 'd1e2f3a4-0000-4d7e-8f90-a1b2c3d4e5f6' })
    expect([named.displayName, bare.displayName]).toEqual([
      'northwind',
      'd1e2f3a4-0000-4d7e-8f90-a1b2c3d4e5f6',
    ])
    expect(authority.tenants.get('northwind.onmicrosoft.com')?.id).toBe(NORTHWIND)
  })

  it('refuses a tenant id or a domain already registered', () => {
    expect(issues(() => authority.tenants.add({ id: FABRIKAM }))).toEqual([
      `tenant.id: tenant '${FABRIKAM}' is already registered`,
    ])
    const taken = {
      id: 'd1e2f3a4-1111-4d7e-8f90-a1b2c3d4e5f6',
      domains: ['new.example.com', EXAMPLE.tenantDomain],
    }
    expect(issues(() => authority.tenants.add(taken))).toEqual([
      `tenant.domains[1]: domain '${EXAMPLE.tenantDomain}' is taken`,
    ])
  })
})
