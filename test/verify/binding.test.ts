/**
 * Bound tokens are checked by default: a token whose `cnf` binds it to a DPoP key (`jkt`) or to a client
 * certificate (`x5t#S256`) is refused when presented without its proof, with no option to opt in.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { TokenVerificationError } from '../../src/errors.js'
import { type GeneratedCertificate, generateCertificate } from '../../src/testing/index.js'
import { readConfirmation } from '../../src/verify/binding.js'
import { createTokenVerifier } from '../../src/verify/index.js'
import { certificateBinding, createDpopKey, type DpopKey, dpopBinding, makeProof } from './dpop-support.js'
import {
  API_APP_ID,
  clock,
  createTestKey,
  type JwksServer,
  mint,
  rejectionOf,
  startJwksServer,
  TENANT,
  type TestKey,
  v2Claims,
} from './support.js'

let key: TestKey
let dpopKey: DpopKey
let jwks: JwksServer
let certificate: GeneratedCertificate
let otherCertificate: GeneratedCertificate

beforeAll(async () => {
  ;[key, dpopKey, certificate, otherCertificate] = await Promise.all([
    createTestKey('key-1'),
    createDpopKey(),
    generateCertificate({ commonName: 'bound client' }),
    generateCertificate({ commonName: 'other client' }),
  ])
  jwks = await startJwksServer([key])
})
beforeEach(() => jwks.requests.clear())
afterAll(() => jwks.close())

const URL_ = 'https://api.example.test/orders'
const verifier = (requiredRoles?: string[]) =>
  createTokenVerifier({
    tenant: TENANT,
    audience: API_APP_ID,
    jwksUri: jwks.jwksUri(),
    now: clock,
    ...(requiredRoles ? { requiredRoles } : {}),
  })
const dpopRequest = async (token: string, method = 'GET') => ({
  method,
  url: URL_,
  dpop: await makeProof(dpopKey, { htm: method, htu: URL_, accessToken: token }),
})

async function refusal(promise: Promise<unknown>): Promise<TokenVerificationError> {
  const error = await rejectionOf(promise)
  expect(error).toBeInstanceOf(TokenVerificationError)
  return error as TokenVerificationError
}

describe('a bound token presented without its proof', () => {
  it('is refused when DPoP-bound (cnf.jkt) and sent as a plain Bearer token', async () => {
    const token = await mint(key, v2Claims(dpopBinding(dpopKey)))
    const error = await refusal(verifier().verify(`Bearer ${token}`))
    expect([error.reason, error.status]).toEqual(['binding', 401])
  })

  it('is refused when certificate-bound (cnf.x5t#S256) and no peer certificate is given', async () => {
    const token = await mint(
      key,
      v2Claims({ cnf: { 'x5t#S256': 'mZ3Rs3uo3y3uMQ0dOTz3Qx1n8B6r0v7b4s1K9f2hJ5c' } }),
    )
    const error = await refusal(verifier().verify(token))
    expect([error.reason, error.status]).toEqual(['binding', 401])
  })

  it('is refused when its cnf names a confirmation method that cannot be checked (fails closed)', async () => {
    const token = await mint(key, v2Claims({ cnf: { jwk: dpopKey.publicJwk } }))
    const error = await refusal(verifier().verify(token))
    expect(error.reason).toBe('binding')
    expect(error.message).toContain('jwk')
  })
})

describe('a bound token with its proof', () => {
  it('is accepted under the DPoP scheme with a valid proof, reporting the key it is bound to', async () => {
    const token = await mint(key, v2Claims(dpopBinding(dpopKey)))
    const auth = await verifier().verify(`DPoP ${token}`, { request: await dpopRequest(token) })
    expect(auth.binding).toEqual({ jkt: dpopKey.jkt })
  })

  it('is accepted over the certificate it is bound to, as Bearer, mtls_pop or a bare token', async () => {
    const token = await mint(key, v2Claims(certificateBinding(certificate.der)))
    const request = { peerCertificate: certificate.x509 }
    for (const input of [`Bearer ${token}`, `mtls_pop ${token}`, token]) {
      const auth = await verifier().verify(input, { request })
      expect(auth.binding).toEqual({ x5tS256: certificate.thumbprintSha256 })
    }
  })

  it('is refused over another certificate', async () => {
    const token = await mint(key, v2Claims(certificateBinding(certificate.der)))
    const error = await refusal(
      verifier().verify(token, { request: { peerCertificate: otherCertificate.der } }),
    )
    expect(error.reason).toBe('binding')
    expect(error.challenge).toBe(
      'Bearer error="invalid_token", error_description="the token is bound to another client certificate than the one presented"',
    )
  })

  it('needs every proof when bound both ways (jkt and x5t#S256)', async () => {
    const cnf = { jkt: dpopKey.jkt, 'x5t#S256': certificate.thumbprintSha256 }
    const token = await mint(key, v2Claims({ cnf }))
    const request = await dpopRequest(token)
    expect((await refusal(verifier().verify(`DPoP ${token}`, { request }))).reason).toBe('binding')
    const both = { ...(await dpopRequest(token)), peerCertificate: certificate.x509 }
    const auth = await verifier().verify(`DPoP ${token}`, { request: both })
    expect(auth.binding).toEqual({ jkt: dpopKey.jkt, x5tS256: certificate.thumbprintSha256 })
  })

  it('answers a DPoP-bound token sent as Bearer with a DPoP challenge naming the accepted algorithms', async () => {
    const token = await mint(key, v2Claims(dpopBinding(dpopKey)))
    const error = await refusal(verifier().verify(`Bearer ${token}`, { request: await dpopRequest(token) }))
    expect(error.challenge).toMatch(
      /^DPoP error="invalid_token", error_description="the token is DPoP-bound: send it with the DPoP authorization scheme and a DPoP proof", algs="ES256 .*EdDSA Ed25519"$/,
    )
  })
})

describe('the scheme', () => {
  it('refuses an unbound token under the DPoP scheme, even with a proof', async () => {
    const token = await mint(key, v2Claims())
    const error = await refusal(verifier().verify(`DPoP ${token}`, { request: await dpopRequest(token) }))
    expect([error.reason, error.message]).toEqual([
      'binding',
      'the token is not DPoP-bound (no cnf.jkt): send it with the Bearer scheme',
    ])
  })

  it('refuses an unbound token under the mtls_pop scheme', async () => {
    const token = await mint(key, v2Claims())
    const error = await refusal(
      verifier().verify(`mtls_pop ${token}`, { request: { peerCertificate: certificate.x509 } }),
    )
    expect(error.reason).toBe('binding')
  })

  it('keeps plain bearer tokens as they were: no proof needed, a DPoP header ignored', async () => {
    const token = await mint(key, v2Claims())
    await expect(verifier().verify(`Bearer ${token}`)).resolves.not.toHaveProperty('binding')
    await expect(verifier().verify(token, { request: await dpopRequest(token) })).resolves.toBeDefined()
  })
})

describe('order of the checks', () => {
  it('checks the binding before the roles: no proof answers 401, not 403 naming a role', async () => {
    const token = await mint(key, v2Claims({ ...dpopBinding(dpopKey), roles: [] }))
    const error = await refusal(verifier(['Orders.Admin']).verify(`DPoP ${token}`))
    expect([error.reason, error.status]).toEqual(['dpop_proof', 401])
    expect(error.message).not.toContain('Orders.Admin')
  })

  it('refuses a malformed cnf with the other claim checks, before fetching any key', async () => {
    for (const cnf of ['x', [], {}, { jkt: 'short' }, { 'x5t#S256': 42 }]) {
      const error = await refusal(verifier().verify(await mint(key, v2Claims({ cnf }))))
      expect(error.reason).toBe('malformed')
    }
    expect(jwks.total()).toBe(0)
  })
})

describe('readConfirmation', () => {
  it('reads the thumbprints, nothing for an unbound token, and refuses methods it cannot check', () => {
    expect(readConfirmation({ cnf: { jkt: dpopKey.jkt } })).toEqual({ jkt: dpopKey.jkt })
    expect(readConfirmation({})).toBeUndefined()
    for (const member of ['jwk', 'kid', 'jku', 'jwe', 'x5t']) {
      expect(readConfirmation({ cnf: { jkt: dpopKey.jkt, [member]: 'x' } })).toMatchObject({
        reason: 'binding',
      })
    }
  })
})
