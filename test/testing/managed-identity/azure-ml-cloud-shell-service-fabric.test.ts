/**
 * The Azure ML-, Cloud Shell- and Service Fabric-shaped endpoints of the local authority: what each
 * accepts, what it refuses and in which body (docs/managed-identity.md §Emulation).
 */

import { Agent } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  EXAMPLE,
  type LocalAuthority,
  MANAGED_IDENTITY_VARIABLES,
  RegistryError,
  startLocalAuthority,
} from '../../../src/testing/index.js'
import { useLoopbackGuard } from '../../helpers/loopback-guard.js'
import { get, post } from '../helpers.js'

useLoopbackGuard()

const NOW = Date.parse('2026-06-01T12:00:00Z')
const EXPIRES_ON = Math.floor(NOW / 1000) + 86_400
const { system, worker } = EXAMPLE.managedIdentities
let authority: LocalAuthority
let secure: LocalAuthority
let trusting: Agent

beforeAll(async () => {
  ;[authority, secure] = await Promise.all([
    startLocalAuthority({ now: () => NOW }),
    startLocalAuthority({ now: () => NOW, https: true }),
  ])
  trusting = new Agent({ connect: { ca: secure.caPem } })
})
afterAll(() => Promise.all([authority.close(), secure.close(), trusting.close()]))

it('env() names each new source’s variables; Service Fabric’s only over https', () => {
  expect(authority.managedIdentity.env('azureMl')).toEqual({
    MSI_ENDPOINT: `${authority.url}/azure-ml/msi/token`,
    MSI_SECRET: authority.managedIdentity.env('appService').IDENTITY_HEADER,
  })
  expect(authority.managedIdentity.env('cloudShell')).toEqual({
    MSI_ENDPOINT: `${authority.url}/cloud-shell/oauth2/token`,
  })
  expect(secure.managedIdentity.env('serviceFabric')).toEqual({
    IDENTITY_ENDPOINT: `${secure.url}/service-fabric/metadata/identity/oauth2/token`,
    IDENTITY_HEADER: expect.stringMatching(/^[0-9a-f]{48}$/),
    IDENTITY_SERVER_THUMBPRINT: expect.stringMatching(/^[0-9A-F]{40}$/),
  })
  expect(() => authority.managedIdentity.env('serviceFabric')).toThrow(RegistryError)
  expect(() => authority.managedIdentity.env('serviceFabric')).toThrow(/https: true/)
  for (const source of ['azureMl', 'cloudShell'] as const) {
    for (const name of Object.keys(authority.managedIdentity.env(source)))
      expect(MANAGED_IDENTITY_VARIABLES).toContain(name)
  }
})

describe('Azure ML', () => {
  const call = (params: Record<string, string>, secret?: string) => {
    const { MSI_ENDPOINT, MSI_SECRET } = authority.managedIdentity.env('azureMl')
    const search = new URLSearchParams({
      'api-version': '2017-09-01',
      resource: 'https://vault.azure.net',
      ...params,
    })
    return get(`${MSI_ENDPOINT}?${search}`, { headers: { secret: secret ?? MSI_SECRET ?? '' } })
  }

  it('answers expires_on an epoch string; clientid selects a user-assigned identity', async () => {
    expect((await call({})).json).toEqual({
      access_token: expect.any(String),
      expires_on: String(EXPIRES_ON),
      resource: 'https://vault.azure.net',
      token_type: 'Bearer',
      client_id: system.clientId,
    })
    expect((await call({ clientid: worker.clientId })).json.client_id).toBe(worker.clientId)
  })

  it('refuses a wrong secret (401), another api-version (400), client_id (not its parameter)', async () => {
    const wrong = await call({}, 'nope')
    expect(wrong.status).toBe(401)
    expect(wrong.json).toMatchObject({ statusCode: 401, correlationId: expect.any(String) })
    expect((await call({ 'api-version': '2019-08-01' })).status).toBe(400)
    expect((await call({ client_id: worker.clientId })).json.client_id).toBe(system.clientId)
  })
})

describe('Cloud Shell', () => {
  const endpoint = () => authority.managedIdentity.env('cloudShell').MSI_ENDPOINT ?? ''

  it('answers a POSTed form with Metadata: true, in IMDS’s form', async () => {
    const answer = await post(
      endpoint(),
      { resource: 'https://graph.microsoft.com' },
      { headers: { metadata: 'true' } },
    )
    expect(answer.status).toBe(200)
    expect(answer.json).toMatchObject({
      resource: 'https://graph.microsoft.com',
      client_id: system.clientId,
      expires_on: String(EXPIRES_ON),
      expires_in: '86400',
    })
  })

  it('refuses GET (405), no Metadata header (400), a user-assigned selector (400)', async () => {
    expect((await get(`${endpoint()}?resource=x`, { headers: { metadata: 'true' } })).status).toBe(405)
    expect((await post(endpoint(), { resource: 'x' })).status).toBe(400)
    const user = await post(
      `${endpoint()}?client_id=${worker.clientId}`,
      { resource: 'x' },
      { headers: { metadata: 'true' } },
    )
    expect(user.json).toMatchObject({ error: 'invalid_request' })
  })
})

describe('Service Fabric', () => {
  const call = (params: Record<string, string>, secret?: string) => {
    const { IDENTITY_ENDPOINT, IDENTITY_HEADER } = secure.managedIdentity.env('serviceFabric')
    const search = new URLSearchParams({
      'api-version': '2019-07-01-preview',
      resource: 'https://vault.azure.net',
      ...params,
    })
    return get(`${IDENTITY_ENDPOINT}?${search}`, {
      headers: { secret: secret ?? IDENTITY_HEADER ?? '' },
      dispatcher: trusting,
    })
  }

  it('answers expires_on an epoch number, for the host’s identity', async () => {
    expect((await call({})).json).toEqual({
      token_type: 'Bearer',
      access_token: expect.any(String),
      expires_on: EXPIRES_ON,
      resource: 'https://vault.azure.net',
    })
  })

  it('refuses a wrong secret (401) and another api-version (400), in its own error form', async () => {
    const wrong = await call({}, 'nope')
    expect(wrong.status).toBe(401)
    expect(wrong.json).toEqual({
      error: { correlationId: expect.any(String), code: 'unauthorized', message: expect.any(String) },
    })
    expect((await call({ 'api-version': '2019-08-01' })).status).toBe(400)
  })

  it('is not served over plain http', async () => {
    const url = `${authority.managedIdentity.endpoint('serviceFabric')}?api-version=2019-07-01-preview&resource=x`
    const { IDENTITY_HEADER } = authority.managedIdentity.env('appService')
    const answer = await get(url, { headers: { secret: IDENTITY_HEADER ?? '' } })
    expect(answer.status).toBe(400)
    expect(JSON.stringify(answer.json)).toMatch(/https only/)
  })
})
