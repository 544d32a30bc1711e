import { fileURLToPath } from 'node:url'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  EXAMPLE,
  exampleRegistry,
  type LocalAuthority,
  RegistryError,
  type RegistryInput,
  startLocalAuthority,
} from '../../../src/testing/index.js'
import { post, secretForm } from '../helpers.js'

const FIXTURE = fileURLToPath(new URL('../../fixtures/testing/registry.json', import.meta.url))
const WORKER = '0c9b8a7f-6e5d-4c3b-9a1f-0e9d8c7b6a5f'
const WORKER_SECRET = 'TEST-ONLY~fixture.secret_1'
const ORDERS = 'https://orders.contoso.com/api'

async function refusal(registry: unknown): Promise<RegistryError> {
  const error = await startLocalAuthority({ registry: registry as RegistryInput }).then(
    async (started) => {
      await started.close()
      throw new Error('expected the registry to be refused')
    },
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(RegistryError)
  return error as RegistryError
}

describe('registry from a JSON file', () => {
  let authority: LocalAuthority
  beforeAll(async () => {
    authority = await startLocalAuthority({ registryFile: FIXTURE })
  })
  afterAll(() => authority.close())

  it('issues a multi-tenant client a token in each tenant with that tenant’s tid and service principal oid', async () => {
    const claims = []
    for (const tenant of ['contoso.onmicrosoft.com', 'fabrikam.onmicrosoft.com']) {
      const res = await post(
        authority.tokenEndpoint(tenant),
        secretForm(WORKER, WORKER_SECRET, `${ORDERS}/.default`),
      )
      expect(res.status).toBe(200)
      claims.push(decodeJwt(String(res.json.access_token)))
    }
    const [contoso, fabrikam] = claims
    expect(contoso?.tid).toBe('f6aba1d9-da41-4ea3-8f30-4970725586a8')
    expect(fabrikam?.tid).toBe('a3d2c1b0-9e8f-4a7b-8c6d-5e4f3a2b1c0d')
    expect(contoso?.oid).toBe(authority.clients.servicePrincipalId(WORKER, 'contoso.onmicrosoft.com'))
    expect(fabrikam?.oid).toBe(authority.clients.servicePrincipalId(WORKER, 'fabrikam.onmicrosoft.com'))
    expect(contoso?.oid).not.toBe(fabrikam?.oid)
    expect(contoso?.roles).toEqual(['Orders.Read'])
    expect(fabrikam?.roles).toBeUndefined()
    expect(contoso?.ver).toBe('2.0')
  })

  it('answers AADSTS700016 for a client asking in a tenant where it has no service principal', async () => {
    const res = await post(
      authority.tokenEndpoint('fabrikam.onmicrosoft.com'),
      secretForm(EXAMPLE.clients.admin.appId, EXAMPLE.clients.admin.secret, `${ORDERS}/.default`),
    )
    expect(res.json.error_codes).toEqual([700016])
    expect(res.json.error_description).toContain("directory 'Fabrikam'")
  })
})

describe('registry validation', () => {
  it('names the path of a malformed GUID', async () => {
    const error = await refusal({ tenants: [{ id: 'not-a-guid' }] })
    expect(error.issues[0]).toMatch(/^registry\.tenants\[0\]\.id: must be a GUID/)
    expect(error.code).toBe('ERR_REGISTRY_INVALID')
  })

  it('refuses a registry without tenants', async () => {
    expect((await refusal({ tenants: [] })).issues[0]).toMatch(
      /^registry\.tenants: a registry needs at least one tenant/,
    )
  })

  it('refuses unknown keys (a typo in a field name)', async () => {
    const registry = exampleRegistry()
    const error = await refusal({ ...registry, clients: [{ ...registry.clients?.[0], secret: 'x' }] })
    expect(error.issues.join('\n')).toMatch(/registry\.clients\[0\]/)
  })

  it('names the field a misspelt key probably meant, as the client does', async () => {
    const registry = exampleRegistry()
    const error = await refusal({ ...registry, clients: [{ ...registry.clients?.[0], secret: 'x' }] })
    expect(error.issues[0]).toMatch(/^registry\.clients\[0\]\.secret: unknown option: did you mean secrets\?/)
  })

  it('refuses a client in an unknown tenant, listing the known ones', async () => {
    const registry = exampleRegistry()
    const error = await refusal({
      ...registry,
      clients: [{ appId: '6b7c8d9e-0f1a-4b2c-8d3e-4f5a6b7c8d9e', tenant: 'nope.com' }],
    })
    expect(error.issues[0]).toContain("registry.clients[0].tenant: unknown tenant 'nope.com'")
    expect(error.issues[0]).toContain('contoso.onmicrosoft.com')
  })

  it('refuses a grant of a role the API does not define', async () => {
    const registry = exampleRegistry()
    const grants = [{ clientId: EXAMPLE.clients.admin.appId, api: EXAMPLE.api.uri, roles: ['Superuser'] }]
    const error = await refusal({ ...registry, grants })
    expect(error.issues[0]).toMatch(
      /^registry\.grants\[0\]\.roles\[0\]: .*no app role 'Superuser'.*Admin, ReadOnly/,
    )
  })

  it('refuses a grant to an app of a role allowed only for users', async () => {
    const registry = exampleRegistry()
    const api = { ...registry.apis?.[0], appRoles: [{ value: 'Human', allowedMemberTypes: ['User'] }] }
    const grants = [{ clientId: EXAMPLE.clients.admin.appId, api: EXAMPLE.api.uri, roles: ['Human'] }]
    const error = await refusal({ ...registry, apis: [api], grants })
    expect(error.issues[0]).toContain('cannot be assigned to applications')
  })

  it('refuses two clients with the same application id', async () => {
    const registry = exampleRegistry()
    const clients = [...(registry.clients ?? []), { appId: EXAMPLE.clients.admin.appId }]
    expect((await refusal({ ...registry, clients })).issues[0]).toContain('is already registered')
  })

  it('refuses a certificate that is not a PEM certificate', async () => {
    const registry = exampleRegistry()
    const clients = [{ appId: '7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f', certificates: [{ pem: 'hello' }] }]
    expect((await refusal({ ...registry, clients })).issues[0]).toMatch(
      /^registry\.clients\[0\]\.certificates\[0\]\.pem/,
    )
  })

  it('refuses both registry and registryFile, and an unreadable registryFile', async () => {
    await expect(startLocalAuthority({ registry: exampleRegistry(), registryFile: FIXTURE })).rejects.toThrow(
      /not both/,
    )
    await expect(startLocalAuthority({ registryFile: '/nonexistent/registry.json' })).rejects.toThrow(
      /registryFile: cannot read/,
    )
  })
})

describe('run-time registry changes', () => {
  let authority: LocalAuthority
  beforeAll(async () => {
    authority = await startLocalAuthority()
  })
  afterAll(() => authority.close())
  const ask = (clientId: string, secret: string) =>
    post(
      authority.tokenEndpoint(EXAMPLE.tenantId),
      secretForm(clientId, secret, `${EXAMPLE.api.uri}/.default`),
    )

  it('issues a token with roles to a client added, given a generated secret and granted a role at run time', async () => {
    const app = authority.clients.add({ appId: '8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a', displayName: 'late' })
    expect((await ask(app.appId, 'anything')).json.error_codes).toEqual([7000215])
    const secret = authority.clients.addSecret(app.appId)
    expect(secret.value).toMatch(/^.{3}8Q~.{34}$/)
    authority.clients.grant(app.appId, EXAMPLE.api.uri, ['ReadOnly'])
    authority.clients.grant(app.appId, EXAMPLE.api.uri, ['Admin'])
    const res = await ask(app.appId, secret.value)
    expect(decodeJwt(String(res.json.access_token)).roles).toEqual(['ReadOnly', 'Admin'])
    authority.clients.revoke(app.appId, EXAMPLE.api.uri, ['Admin'])
    expect(decodeJwt(String((await ask(app.appId, secret.value)).json.access_token)).roles).toEqual([
      'ReadOnly',
    ])
    authority.clients.removeSecret(app.appId, secret.id)
    expect((await ask(app.appId, secret.value)).json.error_codes).toEqual([7000215])
  })

  it('drops a role from tokens once the API no longer grants it, and adds a new role', async () => {
    const role = authority.apis.addRole(EXAMPLE.api.uri, { value: 'Audit' })
    expect(role.allowedMemberTypes).toEqual(['Application'])
    authority.clients.grant(EXAMPLE.clients.reader.appId, EXAMPLE.api.appId, ['Audit'])
    const res = await ask(EXAMPLE.clients.reader.appId, EXAMPLE.clients.reader.secret)
    expect(decodeJwt(String(res.json.access_token)).roles).toEqual(['ReadOnly', 'Audit'])
  })

  it('validates run-time changes with the same schema errors', () => {
    expect(() => authority.clients.addSecret(EXAMPLE.clients.admin.appId, { value: '' })).toThrow(
      /secret\.value/,
    )
    expect(() =>
      authority.clients.grant('9e0f1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b', EXAMPLE.api.uri, []),
    ).toThrow(/unknown client/)
    expect(() => authority.tenants.add({ id: EXAMPLE.tenantId })).toThrow(/already registered/)
  })

  it('gives every call of exampleRegistry() an independent copy', () => {
    const first = exampleRegistry()
    first.tenants.pop()
    expect(exampleRegistry().tenants).toHaveLength(1)
  })
})
