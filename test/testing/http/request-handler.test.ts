import fc from 'fast-check'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { EXAMPLE, type LocalAuthority, startLocalAuthority } from '../../../src/testing/index.js'
import { assertionForm, get, post, rawRequest, statusOf } from '../helpers.js'

const SCOPE = `${EXAMPLE.api.uri}/.default`
let authority: LocalAuthority
let endpoint: string
beforeAll(async () => {
  authority = await startLocalAuthority()
  endpoint = authority.tokenEndpoint(EXAMPLE.tenantId)
})
afterAll(() => authority.close())

describe('the local authority, on requests it cannot serve', () => {
  it('answers 413 to a body over 1 MiB', async () => {
    const body = `scope=${'x'.repeat(1024 * 1024)}`
    const res = await post(endpoint, body, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect([res.status, res.text]).toEqual([413, 'Payload Too Large'])
  })

  it('answers 405 to a POST to the metadata and JWKS routes, and logs it', async () => {
    for (const url of [authority.metadataUrl(EXAMPLE.tenantId), authority.jwksUrl(EXAMPLE.tenantId)]) {
      const res = await post(url, 'x')
      expect([res.status, res.text]).toEqual([405, 'Method Not Allowed'])
      expect(authority.requests.last()?.status).toBe(405)
    }
  })

  it('answers instance discovery without authorization_endpoint with AADSTS900144, and an unparsable one with AADSTS50049', async () => {
    const discovery = `${authority.url}/common/discovery/instance?api-version=1.1`
    expect((await get(discovery)).json).toMatchObject({ error: 'invalid_request', error_codes: [900144] })
    const unparsable = await get(`${discovery}&authorization_endpoint=not%20a%20url`)
    expect(unparsable.json).toMatchObject({ error: 'invalid_instance', error_codes: [50049] })
  })

  it.each([
    ['without a colon', EXAMPLE.clients.admin.appId],
    ['with a broken percent-encoding', `${EXAMPLE.clients.admin.appId}:%E0%A4%A`],
  ])(
    'ignores an HTTP Basic header %s, answering AADSTS900144 for the missing client_id',
    async (_name, value) => {
      const authorization = `Basic ${Buffer.from(value).toString('base64')}`
      const res = await post(
        endpoint,
        { grant_type: 'client_credentials', scope: SCOPE },
        { headers: { authorization } },
      )
      expect(res.json).toMatchObject({ error: 'invalid_request', error_codes: [900144] })
      expect(String(res.json.error_description)).toContain("'client_id'")
    },
  )

  it('answers AADSTS50027 to a client assertion of three parts that do not decode', async () => {
    const res = await post(endpoint, assertionForm(EXAMPLE.clients.admin.appId, 'a.b.c', SCOPE))
    expect(res.json).toMatchObject({ error: 'invalid_request', error_codes: [50027] })
  })
})

describe('the local authority, on request targets and headers it cannot parse (issue 13 finding 3)', () => {
  const unhandled: unknown[] = []
  const onUnhandled = (reason: unknown) => void unhandled.push(reason)
  beforeAll(() => void process.on('unhandledRejection', onUnhandled))
  afterAll(() => void process.off('unhandledRejection', onUnhandled))
  beforeEach(() => void unhandled.splice(0))

  /** The authority still answers a plain request, and nothing was left unhandled. */
  async function expectStillServing(): Promise<void> {
    expect((await get(authority.metadataUrl(EXAMPLE.tenantId))).status).toBe(200)
    await new Promise((resolve) => setImmediate(resolve))
    expect(unhandled).toEqual([])
  }

  it.each([
    '//',
    '//[',
    'http://[',
    '//x:99999/',
    '//user@/',
    '//%/',
    'http://127.0.0.1:99999/',
    '//[::1/oauth2/v2.0/token',
    '*',
    '/%',
    '/\\\\x',
  ])('answers a request for %s without crashing, and keeps serving', async (target) => {
    const answer = await rawRequest(authority.port, `GET ${target} HTTP/1.1\r\nhost: 127.0.0.1`)
    expect(statusOf(answer)).toBeGreaterThanOrEqual(400)
    await expectStillServing()
  })

  it.each([
    ['an empty host', 'host: '],
    ['a host that is not one', 'host: [::1'],
    ['a host with a bad port', 'host: 127.0.0.1:99999'],
    ['a client-request-id of spaces', 'host: 127.0.0.1\r\nclient-request-id:    '],
  ])('answers a token request with %s', async (_name, headers) => {
    const path = new URL(endpoint).pathname
    const answer = await rawRequest(authority.port, `POST ${path} HTTP/1.1\r\n${headers}`, 'grant_type=x')
    expect(statusOf(answer)).toBe(400)
    await expectStillServing()
  })

  it('never crashes nor stops serving, whatever the request target, method and headers', async () => {
    const printable = fc.string({
      unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
    })
    const target = fc.oneof(
      printable.map((s) => `/${s}`),
      printable.map((s) => `//${s}`),
      printable.map((s) => `http://${s}`),
      printable.map((s) => `${new URL(endpoint).pathname}?${s}`),
      printable,
    )
    const headerValue = fc.string({
      unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)),
      maxLength: 60,
    })
    const headerName = fc.constantFrom('host', 'content-type', 'authorization', 'client-request-id', 'x-any')
    const headers = fc.array(fc.tuple(headerName, headerValue), { maxLength: 5 })
    const method = fc.constantFrom('GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PATCH')
    await fc.assert(
      fc.asyncProperty(method, target, headers, printable, async (verb, path, fields, body) => {
        const head = [`${verb} ${path} HTTP/1.1`, ...fields.map(([name, value]) => `${name}: ${value}`)]
        const answer = await rawRequest(authority.port, head.join('\r\n'), verb === 'POST' ? body : '')
        expect(statusOf(answer)).toBeGreaterThanOrEqual(200)
        await expectStillServing()
      }),
      { numRuns: 120 },
    )
  })
})
