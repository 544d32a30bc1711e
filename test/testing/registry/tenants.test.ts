import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXAMPLE, type LocalAuthority } from '../../../src/testing/index.js'
import { FABRIKAM, issues, startWithFabrikam } from './setup.js'

const NORTHWIND = 'd1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e5f6'
let authority: LocalAuthority
beforeAll(async () => {
  authority = await startWithFabrikam()
})
afterAll(() => authority.close())

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
