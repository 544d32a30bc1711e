/**
 * End to end over real loopback sockets: our TokenClient with a managed identity against each source
 * the local authority emulates, and the secretless app (credential: { managedIdentity }) in its home
 * tenant and, multi-tenant, in another (docs/managed-identity.md §Emulation).
 */
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TokenClient } from '../../src/index.js'
import { createManagedIdentityTokenSource } from '../../src/managed-identity/token-source.js'
import { EXAMPLE, type LocalAuthority, startLocalAuthority } from '../../src/testing/index.js'
import { useLoopbackGuard } from '../helpers/loopback-guard.js'
import { isolateManagedIdentityEnvironment } from './managed-identity-env.js'

useLoopbackGuard()
isolateManagedIdentityEnvironment()

const FABRIKAM = 'a3d2c1b0-9e8f-4a7b-8c6d-5e4f3a2b1c0d'
const APP = '0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a'
const { system, worker } = EXAMPLE.managedIdentities
let authority: LocalAuthority

beforeAll(async () => {
  authority = await startLocalAuthority({
    registry: {
      tenants: [
        { id: EXAMPLE.tenantId, domains: [EXAMPLE.tenantDomain] },
        { id: FABRIKAM, domains: ['fabrikam.onmicrosoft.com'] },
      ],
      managedIdentities: [
        { ...system, kind: 'system' },
        { ...worker, kind: 'user' },
      ],
      clients: [
        {
          appId: APP,
          tenants: [EXAMPLE.tenantId, FABRIKAM],
          federatedCredentials: [{ managedIdentity: worker.name }],
        },
      ],
    },
  })
})
afterAll(() => authority.close())

describe('TokenClient({ managedIdentity })', () => {
  it('IMDS (imdsBaseUrl): the system-assigned identity’s Key Vault token, cached', async () => {
    const client = new TokenClient({ managedIdentity: {}, imdsBaseUrl: authority.url })
    const token = await client.getToken('https://vault.azure.net/.default')
    expect(token.claims).toMatchObject({ aud: 'https://vault.azure.net', oid: system.objectId, idtyp: 'app' })
    const before = authority.counters.imds
    await client.getToken('https://vault.azure.net')
    expect(authority.counters.imds).toBe(before)
    await client.close()
  })

  it('IMDS (AZURE_POD_IDENTITY_AUTHORITY_HOST): a user-assigned identity by client id', async () => {
    Object.assign(process.env, authority.managedIdentity.env('imds'))
    const client = new TokenClient({ managedIdentity: { clientId: worker.clientId } })
    const token = await client.getToken('https://storage.azure.com')
    expect(token.claims).toMatchObject({ appid: worker.clientId, oid: worker.objectId })
    expect(client.describe()).toMatchObject({ managedIdentity: { source: 'imds' } })
    await client.close()
  })

  it('App Service: by resource id, expires_on an epoch string', async () => {
    Object.assign(process.env, authority.managedIdentity.env('appService'))
    const resourceId = authority.managedIdentities.get(worker.name)?.resourceId ?? ''
    const client = new TokenClient({ managedIdentity: { resourceId } })
    const token = await client.getToken('https://management.azure.com/')
    expect(token.claims).toMatchObject({ xms_mirid: resourceId, aud: 'https://management.azure.com/' })
    expect(token.expiresAt).toBe((token.claims?.exp as number) * 1000)
    expect(client.describe()).toMatchObject({ managedIdentity: { source: 'app-service' } })
    await client.close()
  })

  it('Azure Arc: the challenge answered from the emulator’s key directory', async () => {
    const tokens = createManagedIdentityTokenSource({
      environment: authority.managedIdentity.env('arc'),
      arcKeyDirectory: authority.managedIdentity.arcKeyDirectory,
    })
    expect(tokens.source.kind).toBe('azure-arc')
    const before = authority.counters.arc
    const token = await tokens.getToken('https://graph.microsoft.com')
    expect(decodeJwt(token.accessToken)).toMatchObject({
      oid: system.objectId,
      aud: 'https://graph.microsoft.com',
    })
    expect(authority.counters.arc - before).toBe(2)
  })

  it('IMDS 410, 429 and 500 are retried as Azure documents (waits through an injected sleep)', async () => {
    authority.faults.add({ route: 'imds', kind: 'status410', times: 2 })
    authority.faults.add({ route: 'imds', kind: 'status429', retryAfter: 120 })
    authority.faults.add({ route: 'imds', kind: 'status500' })
    const waits: number[] = []
    const tokens = createManagedIdentityTokenSource({
      imdsBaseUrl: authority.url,
      environment: {},
      sleep: async (ms) => {
        waits.push(ms)
      },
    })
    const before = authority.counters.imds
    const token = await tokens.getToken('https://vault.azure.net')
    expect(decodeJwt(token.accessToken).oid).toBe(system.objectId)
    // the probe (which meets the first 410 and counts as an answer), then 410, 429, 500, the token
    expect(authority.counters.imds - before).toBe(5)
    expect(waits).toHaveLength(3)
  })

  it('IMDS faults: a 500 is retried, the token arrives', async () => {
    authority.faults.add({ route: 'imds', kind: 'status500' })
    const client = new TokenClient({ managedIdentity: {}, imdsBaseUrl: authority.url })
    const before = authority.counters.imds
    const token = await client.getToken('https://graph.microsoft.com')
    expect(token.claims?.oid).toBe(system.objectId)
    expect(authority.counters.imds - before).toBeGreaterThanOrEqual(2)
    await client.close()
  })
})

describe('the secretless app: credential { managedIdentity }', () => {
  const app = () =>
    new TokenClient({
      authorityHost: authority.url,
      tenant: EXAMPLE.tenantId,
      clientId: APP,
      credential: { managedIdentity: { clientId: worker.clientId } },
      imdsBaseUrl: authority.url,
    })

  it('gets the app’s token with the identity’s exchange token as its assertion', async () => {
    const client = app()
    const token = await client.getToken('https://graph.microsoft.com')
    expect(token.claims).toMatchObject({ appid: APP, appidacr: '2', tid: EXAMPLE.tenantId })
    const assertion = authority.requests.all().find((r) => r.route === 'token')
    expect(assertion?.form?.client_assertion).toBe('[redacted]')
    await client.close()
  })

  it('cross-tenant: a per-call tenant of the multi-tenant app, one identity token for both', async () => {
    const client = app()
    const before = authority.counters.imds
    const home = await client.getToken('https://graph.microsoft.com')
    const other = await client.getToken('https://graph.microsoft.com', { tenant: FABRIKAM })
    expect(home.claims?.tid).toBe(EXAMPLE.tenantId)
    expect(other.claims).toMatchObject({ tid: FABRIKAM, appid: APP })
    expect(authority.counters.imds - before).toBe(2) // the probe, then one identity token
    await client.close()
  })
})
