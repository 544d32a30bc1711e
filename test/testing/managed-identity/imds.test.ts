/**
 * The IMDS-shaped endpoint of the local authority: request checks, identity selection, the answer's
 * shape, the token's claims (docs/managed-identity.md §Emulation).
 */
import { readFile } from 'node:fs/promises'
import { decodeJwt, decodeProtectedHeader } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXAMPLE, type LocalAuthority, startLocalAuthority } from '../../../src/testing/index.js'
import { useLoopbackGuard } from '../../helpers/loopback-guard.js'
import { get } from '../helpers.js'

useLoopbackGuard()

const NOW = Date.parse('2026-06-01T12:00:00Z')
const { system, worker } = EXAMPLE.managedIdentities
let authority: LocalAuthority
let imds: string

beforeAll(async () => {
  authority = await startLocalAuthority({ now: () => NOW })
  imds = authority.managedIdentity.endpoint('imds')
})
afterAll(() => authority.close())

const METADATA = { headers: { metadata: 'true' } }
const query = (params: Record<string, string>) =>
  `${imds}?${new URLSearchParams({ 'api-version': '2018-02-01', ...params })}`

describe('the answer', () => {
  it('is IMDS-shaped: every number a string, the resource as asked, the identity’s client id', async () => {
    const answer = await get(query({ resource: 'https://vault.azure.net' }), METADATA)
    expect(answer.status).toBe(200)
    const expiresOn = Math.floor(NOW / 1000) + 86_399 + 1
    expect(answer.json).toEqual({
      access_token: expect.any(String),
      client_id: system.clientId,
      expires_in: '86400',
      expires_on: String(expiresOn),
      ext_expires_in: '86400',
      not_before: String(Math.floor(NOW / 1000) - 300),
      resource: 'https://vault.azure.net',
      token_type: 'Bearer',
    })
  })

  it('carries a v1 token like Entra’s for a managed identity, signed with the published keys', async () => {
    const answer = await get(query({ resource: 'https://storage.azure.com/' }), METADATA)
    const token = String(answer.json.access_token)
    expect(decodeProtectedHeader(token).kid).toBe(authority.signingKeys.current.kid)
    expect(decodeJwt(token)).toMatchObject({
      aud: 'https://storage.azure.com/',
      iss: `https://sts.windows.net/${EXAMPLE.tenantId}/`,
      appid: system.clientId,
      appidacr: '2',
      idtyp: 'app',
      oid: system.objectId,
      sub: system.objectId,
      tid: EXAMPLE.tenantId,
      ver: '1.0',
      xms_mirid: expect.stringMatching(/\/providers\/Microsoft\.Compute\/virtualMachines\/contoso-vm$/),
    })
    expect(authority.requests.last()).toMatchObject({ route: 'imds', status: 200 })
    expect(authority.counters).toMatchObject({ issued: expect.any(Number) })
  })

  it('mints a v2 token (azp, v2.0 issuer, aud the application id) for the token exchange audience', async () => {
    const answer = await get(
      query({ resource: 'api://AzureADTokenExchange', client_id: worker.clientId }),
      METADATA,
    )
    expect(decodeJwt(String(answer.json.access_token))).toMatchObject({
      aud: 'fb60f99c-7a34-4190-8149-302f77469936',
      iss: `https://login.microsoftonline.com/${EXAMPLE.tenantId}/v2.0`,
      azp: worker.clientId,
      oid: worker.objectId,
      sub: worker.objectId,
      ver: '2.0',
      xms_mirid: expect.stringMatching(/userAssignedIdentities\/orders-worker$/),
    })
  })
})

describe('the identity', () => {
  it.each([
    ['client_id', worker.clientId],
    ['object_id', worker.objectId],
    ['msi_res_id', ''],
  ])('a user-assigned one by %s', async (name, value) => {
    const id = value || (authority.managedIdentities.get(worker.name)?.resourceId ?? '')
    const answer = await get(query({ resource: 'https://vault.azure.net', [name]: id }), METADATA)
    expect(answer.json.client_id).toBe(worker.clientId)
  })

  it('an unknown one: 400 Identity not found', async () => {
    const answer = await get(
      query({ resource: 'https://vault.azure.net', client_id: EXAMPLE.tenantId }),
      METADATA,
    )
    expect(answer.status).toBe(400)
    expect(answer.json).toEqual({ error: 'invalid_request', error_description: 'Identity not found' })
  })

  it('two selectors: 400', async () => {
    const both = {
      resource: 'https://vault.azure.net',
      client_id: worker.clientId,
      object_id: worker.objectId,
    }
    expect((await get(query(both), METADATA)).status).toBe(400)
  })

  it('none on a host with only user-assigned identities: the only one, or 400 when there are several', async () => {
    const tenants = [{ id: EXAMPLE.tenantId }]
    await using one = await startLocalAuthority({ registry: { tenants, managedIdentities: [{ name: 'a' }] } })
    const url = `${one.managedIdentity.endpoint('imds')}?api-version=2018-02-01&resource=https://vault.azure.net`
    expect((await get(url, METADATA)).json.client_id).toBe(one.managedIdentities.get('a')?.clientId)
    one.managedIdentities.add({ name: 'b' })
    expect((await get(url, METADATA)).json.error_description).toMatch(/^Multiple user assigned identities/)
  })
})

describe('refusals', () => {
  it('without Metadata: true, 400 at once (what a probe sees)', async () => {
    const answer = await get(query({ resource: 'https://vault.azure.net' }))
    expect(answer.status).toBe(400)
    expect(answer.json).toEqual({
      error: 'invalid_request',
      error_description: 'Required metadata header not specified',
    })
  })

  it.each([
    ['no api-version', {}],
    ['an unknown api-version', { 'api-version': '2017-01-01' }],
  ])('%s: 400', async (_name, params) => {
    const url = `${imds}?${new URLSearchParams({ resource: 'https://vault.azure.net', ...params })}`
    expect((await get(url, METADATA)).status).toBe(400)
  })

  it('no resource: 400; an unknown resource: 400 invalid_resource AADSTS500011', async () => {
    expect((await get(query({}), METADATA)).status).toBe(400)
    const answer = await get(query({ resource: 'api://nobody' }), METADATA)
    expect(answer.status).toBe(400)
    expect(answer.json.error).toBe('invalid_resource')
    expect(answer.json.error_description).toMatch(/^AADSTS500011: /)
  })

  it('faults of the queue apply to the route', async () => {
    authority.faults.add({ route: 'imds', kind: 'status500' })
    expect((await get(query({ resource: 'https://vault.azure.net' }), METADATA)).status).toBe(500)
    expect((await get(query({ resource: 'https://vault.azure.net' }), METADATA)).status).toBe(200)
  })
})

it('a well-known resource the registry defines itself is the registry’s', async () => {
  const graph = { appId: '00000003-0000-0000-c000-000000000000', appIdUris: ['https://graph.microsoft.com'] }
  await using own = await startLocalAuthority({
    registry: { tenants: [{ id: EXAMPLE.tenantId }], apis: [{ ...graph, accessTokenAcceptedVersion: 2 }] },
  })
  expect(own.apis.get('https://graph.microsoft.com')?.accessTokenAcceptedVersion).toBe(2)
  expect(own.apis.get('https://storage.azure.com')?.appId).toBe('e406a681-f3d4-42a8-90b6-c2b029497af1')
  await using none = await startLocalAuthority({ wellKnownResources: false })
  expect(none.apis.get('https://storage.azure.com')).toBeUndefined()
})

it('the Arc key directory exists while the authority runs', async () => {
  await expect(readFile(authority.managedIdentity.arcKeyDirectory)).rejects.toMatchObject({ code: 'EISDIR' })
})
