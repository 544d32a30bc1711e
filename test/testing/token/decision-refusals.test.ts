import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXAMPLE, type LocalAuthority, startLocalAuthority } from '../../../src/testing/index.js'
import { type Answer, ERROR_KEYS, get, post, secretForm } from '../helpers.js'

const { admin } = EXAMPLE.clients
const SCOPE = `${EXAMPLE.api.uri}/.default`
const UNKNOWN_CLIENT = '11111111-2222-4333-8444-555555555555'
let authority: LocalAuthority

beforeAll(async () => {
  authority = await startLocalAuthority()
})
afterAll(() => authority.close())

function expectError(res: Answer, status: number, error: string, code: number): void {
  expect(res.status).toBe(status)
  expect(Object.keys(res.json)).toEqual(ERROR_KEYS)
  expect(res.json.error).toBe(error)
  expect(res.json.error_codes).toEqual([code])
  expect(String(res.json.error_description)).toMatch(new RegExp(`^AADSTS${code}: `))
  expect(res.json.timestamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$/)
  expect(res.json.error_uri).toBe(`https://login.microsoftonline.com/error?code=${code}`)
  expect(res.headers['content-type']).toMatch(/^application\/json/)
}

const v2 = (tenant: string = EXAMPLE.tenantId) => authority.tokenEndpoint(tenant)

describe('tenant refusals', () => {
  it('answers 400 invalid_request AADSTS90002 for an unknown tenant GUID or domain', async () => {
    expectError(
      await post(v2('0f0f0f0f-1111-4222-8333-444444444444'), secretForm(admin.appId, admin.secret, SCOPE)),
      400,
      'invalid_request',
      90002,
    )
    const res = await post(v2('fabrikam.onmicrosoft.com'), secretForm(admin.appId, admin.secret, SCOPE))
    expectError(res, 400, 'invalid_request', 90002)
    expect(res.json.error_description).toContain("Tenant 'fabrikam.onmicrosoft.com' not found")
  })

  it.each(['common', 'organizations', 'consumers', 'token'])(
    'answers AADSTS900023 for the tenant segment %s',
    async (segment) => {
      expectError(
        await post(v2(segment), secretForm(admin.appId, admin.secret, SCOPE)),
        400,
        'invalid_request',
        900023,
      )
    },
  )
})

describe('request form refusals', () => {
  it('answers AADSTS900144 for a JSON body', async () => {
    const body = JSON.stringify(secretForm(admin.appId, admin.secret, SCOPE))
    const res = await post(v2(), body, { headers: { 'content-type': 'application/json' } })
    expectError(res, 400, 'invalid_request', 900144)
    expect(res.json.error_description).toContain("must contain the following parameter: 'grant_type'")
  })

  it('answers AADSTS900144 for parameters sent in the query string', async () => {
    const query = new URLSearchParams(secretForm(admin.appId, admin.secret, SCOPE))
    expectError(await post(`${v2()}?${query}`, ''), 400, 'invalid_request', 900144)
  })

  it('answers AADSTS900144 naming client_id, scope (v2) or resource (v1) when missing', async () => {
    const noId = await post(v2(), {
      grant_type: 'client_credentials',
      client_secret: admin.secret,
      scope: SCOPE,
    })
    expect(noId.json.error_description).toContain("'client_id'")
    const noScope = await post(v2(), {
      grant_type: 'client_credentials',
      client_id: admin.appId,
      client_secret: admin.secret,
    })
    expectError(noScope, 400, 'invalid_request', 900144)
    expect(noScope.json.error_description).toContain("'scope'")
    const noResource = await post(authority.tokenEndpoint(EXAMPLE.tenantId, 'v1'), {
      grant_type: 'client_credentials',
      client_id: admin.appId,
      client_secret: admin.secret,
    })
    expect(noResource.json.error_description).toContain("'resource'")
  })

  it('answers AADSTS900561 to a GET on the token endpoint', async () => {
    const res = await get(v2())
    expectError(res, 400, 'invalid_request', 900561)
    expect(res.json.error_description).toContain('Received a GET request')
  })

  it('answers unsupported_grant_type AADSTS70003 for another grant type', async () => {
    const form = { ...secretForm(admin.appId, admin.secret, SCOPE), grant_type: 'password' }
    expectError(await post(v2(), form), 400, 'unsupported_grant_type', 70003)
  })
})

describe('client and secret refusals', () => {
  it('answers 401 invalid_client AADSTS7000215 for a wrong secret, naming the app', async () => {
    const res = await post(v2(), secretForm(admin.appId, EXAMPLE.clients.admin.secretId, SCOPE))
    expectError(res, 401, 'invalid_client', 7000215)
    expect(res.json.error_description).toContain('not the client secret ID')
  })

  it('answers 401 AADSTS7000222 for an expired secret, by the injected clock', async () => {
    let now = Date.UTC(2030, 0, 1)
    const clocked = await startLocalAuthority({ now: () => now })
    try {
      const secret = clocked.clients.addSecret(admin.appId, { expiresAt: '2030-06-01T00:00:00Z' })
      const form = secretForm(admin.appId, secret.value, SCOPE)
      expect((await post(clocked.tokenEndpoint(EXAMPLE.tenantId), form)).status).toBe(200)
      now = Date.UTC(2030, 5, 2)
      expectError(await post(clocked.tokenEndpoint(EXAMPLE.tenantId), form), 401, 'invalid_client', 7000222)
    } finally {
      await clocked.close()
    }
  })

  it('answers 401 AADSTS7000218 when no credential is sent', async () => {
    const res = await post(v2(), { grant_type: 'client_credentials', client_id: admin.appId, scope: SCOPE })
    expectError(res, 401, 'invalid_client', 7000218)
  })

  it('answers 400 unauthorized_client AADSTS700016 for an app unknown in the tenant', async () => {
    const res = await post(v2(), secretForm(UNKNOWN_CLIENT, 'x', SCOPE))
    expectError(res, 400, 'unauthorized_client', 700016)
    expect(res.json.error_description).toContain("in the directory 'Contoso'")
  })

  it('answers 400 unauthorized_client AADSTS7000112 for a disabled app', async () => {
    authority.clients.setEnabled(admin.appId, false)
    try {
      expectError(
        await post(v2(), secretForm(admin.appId, admin.secret, SCOPE)),
        400,
        'unauthorized_client',
        7000112,
      )
    } finally {
      authority.clients.setEnabled(admin.appId, true)
    }
  })

  it('answers 401 AADSTS7000229 when the app lost its service principal in its home tenant', async () => {
    const app = authority.clients.add({
      appId: '3a4b5c6d-7e8f-4a0b-8c2d-4e6f8a0b2c3d',
      secrets: [{ value: 'v' }],
    })
    authority.clients.removeFromTenant(app.appId, EXAMPLE.tenantId)
    expectError(await post(v2(), secretForm(app.appId, 'v', SCOPE)), 401, 'invalid_client', 7000229)
  })
})

describe('scope and resource refusals', () => {
  it('answers invalid_scope AADSTS1002012 for a scope without /.default', async () => {
    const res = await post(v2(), secretForm(admin.appId, admin.secret, `${EXAMPLE.api.uri}/Orders.Read`))
    expectError(res, 400, 'invalid_scope', 1002012)
    expect(res.json.error_description).toContain('must have a scope value with /.default suffixed')
  })

  it('answers AADSTS1002012 for several scopes (openid with /.default)', async () => {
    expectError(
      await post(v2(), secretForm(admin.appId, admin.secret, `openid ${SCOPE}`)),
      400,
      'invalid_scope',
      1002012,
    )
  })

  it('answers invalid_scope AADSTS700022 for the /.default scopes of two resources', async () => {
    const res = await post(
      v2(),
      secretForm(admin.appId, admin.secret, `${SCOPE} https://graph.microsoft.com/.default`),
    )
    expectError(res, 400, 'invalid_scope', 700022)
  })

  it('answers invalid_resource AADSTS500011 for an unknown resource, naming the tenant', async () => {
    const res = await post(v2(), secretForm(admin.appId, admin.secret, 'api://nope/.default'))
    expectError(res, 400, 'invalid_resource', 500011)
    expect(res.json.error_description).toContain(
      'resource principal named api://nope was not found in the tenant named Contoso',
    )
  })

  it('answers AADSTS500011 on v1 when the resource carries /.default', async () => {
    const res = await post(authority.tokenEndpoint(EXAMPLE.tenantId, 'v1'), {
      grant_type: 'client_credentials',
      client_id: admin.appId,
      client_secret: admin.secret,
      resource: SCOPE,
    })
    expectError(res, 400, 'invalid_resource', 500011)
    expect(res.json.error_description).toContain(`named ${SCOPE} was not found`)
  })

  it('answers AADSTS90009 when an app asks for itself by App ID URI', async () => {
    const appId = '4b5c6d7e-8f9a-4b1c-9d3e-5f7a9b1c3d4e'
    authority.clients.add({ appId, displayName: 'selfish', secrets: [{ value: 'self' }] })
    authority.apis.add({ appId, appIdUris: ['api://selfish'] })
    const res = await post(v2(), secretForm(appId, 'self', 'api://selfish/.default'))
    expectError(res, 400, 'invalid_request', 90009)
    expect((await post(v2(), secretForm(appId, 'self', `${appId}/.default`))).status).toBe(200)
  })
})

describe('error body trailer and ids', () => {
  it('echoes client-request-id as correlation_id and uses x-ms-request-id as trace_id', async () => {
    const correlation = 'b6c7d8e9-0a1b-4c2d-8e3f-4a5b6c7d8e9f'
    const res = await post(v2(), secretForm(admin.appId, 'wrong', SCOPE), {
      headers: { 'client-request-id': correlation },
    })
    expect(res.json.correlation_id).toBe(correlation)
    expect(res.json.trace_id).toBe(res.headers['x-ms-request-id'])
    expect(authority.requests.last()?.clientRequestId).toBe(correlation)
  })

  it('makes up a correlation_id when the request sends none', async () => {
    const res = await post(v2(), secretForm(admin.appId, 'wrong', SCOPE))
    expect(res.json.correlation_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
  })

  it('separates the description trailer with single spaces by default', async () => {
    const res = await post(v2(), secretForm(admin.appId, 'wrong', SCOPE), {
      headers: { 'client-request-id': 'c-1' },
    })
    const description = String(res.json.error_description)
    expect(description).not.toContain('\r\n')
    expect(description).toMatch(
      new RegExp(` Trace ID: ${res.json.trace_id} Correlation ID: c-1 Timestamp: ${res.json.timestamp}$`),
    )
  })

  it('separates the description trailer with CRLF when descriptionSeparator is \\r\\n', async () => {
    const legacy = await startLocalAuthority({
      descriptionSeparator: '\r\n',
      now: () => Date.UTC(2022, 2, 3, 4, 5, 6),
    })
    try {
      const res = await post(
        legacy.tokenEndpoint(EXAMPLE.tenantId),
        secretForm(admin.appId, 'wrong', SCOPE),
        {
          headers: { 'client-request-id': 'c-2' },
        },
      )
      const lines = String(res.json.error_description).split('\r\n')
      expect(lines).toHaveLength(4)
      expect(lines[0]).toMatch(/^AADSTS7000215: /)
      expect(lines.slice(1)).toEqual([
        `Trace ID: ${res.json.trace_id}`,
        'Correlation ID: c-2',
        'Timestamp: 2022-03-03 04:05:06Z',
      ])
      expect(res.json.timestamp).toBe('2022-03-03 04:05:06Z')
    } finally {
      await legacy.close()
    }
  })

  it('names the impersonated cloud’s host in error_uri', async () => {
    const china = await startLocalAuthority({ cloud: 'AzureChina' })
    try {
      const res = await post(china.tokenEndpoint(EXAMPLE.tenantId), secretForm(admin.appId, 'wrong', SCOPE))
      expect(res.json.error_uri).toBe('https://login.partner.microsoftonline.cn/error?code=7000215')
    } finally {
      await china.close()
    }
  })
})

describe('request log', () => {
  it('logs the form with client_secret and client_assertion values redacted, and the status answered', async () => {
    authority.requests.clear()
    await post(v2(), { ...secretForm(admin.appId, admin.secret, SCOPE), client_assertion: 'eyJ.x.y' })
    const entry = authority.requests.last()
    expect(entry).toMatchObject({
      method: 'POST',
      route: 'token',
      version: 'v2',
      tenant: EXAMPLE.tenantId,
      clientId: admin.appId,
      status: 401,
      errorCodes: [7000218],
    })
    expect(entry?.form).toMatchObject({
      client_secret: '[redacted]',
      client_assertion: '[redacted]',
      scope: SCOPE,
    })
    expect(JSON.stringify(authority.requests.all())).not.toContain(admin.secret)
  })

  it('counts token requests in total and per client, and issued tokens', async () => {
    authority.requests.clear()
    await post(v2(), secretForm(admin.appId, admin.secret, SCOPE))
    await post(v2(), secretForm(admin.appId, 'wrong', SCOPE))
    await post(v2(), secretForm(EXAMPLE.clients.reader.appId, EXAMPLE.clients.reader.secret, SCOPE))
    expect(authority.counters).toMatchObject({
      token: 3,
      issued: 2,
      tokenByClient: { [admin.appId]: 2, [EXAMPLE.clients.reader.appId]: 1 },
    })
  })
})
