/**
 * Federated credentials that trust a managed identity of the registry: the identity's token for
 * `api://AzureADTokenExchange` is the app's client assertion (docs/managed-identity.md §Emulation).
 */
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, expect, it } from 'vitest'
import {
  EXAMPLE,
  type LocalAuthority,
  type RegistryInput,
  startLocalAuthority,
} from '../../../src/testing/index.js'
import { useLoopbackGuard } from '../../helpers/loopback-guard.js'
import { assertionForm, get, post } from '../helpers.js'

useLoopbackGuard()

const FABRIKAM = 'a3d2c1b0-9e8f-4a7b-8c6d-5e4f3a2b1c0d'
const APP = '0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a'
const { worker, system } = EXAMPLE.managedIdentities
let authority: LocalAuthority

function registry(): RegistryInput {
  const base = EXAMPLE
  return {
    tenants: [
      { id: base.tenantId, domains: [base.tenantDomain] },
      { id: FABRIKAM, domains: ['fabrikam.onmicrosoft.com'] },
    ],
    managedIdentities: [
      { ...worker, kind: 'user' },
      { ...system, kind: 'system' },
    ],
    clients: [
      {
        appId: APP,
        tenants: [base.tenantId, FABRIKAM],
        federatedCredentials: [{ managedIdentity: worker.name }],
      },
    ],
  }
}

beforeAll(async () => {
  authority = await startLocalAuthority({ registry: registry() })
})
afterAll(() => authority.close())

async function identityToken(clientId: string, resource = 'api://AzureADTokenExchange'): Promise<string> {
  const url = `${authority.managedIdentity.endpoint('imds')}?api-version=2018-02-01&resource=${resource}&client_id=${clientId}`
  return String((await get(url, { headers: { metadata: 'true' } })).json.access_token)
}

it('the registry records the trust: issuer {authority}/{tenant}/v2.0, subject the object id', () => {
  expect(authority.clients.get(APP)?.federatedCredentials[0]).toEqual({
    name: 'managed-identity|orders-worker',
    issuer: `{authority}/${EXAMPLE.tenantId}/v2.0`,
    subject: worker.objectId,
    audiences: ['api://AzureADTokenExchange'],
    managedIdentity: worker.objectId,
  })
})

it.each([
  ['its home tenant', EXAMPLE.tenantId],
  ['another tenant of the multi-tenant app', FABRIKAM],
])('the trusted identity’s exchange token gets the app a token in %s', async (_name, tenant) => {
  const form = assertionForm(
    APP,
    await identityToken(worker.clientId),
    'https://graph.microsoft.com/.default',
  )
  const answer = await post(authority.tokenEndpoint(tenant), form)
  expect(answer.status).toBe(200)
  expect(decodeJwt(String(answer.json.access_token))).toMatchObject({
    appid: APP,
    appidacr: '2',
    tid: tenant,
  })
})

it('another identity’s token, or the trusted one’s for another audience, is AADSTS70021', async () => {
  for (const assertion of [
    await identityToken(system.clientId),
    await identityToken(worker.clientId, 'https://vault.azure.net'),
  ]) {
    const answer = await post(
      authority.tokenEndpoint(EXAMPLE.tenantId),
      assertionForm(APP, assertion, 'https://graph.microsoft.com/.default'),
    )
    expect(answer.status).toBe(400)
    expect(answer.json.error_codes).toEqual([70021])
  }
})

it('a token signed by another authority is refused (AADSTS700027)', async () => {
  await using other = await startLocalAuthority({ registry: registry() })
  const url = `${other.managedIdentity.endpoint('imds')}?api-version=2018-02-01&resource=api://AzureADTokenExchange&client_id=${worker.clientId}`
  const forged = String((await get(url, { headers: { metadata: 'true' } })).json.access_token)
  const answer = await post(
    authority.tokenEndpoint(EXAMPLE.tenantId),
    assertionForm(APP, forged, 'https://graph.microsoft.com/.default'),
  )
  expect(answer.json.error_codes).toEqual([700027])
})

it('a credential naming an unknown identity is refused with its path', async () => {
  const bad = registry()
  bad.clients = [{ appId: APP, federatedCredentials: [{ managedIdentity: 'nobody' }] }]
  await expect(startLocalAuthority({ registry: bad })).rejects.toThrow(
    /registry\.clients\[0\]\.federatedCredentials\[0\]\.managedIdentity: unknown managed identity 'nobody'/,
  )
})
