/**
 * End to end: TokenClient against the local authority over real sockets on 127.0.0.1 — the real
 * protocol, the real error bodies, the real faults.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { TokenClient, type TokenClientOptions } from '../../src/index.js'
import { EXAMPLE, type LocalAuthority, startLocalAuthority } from '../../src/testing/index.js'

let authority: LocalAuthority
const API = EXAMPLE.api.uri
const { admin, reader, unconsented } = EXAMPLE.clients

beforeAll(async () => {
  authority = await startLocalAuthority()
})
afterAll(async () => {
  await authority.close()
})
beforeEach(() => {
  authority.faults.clear()
  authority.requests.clear()
})

function clientFor(
  who: { appId: string; secret: string },
  extra: Partial<TokenClientOptions> = {},
): TokenClient {
  return new TokenClient({
    authorityHost: authority.url,
    tenant: EXAMPLE.tenantId,
    clientId: who.appId,
    credential: { clientSecret: who.secret },
    ...extra,
  })
}

const tokenRequests = () => authority.requests.all().filter((r) => r.route === 'token').length

describe('tokens from the local authority', () => {
  it('gets a v2-endpoint token whose claims carry the granted, consented role', async () => {
    const token = await clientFor(admin).getToken(API)
    expect(token.claims?.roles).toEqual(['Admin'])
    expect(token.claims?.tid).toBe(EXAMPLE.tenantId)
    expect(token.scope).toBe(`${API}/.default`)
    expect(token.expiresAt - token.requestedAt).toBeGreaterThan(3_000_000)
  })

  it('gets a token from the v1 endpoint, whose numbers are strings on the wire', async () => {
    const token = await clientFor(reader, { endpointVersion: 'v1' }).getToken(API)
    expect(token.claims?.roles).toEqual(['ReadOnly'])
    expect(authority.requests.last()?.form?.resource).toBe(API)
    expect(token.expiresAt).toBeGreaterThan(token.refreshAt)
  })

  it('gets a token without roles for a client whose role was never consented', async () => {
    const token = await clientFor(unconsented).getToken(API)
    expect(token.claims?.roles).toBeUndefined()
  })

  it('reaches the tenant by its verified domain too', async () => {
    const token = await clientFor(admin, { tenant: EXAMPLE.tenantDomain }).getToken(API)
    expect(token.claims?.tid).toBe(EXAMPLE.tenantId)
  })

  it('serves the second call from the cache: the authority sees one request', async () => {
    const client = clientFor(admin)
    const first = await client.getToken(API)
    const second = await client.getToken(API)
    expect(second).toBe(first)
    expect(tokenRequests()).toBe(1)
  })

  it('sends one request for 1,000 concurrent cold callers', async () => {
    const client = clientFor(reader)
    const tokens = await Promise.all(Array.from({ length: 1000 }, () => client.getToken(API)))
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1)
    expect(tokenRequests()).toBe(1)
  })
})

describe('errors from the local authority', () => {
  it('turns a wrong secret into AADSTS7000215 with its hint and our correlation id', async () => {
    const error = await clientFor({ appId: admin.appId, secret: 'wrong-secret' })
      .getToken(API)
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'ERR_AUTHORITY_REJECTED', status: 401, error: 'invalid_client' })
    const rejected = error as {
      aadstsCodes: number[]
      hint: string
      correlationId: string
      clientRequestId: string
    }
    expect(rejected.aadstsCodes).toContain(7000215)
    expect(rejected.hint).toContain('Value')
    expect(rejected.correlationId).toBe(rejected.clientRequestId)
    expect(tokenRequests()).toBe(2) // the secret is read again and sent once more (credential-rejection.ts)
  })

  it('says the Secret ID was sent when the Secret ID is used as the secret', async () => {
    const error = await clientFor({ appId: admin.appId, secret: admin.secretId })
      .getToken(API)
      .catch((e: unknown) => e)
    expect((error as { hint: string }).hint).toContain('Secret ID')
  })

  it('reports an unknown tenant (AADSTS90002) and an unknown API (AADSTS500011)', async () => {
    const tenant = await clientFor(admin, { tenant: 'fabrikam.onmicrosoft.com' })
      .getToken(API)
      .catch((e: unknown) => e)
    expect(tenant).toMatchObject({ aadstsCodes: [90002] })
    const api = await clientFor(admin)
      .getToken('api://nobody/here')
      .catch((e: unknown) => e)
    expect(api).toMatchObject({ aadstsCodes: [500011], error: 'invalid_resource' })
  })
})

describe('faults', () => {
  it('waits out a 429 with Retry-After: 1 and succeeds', async () => {
    authority.faults.add({ kind: 'status429', retryAfter: 1, times: 1 })
    const token = await clientFor(admin).getToken(API)
    expect(token.claims?.roles).toEqual(['Admin'])
    expect(tokenRequests()).toBe(2)
  })

  it.each([
    ['a 503 (AADSTS90033)', { kind: 'status503' as const }],
    ['a 500', { kind: 'status500' as const }],
    ['a dropped connection', { kind: 'drop' as const }],
    ['an HTML 502 page', { kind: 'html' as const }],
    ['a 200 carrying server_error', { kind: 'errorIn200' as const }],
  ])('retries after %s and succeeds', async (_, fault) => {
    authority.faults.add({ ...fault, times: 1 })
    const token = await clientFor(admin).getToken(API)
    expect(token.accessToken).toBeTruthy()
    expect(tokenRequests()).toBe(2)
  })

  it.each([
    ['truncated JSON', { kind: 'truncated' as const }, 'ERR_TOKEN_RESPONSE_INVALID'],
    ['expires_in of 0', { kind: 'expiresIn' as const, value: 0 }, 'ERR_TOKEN_RESPONSE_INVALID'],
    ['expires_in of letters', { kind: 'expiresIn' as const, value: 'abc' }, 'ERR_TOKEN_RESPONSE_INVALID'],
    ['an oversized body', { kind: 'oversized' as const, bytes: 2 * 1024 * 1024 }, 'ERR_TOKEN_REQUEST_FAILED'],
  ])('refuses %s without retrying and caches nothing', async (_, fault, code) => {
    authority.faults.add({ ...fault, times: 1 })
    const client = clientFor(admin)
    await expect(client.getToken(API)).rejects.toMatchObject({ code })
    expect(tokenRequests()).toBe(1)
    expect(client.cachedTokens).toBe(0)
    await expect(client.getToken(API)).resolves.toBeTruthy()
  })

  it('times out a slow answer and retries', async () => {
    authority.faults.add({ kind: 'latency', ms: 2000, times: 1 })
    const token = await clientFor(admin, { http: { timeoutMs: 300 } }).getToken(API)
    expect(token.accessToken).toBeTruthy()
    // the slow request is logged when the authority finishes answering it
    await vi.waitFor(() => expect(tokenRequests()).toBe(2), { timeout: 5000 })
  })
})
