/**
 * End to end over real loopback sockets: our TokenClient with a managed identity against the Azure ML,
 * Cloud Shell and Service Fabric shapes of the local authority (docs/managed-identity.md §Emulation).
 * (IMDS, App Service and Arc: managed-identity-emulated.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TokenClient } from '../../src/index.js'
import { EXAMPLE, type LocalAuthority, startLocalAuthority } from '../../src/testing/index.js'
import { useLoopbackGuard } from '../helpers/loopback-guard.js'
import { isolateManagedIdentityEnvironment } from './managed-identity-env.js'

useLoopbackGuard()
isolateManagedIdentityEnvironment()

const { system, worker } = EXAMPLE.managedIdentities
const registry = {
  tenants: [{ id: EXAMPLE.tenantId, domains: [EXAMPLE.tenantDomain] }],
  managedIdentities: [
    { ...system, kind: 'system' as const },
    { ...worker, kind: 'user' as const },
  ],
}
let authority: LocalAuthority
let secure: LocalAuthority

beforeAll(async () => {
  ;[authority, secure] = await Promise.all([
    startLocalAuthority({ registry }),
    startLocalAuthority({ registry, https: true }),
  ])
})
afterAll(() => Promise.all([authority.close(), secure.close()]))

describe('TokenClient({ managedIdentity }) against the emulated', () => {
  it('Azure ML (environment option): a user-assigned identity by clientid, cached', async () => {
    const environment = authority.managedIdentity.env('azureMl')
    const client = new TokenClient({ managedIdentity: { clientId: worker.clientId }, environment })
    const token = await client.getToken('https://vault.azure.net/.default')
    expect(token.claims).toMatchObject({ aud: 'https://vault.azure.net', oid: worker.objectId })
    expect(token.expiresAt).toBe((token.claims?.exp as number) * 1000)
    expect(client.describe()).toMatchObject({ managedIdentity: { source: 'azure-ml' } })
    const before = authority.counters.azureMl
    expect(before).toBe(1)
    await client.getToken('https://vault.azure.net')
    expect(authority.counters.azureMl).toBe(before)
    await client.close()
  })

  it('Azure ML: the system-assigned identity when no clientid is sent', async () => {
    Object.assign(process.env, authority.managedIdentity.env('azureMl'))
    const client = new TokenClient({ managedIdentity: {} })
    const token = await client.getToken('https://storage.azure.com')
    expect(token.claims).toMatchObject({ oid: system.objectId, appid: system.clientId })
    await client.close()
  })

  it('Cloud Shell (process.env): the POSTed resource, the system-assigned identity', async () => {
    Object.assign(process.env, authority.managedIdentity.env('cloudShell'))
    const client = new TokenClient({ managedIdentity: {} })
    const token = await client.getToken('https://management.azure.com/')
    expect(token.claims).toMatchObject({ aud: 'https://management.azure.com/', oid: system.objectId })
    expect(client.describe()).toMatchObject({ managedIdentity: { source: 'cloud-shell' } })
    const last = authority.requests.all().at(-1)
    expect(last).toMatchObject({ route: 'cloudShell', method: 'POST', status: 200 })
    await client.close()
  })

  it('Service Fabric (https): the client pins the authority’s certificate by its thumbprint', async () => {
    const environment = secure.managedIdentity.env('serviceFabric')
    expect(environment.IDENTITY_SERVER_THUMBPRINT).toMatch(/^[0-9A-F]{40}$/)
    const client = new TokenClient({ managedIdentity: {}, environment })
    const token = await client.getToken('https://graph.microsoft.com')
    expect(token.claims).toMatchObject({ aud: 'https://graph.microsoft.com', oid: system.objectId })
    expect(token.expiresAt).toBe((token.claims?.exp as number) * 1000)
    expect(client.describe()).toMatchObject({ managedIdentity: { source: 'service-fabric' } })
    expect(secure.counters.serviceFabric).toBe(1)
    await client.close()
  })

  it('Service Fabric: another thumbprint is refused before any request is answered', async () => {
    const environment = {
      ...secure.managedIdentity.env('serviceFabric'),
      IDENTITY_SERVER_THUMBPRINT: 'A'.repeat(40),
    }
    const client = new TokenClient({ managedIdentity: {}, environment })
    const before = secure.counters.serviceFabric
    await expect(client.getToken('https://graph.microsoft.com')).rejects.toMatchObject({
      path: 'IDENTITY_SERVER_THUMBPRINT',
    })
    expect(secure.counters.serviceFabric).toBe(before)
    await client.close()
  })
})
