/**
 * Bound tokens are checked by default: a token whose `cnf` binds it to a DPoP key (`jkt`) or to a client
 * certificate (`x5t#S256`) is refused when presented without its proof, with no option to opt in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TokenVerificationError } from '../../src/errors.js'
import { createTokenVerifier } from '../../src/verify/index.js'
import { createDpopKey, type DpopKey, dpopBinding } from './dpop-support.js'
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

beforeAll(async () => {
  ;[key, dpopKey] = await Promise.all([createTestKey('key-1'), createDpopKey()])
  jwks = await startJwksServer([key])
})
afterAll(() => jwks.close())

const verifier = () =>
  createTokenVerifier({ tenant: TENANT, audience: API_APP_ID, jwksUri: jwks.jwksUri(), now: clock })

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
