import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { HttpResponse, http, passthrough } from 'msw'
import { fetch as undiciFetch } from 'undici'
import { afterEach, describe, expect, test } from 'vitest'
import {
  type AuthorizedFetchOptions,
  createAuthorizedFetch,
  type FetchFunction,
} from '../../src/attach/fetch.js'
import type { TokenSource } from '../../src/attach/source.js'
import { TokenClient } from '../../src/client.js'
import { ConfigurationError } from '../../src/errors.js'
import { AccessToken } from '../../src/token.js'
import { useNetwork } from '../helpers/network.js'

const network = useNetwork()

const TENANT = 'contoso.onmicrosoft.com'
const CLIENT_ID = '55b2a7ec-73f3-45c2-af08-21ecc33dc40e'
const TOKEN_URL = `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`
const API = 'https://api.contoso.com'
const RESOURCE = 'api://myapis/mywebapi'
const CLAIMS = '{"access_token":{"nbf":{"essential":true,"value":"1764000000"}}}'
const CAE_CHALLENGE = `Bearer realm="", error="insufficient_claims", claims="${Buffer.from(CLAIMS).toString('base64')}"`

interface Seen {
  url: string
  authorization: string | null
  body: string
}

/** A client on a msw-mocked authority (tokens `token-1`, `token-2`, …), a fake clock, and the fetch under test. */
function setup(options: Partial<AuthorizedFetchOptions> = {}) {
  let now = Date.parse('2026-01-01T00:00:00Z')
  const clock = { now: () => now }
  const authority = { forms: [] as URLSearchParams[], down: false }
  network.use(
    http.post(TOKEN_URL, async ({ request }) => {
      authority.forms.push(new URLSearchParams(await request.text()))
      if (authority.down) return HttpResponse.error()
      const access_token = `token-${authority.forms.length}`
      return HttpResponse.json({ token_type: 'Bearer', expires_in: 3599, access_token })
    }),
  )
  const client = new TokenClient({
    tenant: TENANT,
    clientId: CLIENT_ID,
    credential: { clientSecret: 'not-a-real-secret' },
    clock,
    http: { retries: 0 },
  })
  const api = createAuthorizedFetch(client, { resource: RESOURCE, origins: [API], clock, ...options })
  /** Caches a token, then lets time pass: the next call is served from the cache. */
  const warm = async () => {
    await client.getToken(RESOURCE)
    now += 1_000
  }
  return { client, api, authority, warm }
}

/** An API at `origin` (msw) that records requests and answers with `answer(n)` for the n-th (from 1). */
function mockApi(
  origin: string,
  answer: (n: number) => Response = () => HttpResponse.json({ ok: true }),
  seen: Seen[] = [],
) {
  network.use(
    http.all(`${origin}/*`, async ({ request }) => {
      seen.push({
        url: request.url,
        authorization: request.headers.get('authorization'),
        body: await request.text(),
      })
      return answer(seen.length)
    }),
  )
  return seen
}

const unauthorized = (challenge = 'Bearer error="invalid_token"') =>
  new HttpResponse(null, { status: 401, headers: { 'www-authenticate': challenge } })

describe('which requests get the token', () => {
  test('only requests to a configured origin get the token: another port, scheme or host gets none', async () => {
    const { api } = setup()
    const seen: Seen[] = []
    for (const origin of [
      API,
      `${API}:8443`,
      'http://api.contoso.com',
      'https://api.contoso.com.evil.test',
    ]) {
      mockApi(origin, undefined, seen)
    }
    for (const url of [
      'https://api.contoso.com/orders',
      'HTTPS://API.CONTOSO.COM:443/orders',
      'https://api.contoso.com:8443/orders',
      'http://api.contoso.com/orders',
      'https://api.contoso.com.evil.test/orders',
    ]) {
      await api(url)
    }
    expect(seen.map((s) => [s.url, s.authorization])).toEqual([
      ['https://api.contoso.com/orders', 'Bearer token-1'],
      ['https://api.contoso.com/orders', 'Bearer token-1'],
      ['https://api.contoso.com:8443/orders', null],
      ['http://api.contoso.com/orders', null],
      ['https://api.contoso.com.evil.test/orders', null],
    ])
  })

  test('a string, a URL and a Request all get the token (one token request for all)', async () => {
    const { api, authority } = setup()
    const seen = mockApi(API)
    await api(`${API}/a`)
    await api(new URL(`${API}/b`))
    await api(new Request(`${API}/c`))
    expect(seen.map((s) => s.authorization)).toEqual(['Bearer token-1', 'Bearer token-1', 'Bearer token-1'])
    expect(authority.forms).toHaveLength(1)
    expect(authority.forms[0]?.get('scope')).toBe(`${RESOURCE}/.default`)
  })

  test("the caller's own Authorization is sent as it is, and no token is fetched", async () => {
    const { api, authority } = setup()
    const seen = mockApi(API)
    await api(`${API}/a`, { headers: { Authorization: 'Basic dXNlcjpwdw==' } })
    await api(new Request(`${API}/b`, { headers: { authorization: 'Bearer mine' } }))
    expect(seen.map((s) => s.authorization)).toEqual(['Basic dXNlcjpwdw==', 'Bearer mine'])
    expect(authority.forms).toHaveLength(0)
  })

  test("with otherOrigins: 'reject' a request to another origin throws and is not sent", async () => {
    const { api, authority } = setup({ otherOrigins: 'reject' })
    const seen = mockApi('https://evil.test')
    const error = await api('https://evil.test/steal').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigurationError)
    expect(error).toMatchObject({ code: 'ERR_CONFIG_INVALID', path: 'origins' })
    expect(seen).toHaveLength(0)
    expect(authority.forms).toHaveLength(0)
  })

  test("the caller's init and Request are not mutated, and the Request's body stays unread", async () => {
    const { api, warm } = setup()
    const seen = mockApi(API, (n) => (n === 1 ? unauthorized() : HttpResponse.json({ ok: true })))
    await warm()
    const headers = Object.freeze({ 'content-type': 'text/plain' })
    const init = Object.freeze({ method: 'POST', headers, body: 'payload' })
    await api(`${API}/a`, init)
    expect(init).toEqual({ method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'payload' })
    const request = new Request(`${API}/b`, { method: 'PUT', body: 'request body', headers: { 'x-a': '1' } })
    const response = await api(request)
    expect(response.status).toBe(200)
    expect([...request.headers]).toEqual([
      ['content-type', 'text/plain;charset=UTF-8'],
      ['x-a', '1'],
    ])
    expect(request.bodyUsed).toBe(false)
    expect(seen.map((s) => s.body)).toEqual(['payload', 'payload', 'request body'])
  })
})

describe('a 401', () => {
  test('a 401 to a cached token causes exactly one forced refresh and one retry', async () => {
    const { api, authority, warm } = setup()
    await warm()
    const seen = mockApi(API, (n) => (n === 1 ? unauthorized() : HttpResponse.json({ ok: true })))
    const response = await api(`${API}/orders`, { method: 'POST', body: JSON.stringify({ id: 1 }) })
    expect(response.status).toBe(200)
    expect(seen.map((s) => [s.authorization, s.body])).toEqual([
      ['Bearer token-1', '{"id":1}'],
      ['Bearer token-2', '{"id":1}'],
    ])
    expect(authority.forms).toHaveLength(2)
  })

  test('a second 401 is returned to the caller, not retried again', async () => {
    const { api, authority, warm } = setup()
    await warm()
    const seen = mockApi(API, () => unauthorized())
    const response = await api(`${API}/orders`)
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"')
    expect(seen).toHaveLength(2)
    expect(authority.forms).toHaveLength(2)
  })

  test('a 401 right after a fresh token is returned without a refresh or retry', async () => {
    const { api, authority } = setup()
    const seen = mockApi(API, () => unauthorized())
    expect((await api(`${API}/orders`)).status).toBe(401)
    expect(seen).toHaveLength(1)
    expect(authority.forms).toHaveLength(1)
  })

  test('a request with a stream body is not retried', async () => {
    const { api, authority, warm } = setup()
    await warm()
    const seen = mockApi(API, () => unauthorized())
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('streamed'))
        controller.close()
      },
    })
    const response = await api(`${API}/upload`, { method: 'POST', body, duplex: 'half' })
    expect(response.status).toBe(401)
    expect(seen.map((s) => s.body)).toEqual(['streamed'])
    expect(authority.forms).toHaveLength(1)
  })

  test('a CAE challenge gets a token with the decoded claims, then one retry', async () => {
    const { api, authority } = setup()
    const seen = mockApi(API, (n) =>
      n === 1 ? unauthorized(CAE_CHALLENGE) : HttpResponse.json({ ok: true }),
    )
    const response = await api(`${API}/orders`) // the first token is fresh: only the challenge justifies a retry
    expect(response.status).toBe(200)
    expect(authority.forms.map((f) => f.get('claims'))).toEqual([null, CLAIMS])
    expect(seen.map((s) => s.authorization)).toEqual(['Bearer token-1', 'Bearer token-2'])
  })
})

describe('failing closed', () => {
  test('when the authority is down the request is not sent and the error propagates', async () => {
    const { api, authority } = setup()
    authority.down = true
    const seen = mockApi(API)
    await expect(api(`${API}/orders`)).rejects.toMatchObject({ code: 'ERR_TOKEN_REQUEST_FAILED' })
    expect(seen).toHaveLength(0)
  })

  test('when the refresh after a 401 fails, the error propagates and nothing is resent', async () => {
    const { api, authority, warm } = setup()
    await warm()
    const seen = mockApi(API, () => unauthorized())
    authority.down = true
    await expect(api(`${API}/orders`)).rejects.toMatchObject({ code: 'ERR_TOKEN_REQUEST_FAILED' })
    expect(seen).toHaveLength(1)
  })
})

describe('a token that cannot go in a header (issue 13 finding 11)', () => {
  test.each([
    ['a CR/LF', 'leaked-token\r\nx-injected: value'],
    ['a character outside Latin-1', 'leaked\u20actoken-value'],
  ])(
    'holding %s, from a source that hands one out: not sent, and the error does not hold it',
    async (_, unsafe) => {
      // a source written in JavaScript, or a token revived from an old store entry, can hold anything
      const token = Object.create(AccessToken.prototype, {
        accessToken: { value: unsafe },
        requestedAt: { value: 0 },
        expiresAt: { value: 3_600_000 },
        refreshAt: { value: 3_300_000 },
        scope: { value: RESOURCE },
      }) as AccessToken
      const source: TokenSource = { getToken: async () => token }
      const seen = mockApi(API)
      const api = createAuthorizedFetch(source, { resource: RESOURCE, origins: [API] })
      const error = await api(`${API}/orders`).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(Error)
      expect(`${String(error)} ${JSON.stringify(error)} ${(error as Error).stack}`).not.toContain('leaked')
      expect(seen).toHaveLength(0)
    },
  )
})

describe('options', () => {
  const client = new TokenClient({ tenant: TENANT, clientId: CLIENT_ID, credential: { clientSecret: 'x' } })
  const problem = (options: unknown): [string, string] | undefined => {
    try {
      createAuthorizedFetch(client, options as AuthorizedFetchOptions)
    } catch (error) {
      if (error instanceof ConfigurationError) return [error.path, error.message]
      throw error
    }
    return undefined
  }

  test('invalid options throw one ConfigurationError naming the option', () => {
    expect(problem({ origins: [API] })).toEqual(['resource', expect.stringMatching(/resource \(or scope\)/)])
    expect(problem({ resource: RESOURCE, origins: [] })).toEqual([
      'origins',
      expect.stringMatching(/is empty/),
    ])
    expect(problem({ resource: RESOURCE, origins: [`${API}/orders`] })).toEqual([
      'origins.0',
      expect.stringMatching(/origin only/),
    ])
    expect(problem({ resource: RESOURCE, origins: ['http://api.contoso.com'] })).toEqual([
      'origins.0',
      expect.stringMatching(/https/),
    ])
    expect(problem({ resource: RESOURCE, origins: [API], otherOrigins: 'drop' })?.[0]).toBe('otherOrigins')
    expect(problem({ resource: RESOURCE, origins: [API], follow: true })?.[1]).toMatch(/unknown option/)
    expect(problem({ scope: `${RESOURCE}/.default`, origins: [API] })).toBeUndefined()
  })
})

describe('redirects (real loopback servers)', () => {
  const servers: Array<ReturnType<typeof createServer>> = []
  afterEach(() => {
    for (const server of servers.splice(0)) server.close()
  })

  async function listen(handle: (req: IncomingMessage, res: ServerResponse) => void) {
    const seen: Array<{ url: string | undefined; authorization: string | undefined }> = []
    const server = createServer((req, res) => {
      seen.push({ url: req.url, authorization: req.headers.authorization })
      handle(req, res)
    })
    servers.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return { seen, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
  }

  const fetches: Array<[string, FetchFunction | undefined]> = [
    ["Node's fetch", undefined],
    ['undici.fetch', undiciFetch as unknown as FetchFunction],
  ]

  test.each(fetches)(
    'with %s a cross-origin redirect arrives without the token; a same-origin one keeps it',
    async (_, fetch) => {
      network.use(http.all(/^http:\/\/127\.0\.0\.1:\d+\//, () => passthrough()))
      const other = await listen((_req, res) => res.end('other'))
      const api = await listen((req, res) => {
        if (req.url === '/away') res.writeHead(302, { location: `${other.origin}/landed` }).end()
        else if (req.url === '/here') res.writeHead(307, { location: '/landed' }).end()
        else res.end('api')
      })
      const { api: authorized } = setup({ origins: [api.origin], ...(fetch && { fetch }) })
      expect(await (await authorized(`${api.origin}/away`)).text()).toBe('other')
      expect(await (await authorized(`${api.origin}/here`)).text()).toBe('api')
      expect(other.seen).toEqual([{ url: '/landed', authorization: undefined }])
      expect(api.seen).toEqual([
        { url: '/away', authorization: 'Bearer token-1' },
        { url: '/here', authorization: 'Bearer token-1' },
        { url: '/landed', authorization: 'Bearer token-1' },
      ])
    },
  )

  test('a 401 from the other origin a redirect led to is returned, not retried', async () => {
    network.use(http.all(/^http:\/\/127\.0\.0\.1:\d+\//, () => passthrough()))
    const other = await listen((_req, res) => res.writeHead(401).end())
    const api = await listen((_req, res) => res.writeHead(302, { location: `${other.origin}/x` }).end())
    const { api: authorized, authority, warm } = setup({ origins: [api.origin] })
    await warm()
    expect((await authorized(`${api.origin}/away`)).status).toBe(401)
    expect(api.seen).toHaveLength(1)
    expect(authority.forms).toHaveLength(1)
  })
})
