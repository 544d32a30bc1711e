/**
 * The App Service- and Azure Arc-shaped endpoints of the local authority, and the variables that
 * point a process at each (docs/managed-identity.md §Emulation).
 */
import { access, readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  EXAMPLE,
  type LocalAuthority,
  MANAGED_IDENTITY_VARIABLES,
  RegistryError,
  startLocalAuthority,
} from '../../../src/testing/index.js'
import { useLoopbackGuard } from '../../helpers/loopback-guard.js'
import { get } from '../helpers.js'

useLoopbackGuard()

const NOW = Date.parse('2026-06-01T12:00:00Z')
const { system, worker } = EXAMPLE.managedIdentities
let authority: LocalAuthority

beforeAll(async () => {
  authority = await startLocalAuthority({ now: () => NOW })
})
afterAll(() => authority.close())

describe('env()', () => {
  it('names each source’s variables as msal-node and @azure/identity read them', () => {
    const { url } = authority
    expect(authority.managedIdentity.env()).toEqual({ AZURE_POD_IDENTITY_AUTHORITY_HOST: url })
    expect(authority.managedIdentity.env('appService')).toEqual({
      IDENTITY_ENDPOINT: `${url}/msi/token`,
      IDENTITY_HEADER: expect.stringMatching(/^[0-9a-f]{48}$/),
    })
    expect(authority.managedIdentity.env('arc')).toEqual({
      IDENTITY_ENDPOINT: `${url}/arc/metadata/identity/oauth2/token`,
      IMDS_ENDPOINT: `${url}/arc`,
    })
    for (const source of ['imds', 'appService', 'arc'] as const) {
      for (const name of Object.keys(authority.managedIdentity.env(source)))
        expect(MANAGED_IDENTITY_VARIABLES).toContain(name)
    }
  })
})

it('env() and endpoint() refuse an unknown source with a RegistryError naming the known ones', () => {
  const unknown = 'appservice' as 'appService'
  expect(() => authority.managedIdentity.env(unknown)).toThrow(RegistryError)
  expect(() => authority.managedIdentity.endpoint(unknown)).toThrow(
    /source: must be one of imds, appService, arc/,
  )
})

describe('App Service', () => {
  const call = (params: Record<string, string>, header?: string) => {
    const { IDENTITY_ENDPOINT, IDENTITY_HEADER } = authority.managedIdentity.env('appService')
    const search = new URLSearchParams({ 'api-version': '2019-08-01', ...params })
    return get(`${IDENTITY_ENDPOINT}?${search}`, {
      headers: { 'x-identity-header': header ?? IDENTITY_HEADER ?? '' },
    })
  }

  it('answers with expires_on an epoch string, and no expires_in', async () => {
    const answer = await call({ resource: 'https://vault.azure.net' })
    expect(answer.status).toBe(200)
    expect(answer.json).toEqual({
      access_token: expect.any(String),
      expires_on: String(Math.floor(NOW / 1000) + 86_400),
      resource: 'https://vault.azure.net',
      token_type: 'Bearer',
      client_id: system.clientId,
    })
  })

  it.each([
    ['client_id', worker.clientId],
    ['object_id', worker.objectId],
    ['principal_id', worker.objectId],
  ])('selects a user-assigned identity by %s', async (name, value) => {
    expect((await call({ resource: 'https://vault.azure.net', [name]: value })).json.client_id).toBe(
      worker.clientId,
    )
  })

  it('selects by mi_res_id', async () => {
    const resourceId = authority.managedIdentities.get(worker.name)?.resourceId ?? ''
    const answer = await call({ resource: 'https://vault.azure.net', mi_res_id: resourceId })
    expect(answer.json.client_id).toBe(worker.clientId)
  })

  it('refuses a wrong X-IDENTITY-HEADER (401) and another api-version (400), in its own error form', async () => {
    const wrong = await call({ resource: 'https://vault.azure.net' }, 'nope')
    expect(wrong.status).toBe(401)
    expect(wrong.json).toEqual({
      statusCode: 401,
      message: expect.any(String),
      correlationId: expect.any(String),
    })
    expect((await call({ resource: 'https://vault.azure.net', 'api-version': '2017-09-01' })).status).toBe(
      400,
    )
  })
})

describe('Azure Arc', () => {
  const endpoint = () => authority.managedIdentity.env('arc').IDENTITY_ENDPOINT
  const url = (params: Record<string, string> = {}) =>
    `${endpoint()}?${new URLSearchParams({ 'api-version': '2019-11-01', resource: 'https://vault.azure.net', ...params })}`

  it('challenges with a .key file in its temporary directory; the file’s content gets the token, once', async () => {
    const first = await get(url(), { headers: { metadata: 'true' } })
    expect(first.status).toBe(401)
    const file = /^Basic realm=(.+)$/.exec(first.headers['www-authenticate'] ?? '')?.[1] ?? ''
    expect(file).toMatch(/\.key$/)
    expect(dirname(file)).toBe(authority.managedIdentity.arcKeyDirectory)
    const key = await readFile(file, 'utf8')
    const headers = { metadata: 'true', authorization: `Basic ${key}` }
    const second = await get(url(), { headers })
    expect(second.status).toBe(200)
    expect(second.json).toMatchObject({
      client_id: system.clientId,
      expires_in: '86400',
      token_type: 'Bearer',
    })
    await expect(access(file)).rejects.toMatchObject({ code: 'ENOENT' })
    const again = await get(url(), { headers })
    expect(again.status).toBe(401)
    expect(
      authority.requests
        .all()
        .filter((r) => r.route === 'arc')
        .map((r) => r.status),
    ).toEqual([401, 200, 401])
  })

  it('accepts msal-node’s api-version 2020-06-01; needs Metadata: true; refuses a user-assigned selector', async () => {
    expect((await get(url({ 'api-version': '2020-06-01' }), { headers: { metadata: 'true' } })).status).toBe(
      401,
    )
    expect((await get(url())).status).toBe(400)
    const user = await get(url({ client_id: worker.clientId }), { headers: { metadata: 'true' } })
    expect(user.status).toBe(400)
    expect(user.json.error).toBe('invalid_request')
  })

  it('removes its key directory on close', async () => {
    const other = await startLocalAuthority()
    const directory = other.managedIdentity.arcKeyDirectory
    await get(`${other.managedIdentity.endpoint('arc')}?api-version=2019-11-01&resource=x`, {
      headers: { metadata: 'true' },
    })
    await other.close()
    await expect(access(directory)).rejects.toMatchObject({ code: 'ENOENT' })
  })
})
