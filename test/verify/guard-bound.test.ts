/**
 * The framework-neutral guard with bound tokens: `authorize(header, { request })` takes the request's
 * DPoP proof or peer certificate and answers RFC 9449 / RFC 6750 refusals a framework can send as they are.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type GeneratedCertificate, generateCertificate } from '../../src/testing/index.js'
import {
  type AuthorizeResult,
  createGuard,
  createTokenVerifier,
  DPOP_ALGORITHMS,
  type DpopOptions,
  type Guard,
} from '../../src/verify/index.js'
import {
  certificateBinding,
  createDpopKey,
  type DpopKey,
  dpopBinding,
  GENERIC_AUDIENCE,
  GENERIC_ISSUER,
  makeProof,
  rfc9068Claims,
} from './dpop-support.js'
import { clock, createTestKey, type JwksServer, mint, startJwksServer, type TestKey } from './support.js'

const URL_ = 'https://api.example.test/orders'

let key: TestKey
let dpopKey: DpopKey
let certificate: GeneratedCertificate
let jwks: JwksServer

beforeAll(async () => {
  ;[key, dpopKey, certificate] = await Promise.all([
    createTestKey('generic-1'),
    createDpopKey(),
    generateCertificate({ commonName: 'bound client' }),
  ])
  jwks = await startJwksServer([key])
})
afterAll(() => jwks.close())

function guardWith(dpop?: DpopOptions): Guard {
  const verifier = createTokenVerifier({
    issuer: GENERIC_ISSUER,
    jwksUri: `${jwks.origin}/jwks`,
    audience: GENERIC_AUDIENCE,
    realm: 'orders',
    now: clock,
    ...(dpop === undefined ? {} : { dpop }),
  })
  return createGuard(verifier)
}

/** The headers of any result, as a framework reads them. */
const headersOf = (result: AuthorizeResult): Record<string, string | undefined> =>
  result.ok ? (result.headers ?? {}) : result.headers

const boundToken = (binding: Record<string, unknown>) => mint(key, rfc9068Claims(binding), { typ: 'at+jwt' })
const proofFor = (token: string, nonce?: string) =>
  makeProof(dpopKey, { htm: 'GET', htu: URL_, accessToken: token, ...(nonce ? { nonce } : {}) })

describe('authorize with a DPoP-bound token', () => {
  it('lets the request through with the proof, and refuses the same proof again as invalid_dpop_proof', async () => {
    const guard = guardWith()
    const token = await boundToken(dpopBinding(dpopKey))
    const request = { method: 'GET', url: URL_, dpop: await proofFor(token) }
    const ok = await guard.authorize(`DPoP ${token}`, { request })
    expect(ok).toMatchObject({ ok: true, auth: { binding: { jkt: dpopKey.jkt } } })
    expect(ok.ok && ok.headers).toBeUndefined()
    const replayed = await guard.authorize(`DPoP ${token}`, { request })
    expect(replayed).toMatchObject({
      ok: false,
      status: 401,
      body: {
        error: 'invalid_dpop_proof',
        error_description: 'the DPoP proof was already used (its jti was seen before)',
      },
    })
    expect(headersOf(replayed)['www-authenticate']).toMatch(
      /^DPoP realm="orders", error="invalid_dpop_proof"/,
    )
  })

  it('asks for a nonce with use_dpop_nonce and DPoP-Nonce, accepts it, and hands out the current one after', async () => {
    const guard = guardWith({ nonce: { current: () => 'nonce-1', isValid: (n) => n === 'nonce-1' } })
    const token = await boundToken(dpopBinding(dpopKey))
    const first = await guard.authorize(`DPoP ${token}`, {
      request: { method: 'GET', url: URL_, dpop: await proofFor(token) },
    })
    expect(first).toMatchObject({
      ok: false,
      status: 401,
      headers: { 'dpop-nonce': 'nonce-1' },
      body: { error: 'use_dpop_nonce', error_description: 'a nonce is required in the DPoP proof' },
    })
    expect(headersOf(first)['www-authenticate']).toBe(
      `DPoP realm="orders", error="use_dpop_nonce", error_description="a nonce is required in the DPoP proof", algs="${DPOP_ALGORITHMS.join(' ')}"`,
    )
    const second = await guard.authorize(`DPoP ${token}`, {
      request: { method: 'GET', url: URL_, dpop: await proofFor(token, 'nonce-1') },
    })
    expect(second).toMatchObject({ ok: true, headers: { 'dpop-nonce': 'nonce-1' } })
  })

  it('offers DPoP with its algorithms to a request without a token when dpop is configured', async () => {
    const result = await guardWith({ algorithms: ['ES256', 'PS256'] }).authorize(undefined)
    expect(result).toMatchObject({
      status: 401,
      headers: { 'www-authenticate': 'Bearer realm="orders", DPoP realm="orders", algs="ES256 PS256"' },
      body: { error: 'unauthorized' },
    })
    const other = await guardWith({}).authorize('Basic dXNlcjpwYXNz')
    expect(!other.ok && other.body.error_description).toBe(
      'the Basic authorization scheme is not accepted: use Bearer or DPoP',
    )
  })

  it('uses the built-in rotating nonce with nonce: true', async () => {
    const guard = guardWith({ nonce: true })
    const token = await boundToken(dpopBinding(dpopKey))
    const asked = await guard.authorize(`DPoP ${token}`, {
      request: { method: 'GET', url: URL_, dpop: await proofFor(token) },
    })
    const nonce = headersOf(asked)['dpop-nonce']
    expect(nonce).toMatch(/^[0-9a-z]+\.[A-Za-z0-9_-]{43}$/)
    const ok = await guard.authorize(`DPoP ${token}`, {
      request: { method: 'GET', url: URL_, dpop: await proofFor(token, nonce) },
    })
    expect(ok.ok).toBe(true)
  })
})

describe('authorize with a certificate-bound token', () => {
  it('accepts the peer certificate as DER or X509Certificate, under Bearer or mtls_pop', async () => {
    const guard = guardWith()
    const token = await boundToken(certificateBinding(certificate.der))
    for (const [scheme, peerCertificate] of [
      ['Bearer', certificate.der],
      ['mtls_pop', certificate.x509],
    ] as const) {
      const result = await guard.authorize(`${scheme} ${token}`, { request: { peerCertificate } })
      expect(result).toMatchObject({ ok: true, auth: { binding: { x5tS256: certificate.thumbprintSha256 } } })
    }
  })

  it('refuses it without a certificate with an RFC 6750 invalid_token challenge (RFC 8705 §3)', async () => {
    const token = await boundToken(certificateBinding(certificate.der))
    expect(await guardWith().authorize(`Bearer ${token}`)).toMatchObject({
      ok: false,
      status: 401,
      headers: {
        'www-authenticate':
          'Bearer realm="orders", error="invalid_token", error_description="the token is bound to a client certificate: present it over mutual TLS"',
      },
      body: { error: 'invalid_token' },
    })
  })
})
