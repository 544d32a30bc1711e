import { inspect } from 'node:util'
import { HttpResponse, http } from 'msw'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { TokenClient } from '../src/client.js'
import { AuthorityError, ConfigurationError, TransportError } from '../src/errors.js'
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
const API = 'api://myapis/mywebapi'

function newClient(extra: Partial<ConstructorParameters<typeof TokenClient>[0]> = {}) {
  return new TokenClient({
    tenant: TENANT,
    clientId: CLIENT_ID,
    credential: { clientSecret: SECRET },
    ...extra,
  })
}

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

describe('caching', () => {
  it('sends exactly one POST for 1,000 concurrent cold calls, and all get the same token', async () => {
    const endpoint = scriptedEndpoint(V2_URL, [v2Token('shared')])
    network.use(endpoint.handler)
    const client = newClient()
    const tokens = await Promise.all(Array.from({ length: 1000 }, () => client.getToken(API)))
    expect(endpoint.count).toBe(1)
    expect(new Set(tokens).size).toBe(1)
  })

  it('serves later calls from memory without a request', async () => {
    const endpoint = scriptedEndpoint(V2_URL, [v2Token('cached')])
    network.use(endpoint.handler)
    const client = newClient()
    await client.getToken(API)
    for (let i = 0; i < 100; i++) await client.getToken(API)
    await client.getToken('api://myapis/mywebapi/.default')
    expect(endpoint.count).toBe(1)
  })

  it('after refreshAt resolves from memory without waiting and exactly one POST follows', async () => {
    const clock = manualClock()
    let release!: () => void
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const endpoint = scriptedEndpoint(V2_URL, [
      v2Token('first'),
      async () => {
        await gate
        return v2Token('second')
      },
    ])
    network.use(endpoint.handler)
    const client = newClient({ clock })
    await client.getToken(API)
    clock.advance(56 * 60_000)
    const during = await Promise.all([client.getToken(API), client.getToken(API), client.getToken(API)])
    expect(during.map((t) => t.accessToken)).toEqual(['first', 'first', 'first'])
    await vi.waitFor(() => expect(endpoint.count).toBe(2))
    release()
    await vi.waitFor(async () => expect((await client.getToken(API)).accessToken).toBe('second'))
    expect(endpoint.count).toBe(2)
  })

  it('keeps serving the old token when a background refresh is answered 503, raising nothing', async () => {
    const clock = manualClock()
    const warnings: unknown[][] = []
    const unhandled = vi.fn()
    process.on('unhandledRejection', unhandled)
    const endpoint = scriptedEndpoint(V2_URL, [
      v2Token('first'),
      entraError(503, 'temporarily_unavailable', 90033, 'The service is temporarily unavailable.'),
    ])
    network.use(endpoint.handler)
    const client = newClient({ clock, logger: { warn: (...args) => warnings.push(args) } })
    await client.getToken(API)
    clock.advance(56 * 60_000)
    expect((await client.getToken(API)).accessToken).toBe('first')
    await vi.waitFor(() => expect(warnings).toHaveLength(1))
    expect(endpoint.count).toBe(2) // background refreshes make one attempt; later calls retry with backoff
    expect((await client.getToken(API)).accessToken).toBe('first')
    expect(String(warnings[0]?.[0])).toContain('Background token refresh failed')
    expect(warnings[0]?.[1]).toMatchObject({ code: 'ERR_AUTHORITY_REJECTED', failures: 1 })
    process.off('unhandledRejection', unhandled)
    expect(unhandled).not.toHaveBeenCalled()
  })

  it('gives callers the error near expiry when no new token can be had', async () => {
    const clock = manualClock()
    const endpoint = scriptedEndpoint(V2_URL, [
      v2Token('first'),
      entraError(401, 'invalid_client', 7000222, 'The provided client secret keys are expired.'),
    ])
    network.use(endpoint.handler)
    const client = newClient({ clock })
    await client.getToken(API)
    clock.advance(60 * 60_000 - 29_000)
    await expect(client.getToken(API)).rejects.toMatchObject({
      code: 'ERR_AUTHORITY_REJECTED',
      aadstsCodes: [7000222],
    })
  })

  it('caches per tenant and scope, and clearCache forgets them', async () => {
    const endpoint = scriptedEndpoint(V2_URL, [v2Token('t')])
    network.use(endpoint.handler)
    const client = newClient()
    await client.getToken(API)
    await client.getToken('https://graph.microsoft.com')
    expect(client.cachedTokens).toBe(2)
    client.clearCache()
    expect(client.cachedTokens).toBe(0)
    await client.getToken(API)
    expect(endpoint.count).toBe(3)
  })

  it('shares one cached token between spellings of a tenant that differ in case', async () => {
    const other = 'fabrikam.onmicrosoft.com'
    const endpoint = scriptedEndpoint(`https://login.microsoftonline.com/:tenant/oauth2/v2.0/token`, [
      v2Token('t'),
    ])
    network.use(endpoint.handler)
    const client = newClient()
    const first = await client.getToken(API, { tenant: other })
    const second = await client.getToken(API, { tenant: 'Fabrikam.OnMicrosoft.com' })
    expect(second).toBe(first)
    expect(endpoint.count).toBe(1)
  })

  it('honours maxEntries', async () => {
    const endpoint = scriptedEndpoint(V2_URL, [v2Token('t')])
    network.use(endpoint.handler)
    const client = newClient({ cache: { maxEntries: 2 } })
    for (const api of ['api://a', 'api://b', 'api://c']) await client.getToken(api)
    expect(client.cachedTokens).toBe(2)
    await client.getToken('api://a')
    expect(endpoint.count).toBe(4)
  })
})

describe('failures', () => {
  it('waits the 2 s a 429 asks for, then succeeds', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const endpoint = scriptedEndpoint(V2_URL, [
      new HttpResponse('Too Many Requests', {
        status: 429,
        headers: { 'retry-after': '2', 'content-type': 'text/plain' },
      }),
      v2Token('after-throttle'),
    ])
    network.use(endpoint.handler)
    const pending = newClient().getToken(API)
    // (vi.waitFor would move the fake clock itself; poll on real immediates instead)
    while (endpoint.count < 1) await new Promise((resolve) => setImmediate(resolve))
    await vi.advanceTimersByTimeAsync(1999)
    expect(endpoint.count).toBe(1)
    await vi.advanceTimersByTimeAsync(1)
    expect((await pending).accessToken).toBe('after-throttle')
    expect(endpoint.count).toBe(2)
  })

  it('gives up on a Retry-After longer than maxRetryDelayMs and reports how long to wait', async () => {
    const endpoint = scriptedEndpoint(V2_URL, [
      new HttpResponse('Too Many Requests', { status: 429, headers: { 'retry-after': '120' } }),
    ])
    network.use(endpoint.handler)
    await expect(newClient().getToken(API)).rejects.toMatchObject({
      status: 429,
      retryAfterMs: 120_000,
      retryable: true,
    })
    expect(endpoint.count).toBe(1)
  })

  it('retries 5xx with backoff up to the retry budget', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const endpoint = scriptedEndpoint(V2_URL, [entraError(500, 'server_error', 50000, 'oops')])
    network.use(endpoint.handler)
    const pending = newClient({ http: { retries: 2 } }).getToken(API)
    const outcome = pending.then(
      () => undefined,
      (error: unknown) => error,
    )
    await vi.waitFor(() => expect(endpoint.count).toBe(1))
    await vi.advanceTimersByTimeAsync(500)
    await vi.waitFor(() => expect(endpoint.count).toBe(2))
    await vi.advanceTimersByTimeAsync(1000)
    await vi.waitFor(() => expect(endpoint.count).toBe(3))
    expect(await outcome).toMatchObject({ status: 500, aadstsCodes: [50000] })
    await vi.advanceTimersByTimeAsync(60_000)
    expect(endpoint.count).toBe(3)
  })

  it('does not retry invalid_client beyond the one credential reload, and carries its hint', async () => {
    const endpoint = scriptedEndpoint(V2_URL, [
      entraError(401, 'invalid_client', 7000215, 'Invalid client secret provided.'),
    ])
    network.use(endpoint.handler)
    const error = await newClient({ credential: { clientSecret: '2c6f1e9b-3d1a-4a8e-9d5c-7b0e8f3a1c2d' } })
      .getToken(API)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthorityError)
    expect((error as AuthorityError).hint).toContain('Secret ID')
    expect(endpoint.count).toBe(2) // AADSTS7000215: the secret is read again and sent once more
  })

  it('turns a timeout into a TransportError with reason timeout', async () => {
    network.use(http.post(V2_URL, () => new Promise<Response>(() => {})))
    const error = await newClient({ http: { timeoutMs: 50, retries: 0 } })
      .getToken(API)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TransportError)
    expect((error as TransportError).reason).toBe('timeout')
    expect((error as TransportError).code).toBe('ERR_TOKEN_REQUEST_FAILED')
  })

  it('refuses a redirect from the token endpoint without following it', async () => {
    const endpoint = scriptedEndpoint(V2_URL, [
      new HttpResponse(null, { status: 307, headers: { location: 'https://evil.example/token' } }),
    ])
    network.use(endpoint.handler)
    const error = await newClient()
      .getToken(API)
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'ERR_TOKEN_REQUEST_FAILED', reason: 'redirect' })
    expect(endpoint.count).toBe(1)
  })

  it('refuses an answer larger than maxResponseBytes', async () => {
    const endpoint = scriptedEndpoint(V2_URL, [
      HttpResponse.json({ token_type: 'Bearer', expires_in: 3599, access_token: 'x'.repeat(5000) }),
    ])
    network.use(endpoint.handler)
    const error = await newClient({ http: { maxResponseBytes: 1000 } })
      .getToken(API)
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'ERR_TOKEN_REQUEST_FAILED', reason: 'body_too_large' })
  })

  it('refuses http to a non-loopback host at construction', () => {
    expect(() => newClient({ authorityHost: 'http://login.example.com' })).toThrow(ConfigurationError)
    expect(
      () =>
        new TokenClient({
          tokenEndpoint: 'http://idp.example.com/token',
          clientId: 'c',
          credential: { clientSecret: 's' },
        }),
    ).toThrow(/loopback/)
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
