/**
 * End to end over real loopback TLS: an Express API mounted under /api behind `guard.middleware()`,
 * tokens of a generic RFC 9068 issuer bound to a DPoP key, proofs made by hand with jose, requests
 * sent with undici. A replayed proof, a proof for another method or URL, and a bound token without
 * its proof are refused with the RFC 9449 challenges; a nonce is asked for with `DPoP-Nonce`.
 */
import express from 'express'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createGuard, createTokenVerifier, DPOP_ALGORITHMS, type Guard } from '../../src/verify/index.js'
import {
  createDpopKey,
  type DpopKey,
  dpopBinding,
  GENERIC_AUDIENCE,
  GENERIC_ISSUER,
  makeProof,
  rfc9068Claims,
} from '../verify/dpop-support.js'
import {
  clock,
  createTestKey,
  type JwksServer,
  mint,
  NOW,
  startJwksServer,
  type TestKey,
} from '../verify/support.js'
import { startTlsApi, type TlsApi, tlsClient } from '../verify/tls-support.js'

const ALGS = DPOP_ALGORITHMS.join(' ')

let signer: TestKey
let jwks: JwksServer
let dpopKey: DpopKey
let thief: DpopKey
let api: TlsApi
let nonceApi: TlsApi
let client: ReturnType<typeof tlsClient>
let nonceClient: ReturnType<typeof tlsClient>

function appFor(guard: Guard) {
  const app = express()
  app.use('/api', guard.middleware())
  app.all('/api/orders', (req, res) => {
    res.json({ caller: req.auth?.appId, bound: req.auth?.binding?.jkt ?? null, method: req.method })
  })
  return app
}

function guardFor(dpop: { nonce?: true } = {}) {
  const verifier = createTokenVerifier({
    issuer: GENERIC_ISSUER,
    jwksUri: `${jwks.origin}/jwks`,
    audience: GENERIC_AUDIENCE,
    realm: 'orders',
    now: clock,
    dpop,
  })
  return createGuard(verifier)
}

beforeAll(async () => {
  ;[signer, dpopKey, thief] = await Promise.all([createTestKey('as-1'), createDpopKey(), createDpopKey()])
  jwks = await startJwksServer([signer])
  api = await startTlsApi(appFor(guardFor()))
  nonceApi = await startTlsApi(appFor(guardFor({ nonce: true })))
  client = tlsClient(api)
  nonceClient = tlsClient(nonceApi)
})
afterAll(async () => {
  await Promise.all([client.close(), nonceClient.close()])
  await Promise.all([api.close(), nonceApi.close(), jwks.close()])
})
afterEach(() => jwks.requests.clear())

const boundToken = (claims: Record<string, unknown> = {}) =>
  mint(signer, rfc9068Claims({ ...dpopBinding(dpopKey), ...claims }), { typ: 'at+jwt' })

async function call(
  target: TlsApi,
  token: string,
  options: { method?: string; proof?: string | undefined; scheme?: string; path?: string } = {},
) {
  const headers: Record<string, string> = { authorization: `${options.scheme ?? 'DPoP'} ${token}` }
  if (options.proof !== undefined) headers.dpop = options.proof
  const via = target === api ? client : nonceClient
  return via.send(options.path ?? '/api/orders', { method: options.method ?? 'GET', headers })
}

const proofFor = (
  target: TlsApi,
  token: string,
  options: { htm?: string; path?: string; nonce?: string } = {},
) =>
  makeProof(dpopKey, {
    htm: options.htm ?? 'GET',
    htu: `${target.origin}${options.path ?? '/api/orders'}`,
    accessToken: token,
    nonce: options.nonce,
  })

describe('DPoP-bound tokens over TLS', () => {
  it('are accepted with a fresh proof for this method and URL (query ignored), behind an Express mount', async () => {
    const token = await boundToken()
    const reply = await call(api, token, { proof: await proofFor(api, token), path: '/api/orders?page=2' })
    expect([reply.status, reply.body]).toEqual([
      200,
      { caller: 'orders-worker', bound: dpopKey.jkt, method: 'GET' },
    ])
    const post = await call(api, token, {
      method: 'POST',
      proof: await proofFor(api, token, { htm: 'POST' }),
    })
    expect(post.status).toBe(200)
  })

  it('refuse a replayed proof with DPoP error="invalid_dpop_proof"', async () => {
    const token = await boundToken()
    const proof = await proofFor(api, token)
    expect((await call(api, token, { proof })).status).toBe(200)
    const replay = await call(api, token, { proof })
    expect(replay.status).toBe(401)
    expect(replay.headers['www-authenticate']).toBe(
      `DPoP realm="orders", error="invalid_dpop_proof", error_description="the DPoP proof was already used (its jti was seen before)", algs="${ALGS}"`,
    )
    expect(replay.body).toEqual({
      error: 'invalid_dpop_proof',
      error_description: 'the DPoP proof was already used (its jti was seen before)',
    })
  })

  it('refuse a proof made for another method', async () => {
    const token = await boundToken()
    const reply = await call(api, token, { method: 'DELETE', proof: await proofFor(api, token) })
    expect(reply.status).toBe(401)
    expect(reply.body).toEqual({
      error: 'invalid_dpop_proof',
      error_description: 'the DPoP proof is for GET requests, not DELETE',
    })
  })

  it('refuse a proof made for another URL: another path, or the same path on another server', async () => {
    const token = await boundToken()
    const otherPath = await call(api, token, { proof: await proofFor(api, token, { path: '/api/invoices' }) })
    const otherServer = await call(api, token, { proof: await proofFor(nonceApi, token) })
    for (const reply of [otherPath, otherServer]) {
      expect(reply.status).toBe(401)
      expect(reply.headers['www-authenticate']).toMatch(
        /^DPoP realm="orders", error="invalid_dpop_proof", error_description="the DPoP proof htu does not name this URL"/,
      )
    }
  })

  it('refuse a bound token presented without its proof, as DPoP or as a plain Bearer token', async () => {
    const token = await boundToken()
    const noProof = await call(api, token)
    expect([noProof.status, noProof.body]).toEqual([
      401,
      {
        error: 'invalid_dpop_proof',
        error_description: 'the token is DPoP-bound: send a DPoP proof in the DPoP header',
      },
    ])
    const asBearer = await call(api, token, { scheme: 'Bearer' })
    expect(asBearer.status).toBe(401)
    expect(asBearer.headers['www-authenticate']).toMatch(
      /^DPoP realm="orders", error="invalid_token", error_description="the token is DPoP-bound: send it with the DPoP authorization scheme/,
    )
  })

  it("refuse a stolen token with a proof signed by the thief's own key", async () => {
    const token = await boundToken()
    const proof = await makeProof(thief, { htm: 'GET', htu: `${api.origin}/api/orders`, accessToken: token })
    const reply = await call(api, token, { proof })
    expect([reply.status, reply.body]).toEqual([
      401,
      {
        error: 'invalid_token',
        error_description: 'the token is bound to another key than the one that signed the DPoP proof',
      },
    ])
  })

  it('refuse a proof older than the window', async () => {
    const token = await boundToken()
    const proof = await makeProof(dpopKey, {
      htm: 'GET',
      htu: `${api.origin}/api/orders`,
      accessToken: token,
      iat: NOW / 1000 - 301,
    })
    expect((await call(api, token, { proof })).body).toMatchObject({ error: 'invalid_dpop_proof' })
  })
})

describe('server nonces over TLS', () => {
  it('asks for a nonce (use_dpop_nonce, DPoP-Nonce), accepts it, and hands it out again on success', async () => {
    const token = await boundToken()
    const asked = await call(nonceApi, token, { proof: await proofFor(nonceApi, token) })
    const nonce = asked.headers['dpop-nonce']
    expect(asked.status).toBe(401)
    expect(typeof nonce).toBe('string')
    expect(asked.headers['www-authenticate']).toBe(
      `DPoP realm="orders", error="use_dpop_nonce", error_description="a nonce is required in the DPoP proof", algs="${ALGS}"`,
    )
    const ok = await call(nonceApi, token, {
      proof: await proofFor(nonceApi, token, { nonce: String(nonce) }),
    })
    expect([ok.status, ok.headers['dpop-nonce']]).toEqual([200, nonce])
  })

  it('refuses a nonce it never handed out', async () => {
    const token = await boundToken()
    const reply = await call(nonceApi, token, {
      proof: await proofFor(nonceApi, token, { nonce: 'made-up' }),
    })
    expect([reply.status, reply.body]).toEqual([
      401,
      { error: 'use_dpop_nonce', error_description: 'the DPoP proof nonce is not current' },
    ])
  })
})

describe('RFC 6750 Bearer challenges on the same API', () => {
  it('offers Bearer and DPoP to a request without a token, and lets an unbound bearer token through', async () => {
    const missing = await client.send('/api/orders')
    expect([missing.status, missing.headers['www-authenticate']]).toEqual([
      401,
      `Bearer realm="orders", DPoP realm="orders", algs="${ALGS}"`,
    ])
    const plain = await mint(signer, rfc9068Claims(), { typ: 'at+jwt' })
    const ok = await call(api, plain, { scheme: 'Bearer' })
    expect([ok.status, ok.body]).toEqual([200, { caller: 'orders-worker', bound: null, method: 'GET' }])
  })

  it('answers an expired bearer token with Bearer error="invalid_token"', async () => {
    const expired = await mint(signer, rfc9068Claims({ exp: NOW / 1000 - 3600 }), { typ: 'at+jwt' })
    const reply = await call(api, expired, { scheme: 'Bearer' })
    expect(reply.status).toBe(401)
    expect(reply.headers['www-authenticate']).toMatch(
      /^Bearer realm="orders", error="invalid_token", error_description="token expired at /,
    )
  })
})
