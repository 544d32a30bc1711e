import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  EXAMPLE,
  type LocalAuthority,
  RegistryError,
  startLocalAuthority,
} from '../../../src/testing/index.js'
import { ERROR_KEYS, get, post, secretForm, secretResourceForm } from '../helpers.js'

const { admin, reader } = EXAMPLE.clients
const SCOPE = `${EXAMPLE.api.uri}/.default`
let authority: LocalAuthority
const askToken = (clientId: string = admin.appId, secret: string = admin.secret) =>
  post(authority.tokenEndpoint(EXAMPLE.tenantId), secretForm(clientId, secret, SCOPE))

beforeAll(async () => {
  authority = await startLocalAuthority()
})
afterEach(() => authority.faults.clear())
afterAll(() => authority.close())

describe('status faults', () => {
  it('answers 429 with a plain-text "Too Many Requests" body and Retry-After, then recovers', async () => {
    authority.faults.add({ kind: 'status429', retryAfter: 7 })
    const res = await askToken()
    expect(res.status).toBe(429)
    expect(res.text).toBe('Too Many Requests')
    expect(res.headers['content-type']).toMatch(/^text\/plain/)
    expect(res.headers['retry-after']).toBe('7')
    expect((await askToken()).status).toBe(200)
  })

  it('omits Retry-After on a 429 when no retryAfter is given', async () => {
    authority.faults.add({ kind: 'status429' })
    const res = await askToken()
    expect(res.status).toBe(429)
    expect(res.headers).not.toHaveProperty('retry-after')
  })

  it('answers 503 temporarily_unavailable AADSTS90033 with an Entra error body', async () => {
    authority.faults.add({ kind: 'status503' })
    const res = await askToken()
    expect(res.status).toBe(503)
    expect(Object.keys(res.json)).toEqual(ERROR_KEYS)
    expect(res.json).toMatchObject({ error: 'temporarily_unavailable', error_codes: [90033] })
    expect(res.json.trace_id).toBe(res.headers['x-ms-request-id'])
  })

  it('answers 500 server_error AADSTS50000', async () => {
    authority.faults.add({ kind: 'status500' })
    const res = await askToken()
    expect(res.status).toBe(500)
    expect(res.json).toMatchObject({ error: 'server_error', error_codes: [50000] })
  })

  it('answers an HTML 502 page', async () => {
    authority.faults.add({ kind: 'html' })
    const res = await askToken()
    expect(res.status).toBe(502)
    expect(res.headers['content-type']).toMatch(/^text\/html/)
    expect(res.text).toContain('<html>')
  })

  it('answers 400 use_dpop_nonce with a new DPoP-Nonce each time on useDpopNonce, then recovers', async () => {
    authority.faults.add({ kind: 'useDpopNonce', times: 2 })
    const [first, second] = [await askToken(), await askToken()]
    for (const res of [first, second]) {
      expect(res?.status).toBe(400)
      expect(res?.json).toMatchObject({ error: 'use_dpop_nonce' })
      expect(res?.headers['dpop-nonce']).toMatch(/^[\w-]{16,}$/)
    }
    expect(first?.headers['dpop-nonce']).not.toBe(second?.headers['dpop-nonce'])
    expect((await askToken()).status).toBe(200)
  })
})

describe('transport faults', () => {
  it('delays the answer by the latency fault’s ms, then answers normally', async () => {
    authority.faults.add({ kind: 'latency', ms: 150 })
    const started = performance.now()
    const res = await askToken()
    expect(performance.now() - started).toBeGreaterThanOrEqual(140)
    expect(res.status).toBe(200)
  })

  it('destroys the socket without answering on drop, and logs the request as dropped', async () => {
    authority.faults.add({ kind: 'drop' })
    await expect(askToken()).rejects.toThrow()
    expect(authority.requests.last()).toMatchObject({ status: 'dropped', fault: 'drop' })
    expect((await askToken()).status).toBe(200)
  })
})

describe('body faults', () => {
  it('cuts the JSON body in half on truncated, with a matching Content-Length', async () => {
    authority.faults.add({ kind: 'truncated' })
    const res = await askToken()
    expect(res.status).toBe(200)
    expect(() => JSON.parse(res.text)).toThrow()
    expect(res.text.startsWith('{"token_type":"Bearer"')).toBe(true)
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text))
  })

  it('pads the body to the requested size and sends it chunked on oversized', async () => {
    authority.faults.add({ kind: 'oversized', bytes: 3 * 1024 * 1024 })
    const res = await askToken()
    expect(res.headers).not.toHaveProperty('content-length')
    expect(res.headers['transfer-encoding']).toBe('chunked')
    expect(Buffer.byteLength(res.text)).toBeGreaterThanOrEqual(3 * 1024 * 1024)
    expect(res.json.access_token).toEqual(expect.any(String))
  })

  it('labels the JSON body text/html on wrongContentType', async () => {
    authority.faults.add({ kind: 'wrongContentType' })
    const res = await askToken()
    expect(res.headers['content-type']).toMatch(/^text\/html/)
    expect(res.json.token_type).toBe('Bearer')
  })

  it('answers 200 carrying an error body on errorIn200', async () => {
    authority.faults.add({ kind: 'errorIn200' })
    const ok = await askToken()
    expect(ok.status).toBe(200)
    expect(ok.json).toMatchObject({ error: 'server_error', error_codes: [50000] })
    authority.faults.add({ kind: 'errorIn200' })
    const refused = await askToken(admin.appId, 'wrong')
    expect(refused.status).toBe(200)
    expect(refused.json).toMatchObject({ error: 'invalid_client', error_codes: [7000215] })
  })

  it.each([0, -60, 1e12, 'abc'])('replaces expires_in with %s on expiresIn', async (value) => {
    authority.faults.add({ kind: 'expiresIn', value })
    const res = await askToken()
    expect(res.status).toBe(200)
    expect(res.json.expires_in).toBe(value)
    expect(res.json.access_token).toEqual(expect.any(String))
  })

  it('keeps expires_in a string on v1 under expiresIn', async () => {
    authority.faults.add({ kind: 'expiresIn', value: 0 })
    const res = await post(
      authority.tokenEndpoint(EXAMPLE.tenantId, 'v1'),
      secretResourceForm(admin.appId, admin.secret, EXAMPLE.api.uri),
    )
    expect(res.json.expires_in).toBe('0')
  })
})

describe('fault targeting and consumption', () => {
  it('applies a fault `times` times and then answers normally', async () => {
    authority.faults.add({ kind: 'status500', times: 2 })
    expect((await askToken()).status).toBe(500)
    expect((await askToken()).status).toBe(500)
    expect((await askToken()).status).toBe(200)
    expect(authority.faults.pending).toEqual([])
  })

  it('consumes faults in the order they were added', async () => {
    authority.faults.add({ kind: 'status503' })
    authority.faults.add({ kind: 'status429' })
    expect((await askToken()).status).toBe(503)
    expect((await askToken()).status).toBe(429)
    expect((await askToken()).status).toBe(200)
  })

  it('hits only the targeted client', async () => {
    authority.faults.add({ kind: 'status500', clientId: reader.appId })
    expect((await askToken()).status).toBe(200)
    expect((await askToken(reader.appId, reader.secret)).status).toBe(500)
  })

  it('hits only the targeted route', async () => {
    authority.faults.add({ kind: 'status503', route: 'jwks' })
    expect((await askToken()).status).toBe(200)
    expect((await get(authority.metadataUrl(EXAMPLE.tenantId))).status).toBe(200)
    expect((await get(authority.jwksUrl(EXAMPLE.tenantId))).status).toBe(503)
  })

  it('applies faults to metadata too (truncated OpenID configuration)', async () => {
    authority.faults.add({ kind: 'truncated', route: 'metadata' })
    const res = await get(authority.metadataUrl(EXAMPLE.tenantId))
    expect(() => JSON.parse(res.text)).toThrow()
  })

  it('forgets pending faults on clear()', async () => {
    authority.faults.add({ kind: 'status500', times: Number.POSITIVE_INFINITY })
    authority.faults.clear()
    expect((await askToken()).status).toBe(200)
  })

  it('rejects an invalid fault with a RegistryError naming the field', () => {
    expect(() => authority.faults.add({ kind: 'latency' } as never)).toThrow(RegistryError)
    expect(() => authority.faults.add({ kind: 'latency' } as never)).toThrow(/fault\.ms/)
  })

  it('counts faulted token requests but not as issued', async () => {
    authority.requests.clear()
    authority.faults.add({ kind: 'status429' })
    await askToken()
    expect(authority.counters).toMatchObject({ token: 1, issued: 0 })
    expect(authority.requests.last()).toMatchObject({ status: 429, fault: 'status429' })
  })
})

describe('close()', () => {
  it('returns promptly while a request waits on a long latency fault', async () => {
    const doomed = await startLocalAuthority()
    doomed.faults.add({ kind: 'latency', ms: 60_000 })
    const pending = post(
      doomed.tokenEndpoint(EXAMPLE.tenantId),
      secretForm(admin.appId, admin.secret, SCOPE),
    ).catch((error: unknown) => error)
    await new Promise((resolve) => setTimeout(resolve, 50))
    const started = performance.now()
    await doomed.close()
    expect(performance.now() - started).toBeLessThan(1000)
    expect(await pending).toBeInstanceOf(Error)
  })
})
