/**
 * Generic RFC 9068 JWT access tokens: `createTokenVerifier({ issuer, jwksUri, audience })` for any
 * server. `typ` must be `at+jwt`; iss, exp, aud, sub, client_id, iat and jti are required (§2.2); the
 * Entra-only `ver` and `tid` rules do not apply.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTokenVerifier } from '../../src/verify/index.js'
import { GENERIC_AUDIENCE, GENERIC_CLIENT, GENERIC_ISSUER, rfc9068Claims } from './dpop-support.js'
import { clock, createTestKey, type JwksServer, mint, startJwksServer, type TestKey } from './support.js'

let key: TestKey
let jwks: JwksServer

beforeAll(async () => {
  key = await createTestKey('generic-1')
  jwks = await startJwksServer([key])
})
afterAll(() => jwks.close())

const verifier = () =>
  createTokenVerifier({
    issuer: GENERIC_ISSUER,
    jwksUri: `${jwks.origin}/jwks`,
    audience: GENERIC_AUDIENCE,
    now: clock,
  })
const mintAt = (claims = rfc9068Claims(), typ = 'at+jwt') => mint(key, claims, { typ })

describe('a generic RFC 9068 issuer', () => {
  it('accepts an at+jwt token without ver or tid, reporting its client', async () => {
    const auth = await verifier().verify(await mintAt())
    expect(auth).toMatchObject({ appId: GENERIC_CLIENT, appOnly: true })
    expect(auth.claims).toMatchObject({ iss: GENERIC_ISSUER, client_id: GENERIC_CLIENT })
  })
})
