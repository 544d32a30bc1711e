/**
 * DPoP end to end on real loopback servers (docs/sender-constrained.md §6): our client gets DPoP-bound
 * tokens from the local authority (which asks for its nonce first), and `authorizedFetch` and the
 * interceptor call an HTTPS API guarded by our `/verify` that asks for its own nonce. The API then
 * refuses what a thief could try with what it saw on the wire: a replayed proof, a proof for another
 * method or URL, the token without a proof.
 */
import express from 'express'
import { decodeJwt, decodeProtectedHeader } from 'jose'
import { Agent, request, fetch as undiciFetch } from 'undici'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { TokenClient } from '../../src/index.js'
import { EXAMPLE, type LocalAuthority, startLocalAuthority } from '../../src/testing/index.js'
import { createGuard, createTokenVerifier } from '../../src/verify/index.js'
import { useLoopbackGuard } from '../helpers/loopback-guard.js'
import { startTlsApi, type TlsApi } from '../verify/tls-support.js'

useLoopbackGuard()

const { admin } = EXAMPLE.clients
const SCOPE = `${EXAMPLE.api.uri}/.default`

let authority: LocalAuthority
let api: TlsApi
let agent: Agent
/** What the API saw: each request's authorization and DPoP headers, and its answer. */
const seen: Array<{ authorization: string; dpop: string; status: number }> = []

beforeAll(async () => {
  authority = await startLocalAuthority({ issuer: 'local' })
  const verifier = createTokenVerifier({
    tenant: EXAMPLE.tenantId,
    authorityHost: authority.url,
    audience: [EXAMPLE.api.uri, EXAMPLE.api.appId],
    jwks: { cooldownMs: 0 },
    dpop: { nonce: true },
  })
  const app = express()
  app.use((req, res, next) => {
    res.on('finish', () =>
      seen.push({
        authorization: String(req.headers.authorization),
        dpop: String(req.headers.dpop),
        status: res.statusCode,
      }),
    )
    next()
  })
  app.use('/api', createGuard(verifier).middleware())
  app.all('/api/orders', (req, res) => {
    res.json({ caller: req.auth?.appId, jkt: req.auth?.binding?.jkt ?? null })
  })
  api = await startTlsApi(app)
  agent = new Agent({ connect: { ca: api.certificate.certificatePem } })
})
afterAll(async () => {
  await agent.close()
  await Promise.all([api.close(), authority.close()])
})
beforeEach(() => {
  seen.length = 0
  authority.requests.clear()
  authority.clients.requireDpop(admin.appId, { nonce: true })
})

function dpopClient(): TokenClient {
  return new TokenClient({
    tokenEndpoint: authority.tokenEndpoint(EXAMPLE.tenantId),
    clientId: admin.appId,
    credential: { clientSecret: admin.secret },
    dpop: true,
  })
}

const tokenRequests = () => authority.requests.all().filter((r) => r.route === 'token')
const thumbprintOf = (client: TokenClient) => (client.describe().dpop as { thumbprint: string }).thumbprint

describe('DPoP at the token endpoint (local authority)', () => {
  it("gets a DPoP-bound token after the authority's nonce challenge: one retry, then the nonce is known", async () => {
    const client = dpopClient()
    const token = await client.getToken(SCOPE)
    expect(token.tokenType).toBe('DPoP')
    expect(token.claims?.cnf).toEqual({ jkt: thumbprintOf(client) })
    expect(tokenRequests().map((r) => r.status)).toEqual([400, 200])
    await client.getToken(SCOPE, { forceRefresh: true })
    expect(tokenRequests().map((r) => r.status)).toEqual([400, 200, 200])
    await client.close()
  })

  it('is refused by the authority without a proof when the client must use DPoP', async () => {
    const bearer = new TokenClient({
      tokenEndpoint: authority.tokenEndpoint(EXAMPLE.tenantId),
      clientId: admin.appId,
      credential: { clientSecret: admin.secret },
    })
    await expect(bearer.getToken(SCOPE)).rejects.toMatchObject({
      code: 'ERR_AUTHORITY_REJECTED',
      error: 'invalid_dpop_proof',
    })
    await bearer.close()
  })
})

describe('attaching DPoP tokens to an API guarded by /verify, which asks for its own nonce', () => {
  it('authorizedFetch: DPoP scheme, a proof with ath, one retry on the nonce challenge, the nonce kept', async () => {
    const client = dpopClient()
    const api_ = client.authorizedFetch({
      scope: SCOPE,
      origins: [api.origin],
      fetch: (input, init) => fetchVia(input, init),
    })
    const first = await api_(`${api.origin}/api/orders?page=1`)
    expect([first.status, await first.json()]).toEqual([
      200,
      { caller: admin.appId, jkt: thumbprintOf(client) },
    ])
    expect(seen.map((s) => s.status)).toEqual([401, 200])
    const [challenged, accepted] = seen
    expect(challenged?.authorization).toMatch(/^DPoP ey/)
    const proof = decodeJwt(String(accepted?.dpop))
    expect(proof).toMatchObject({ htm: 'GET', htu: `${api.origin}/api/orders`, nonce: expect.any(String) })
    expect(proof.ath).toBeTypeOf('string')
    expect(decodeProtectedHeader(String(accepted?.dpop)).typ).toBe('dpop+jwt')
    const post = await api_(`${api.origin}/api/orders`, { method: 'POST', body: '{}' })
    expect(post.status).toBe(200)
    expect(seen.map((s) => s.status)).toEqual([401, 200, 200])
    await client.close()
  })

  it('the interceptor: the same, through undici', async () => {
    const client = dpopClient()
    const dispatcher = agent.compose(client.interceptor({ [api.origin]: { scope: SCOPE } }))
    const res = await request(`${api.origin}/api/orders`, { dispatcher })
    expect([res.statusCode, await res.body.json()]).toEqual([
      200,
      { caller: admin.appId, jkt: thumbprintOf(client) },
    ])
    expect(seen.map((s) => s.status)).toEqual([401, 200])
    const again = await request(`${api.origin}/api/orders`, { dispatcher, method: 'DELETE' })
    await again.body.dump()
    expect(seen.map((s) => s.status)).toEqual([401, 200, 200])
    expect(decodeJwt(String(seen[2]?.dpop)).htm).toBe('DELETE')
    await client.close()
  })

  it('refuses what a thief saw on the wire: the proof replayed, or used for another method or URL, or the token without it', async () => {
    const client = dpopClient()
    const api_ = client.authorizedFetch({ scope: SCOPE, origins: [api.origin], fetch: fetchVia })
    await (await api_(`${api.origin}/api/orders`)).text()
    const { authorization, dpop } = seen[seen.length - 1] ?? { authorization: '', dpop: '' }
    const send = async (path: string, method: string, headers: Record<string, string>) => {
      const res = await request(`${api.origin}${path}`, {
        dispatcher: agent,
        method: method as 'GET',
        headers,
      })
      return [res.statusCode, await res.body.json()]
    }
    expect(await send('/api/orders', 'GET', { authorization, dpop })).toEqual([
      401,
      {
        error: 'invalid_dpop_proof',
        error_description: 'the DPoP proof was already used (its jti was seen before)',
      },
    ])
    expect(await send('/api/orders', 'DELETE', { authorization, dpop })).toEqual([
      401,
      { error: 'invalid_dpop_proof', error_description: 'the DPoP proof is for GET requests, not DELETE' },
    ])
    const [status, body] = await send('/api/invoices', 'GET', { authorization, dpop })
    expect([status, (body as { error: string }).error]).toEqual([401, 'invalid_dpop_proof'])
    expect(await send('/api/orders', 'GET', { authorization })).toEqual([
      401,
      {
        error: 'invalid_dpop_proof',
        error_description: 'the token is DPoP-bound: send a DPoP proof in the DPoP header',
      },
    ])
    const asBearer = await send('/api/orders', 'GET', {
      authorization: authorization.replace(/^DPoP/, 'Bearer'),
    })
    expect(asBearer[0]).toBe(401)
    await client.close()
  })
})

function fetchVia(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  // the npm undici's fetch: Node's global fetch bundles another undici, which cannot use this Agent
  return undiciFetch(input as string, { ...init, dispatcher: agent } as never) as unknown as Promise<Response>
}
