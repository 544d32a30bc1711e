/** TokenClient: the token request as sent, generic servers, secrets, wrappers and the environment. */
import { inspect } from 'node:util'
import { HttpResponse, http } from 'msw'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { TokenClient } from '../src/client.js'
import { ConfigurationError } from '../src/errors.js'
import { API, newClient } from './helpers/client.js'
import { useNetwork } from './helpers/network.js'
import {
  CLIENT_ID,
  entraError,
  fakeJwt,
  manualClock,
  SECRET,
  scriptedEndpoint,
  TENANT,
  V1_URL,
  V2_URL,
  v2Token,
} from './helpers/token-endpoint.js'

const network = useNetwork()

afterEach(() => {
  vi.useRealTimers()
})

describe('token requests', () => {
  it('POSTs the v2 form with the /.default scope and the secret, and returns the token', async () => {
    const endpoint = scriptedEndpoint(V2_URL, [v2Token(fakeJwt({ aud: API, roles: ['Admin'] }))])
    network.use(endpoint.handler)
    const token = await newClient().getToken(API)
    expect(endpoint.count).toBe(1)
    const [seen] = endpoint.seen
    expect(Object.fromEntries(seen?.form ?? [])).toEqual({
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      scope: 'api://myapis/mywebapi/.default',
      client_secret: SECRET,
    })
    expect(seen?.headers.get('content-type')).toBe('application/x-www-form-urlencoded')
    expect(seen?.headers.get('accept')).toBe('application/json')
    expect(seen?.headers.get('user-agent')).toMatch(/^oauth-client-credentials\/\d+\.\d+\.\d+ node\//)
    expect(seen?.headers.get('client-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    expect(seen?.headers.get('x-ms-lib-capability')).toBe('retry-after, h429')
    expect(token.scope).toBe('api://myapis/mywebapi/.default')
    expect(token.tenant).toBe(TENANT)
    expect(token.claims?.roles).toEqual(['Admin'])
    expect(token.expiresAt - token.requestedAt).toBe(3_599_000)
  })

  it('sends resource (without /.default) to the v1 endpoint and reads its string numbers', async () => {
    const endpoint = scriptedEndpoint(V1_URL, [
      HttpResponse.json({
        token_type: 'Bearer',
        expires_in: '3599',
        ext_expires_in: '3599',
        access_token: 'v1token',
        resource: API,
      }),
    ])
    network.use(endpoint.handler)
    const token = await newClient({ endpointVersion: 'v1' }).getToken(`${API}/.default`)
    expect(endpoint.seen[0]?.form.get('resource')).toBe(API)
    expect(endpoint.seen[0]?.form.has('scope')).toBe(false)
    expect(token.accessToken).toBe('v1token')
    expect(token.expiresAt - token.requestedAt).toBe(3_599_000)
  })

  it('sends HTTP Basic with the id and secret form-encoded before base64 (client_secret_basic)', async () => {
    const endpoint = scriptedEndpoint(V2_URL, [v2Token('t')])
    network.use(endpoint.handler)
    const secret = 'a+b c~d.e_f-g:h%'
    await newClient({ credential: { clientSecret: secret }, authMethod: 'client_secret_basic' }).getToken(API)
    const header = endpoint.seen[0]?.headers.get('authorization') ?? ''
    const decoded = Buffer.from(header.replace(/^Basic /, ''), 'base64').toString()
    expect(decoded).toBe(`${CLIENT_ID}:a%2Bb+c%7Ed.e_f-g%3Ah%25`)
    expect(endpoint.seen[0]?.form.has('client_secret')).toBe(false)
  })

  it('uses another tenant per call, validated the same way', async () => {
    const other = 'fabrikam.onmicrosoft.com'
    const endpoint = scriptedEndpoint(`https://login.microsoftonline.com/${other}/oauth2/v2.0/token`, [
      v2Token('t2'),
    ])
    network.use(endpoint.handler)
    const client = newClient()
    const token = await client.getToken(API, { tenant: other })
    expect(token.tenant).toBe(other)
    await expect(client.getToken(API, { tenant: 'common' })).rejects.toBeInstanceOf(ConfigurationError)
    expect(endpoint.count).toBe(1)
  })

  it('refuses a delegated scope before sending anything', async () => {
    const endpoint = scriptedEndpoint(V2_URL, [v2Token('t')])
    network.use(endpoint.handler)
    await expect(newClient().getToken('User.Read')).rejects.toMatchObject({
      code: 'ERR_CONFIG_INVALID',
      path: 'resource',
    })
    expect(endpoint.count).toBe(0)
  })

  it('uses the sovereign cloud host', async () => {
    const endpoint = scriptedEndpoint(
      `https://login.partner.microsoftonline.cn/${TENANT}/oauth2/v2.0/token`,
      [v2Token('cn')],
    )
    network.use(endpoint.handler)
    expect((await newClient({ cloud: 'AzureChina' }).getToken(API)).accessToken).toBe('cn')
  })
})

describe('generic OAuth servers', () => {
  const TOKEN_URL = 'https://idp.example.com/oauth/token'

  it('sends raw scopes and RFC 8707 resources, and accepts opaque tokens', async () => {
    const endpoint = scriptedEndpoint(TOKEN_URL, [
      HttpResponse.json({
        token_type: 'Bearer',
        expires_in: 300,
        access_token: 'opaque-123',
        scope: 'read write',
      }),
    ])
    network.use(endpoint.handler)
    const client = new TokenClient({
      tokenEndpoint: TOKEN_URL,
      clientId: 'my-client',
      credential: { clientSecret: 's' },
    })
    const token = await client.getToken({
      scope: ['read', 'write'],
      resource: ['https://api.example.com', 'https://b.example.com'],
    })
    expect(endpoint.seen[0]?.form.get('scope')).toBe('read write')
    expect(endpoint.seen[0]?.form.getAll('resource')).toEqual([
      'https://api.example.com',
      'https://b.example.com',
    ])
    expect(endpoint.seen[0]?.headers.get('x-ms-lib-capability')).toBeNull()
    expect(token.accessToken).toBe('opaque-123')
    expect(token.claims).toBeUndefined()
    await client.getToken({
      scope: ['read', 'write'],
      resource: ['https://api.example.com', 'https://b.example.com'],
    })
    await client.getToken('read write')
    expect(endpoint.count).toBe(2)
  })

  it('refuses a resource that is not an absolute URI', async () => {
    const client = new TokenClient({
      tokenEndpoint: TOKEN_URL,
      clientId: 'my-client',
      credential: { clientSecret: 's' },
    })
    await expect(client.getToken({ resource: 'not a uri' })).rejects.toMatchObject({ path: 'resource' })
  })
})

describe('secrets stay secret', () => {
  it('never shows the secret in inspect, JSON, errors or logger output', async () => {
    const logged: string[] = []
    const log = (...args: unknown[]) => logged.push(inspect(args, { depth: 10 }))
    const clock = manualClock()
    const endpoint = scriptedEndpoint(V2_URL, [
      v2Token('the-access-token'),
      entraError(401, 'invalid_client', 7000215, 'Invalid client secret provided.'),
    ])
    network.use(endpoint.handler)
    const client = newClient({ clock, logger: { debug: log, info: log, warn: log, error: log } })
    const token = await client.getToken(API)
    clock.advance(56 * 60_000)
    await client.getToken(API)
    await vi.waitFor(() => expect(logged.length).toBeGreaterThan(0))
    const error = await client.getToken(API, { forceRefresh: true }).catch((e: unknown) => e)
    const badConfig = (() => {
      try {
        return newClient({ tenant: 'common' })
      } catch (e) {
        return e
      }
    })()
    const surfaces = [
      inspect(client, { depth: 10, showHidden: true }),
      JSON.stringify(client),
      inspect(token, { depth: 10 }),
      JSON.stringify(token),
      inspect(error, { depth: 10, showHidden: true }),
      JSON.stringify(error),
      String((error as Error).stack),
      inspect(badConfig, { depth: 10, showHidden: true }),
      ...logged,
    ]
    for (const text of surfaces) {
      expect(text).not.toContain(SECRET)
      expect(text).not.toContain('the-access-token')
    }
    expect(inspect(client)).toContain(CLIENT_ID)
    expect(inspect(token)).toContain('[redacted]')
  })
})

describe('wrappers on the client', () => {
  it('authorizedFetch sends the client token to its origins only, and asTokenCredential shares the cache', async () => {
    const endpoint = scriptedEndpoint(V2_URL, [v2Token('wrapped-token')])
    const seen: Array<string | null> = []
    network.use(
      endpoint.handler,
      http.get('https://api.contoso.com/orders', ({ request }) => {
        seen.push(request.headers.get('authorization'))
        return HttpResponse.json([])
      }),
      http.get('https://elsewhere.example.com/', ({ request }) => {
        seen.push(request.headers.get('authorization'))
        return HttpResponse.json([])
      }),
    )
    const client = newClient()
    const api = client.authorizedFetch({ resource: API, origins: ['https://api.contoso.com'] })
    await api('https://api.contoso.com/orders')
    await api('https://elsewhere.example.com/')
    expect(seen).toEqual(['Bearer wrapped-token', null])
    const azure = await client.asTokenCredential().getToken('api://myapis/mywebapi/.default')
    expect(azure?.token).toBe('wrapped-token')
    expect(endpoint.count).toBe(1)
  })
})

describe('TokenClient.fromEnvironment', () => {
  it('builds a client from the AZURE_* variables, overrides winning', async () => {
    const endpoint = scriptedEndpoint(V2_URL, [v2Token('from-env')])
    network.use(endpoint.handler)
    const client = TokenClient.fromEnvironment(
      { http: { retries: 0 } },
      { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT_ID, AZURE_CLIENT_SECRET: SECRET },
    )
    expect((await client.getToken(API)).accessToken).toBe('from-env')
    expect(endpoint.seen[0]?.form.get('client_secret')).toBe(SECRET)
    expect(() => TokenClient.fromEnvironment({}, { AZURE_TENANT_ID: TENANT })).toThrow(/AZURE_CLIENT_ID/)
  })
})
