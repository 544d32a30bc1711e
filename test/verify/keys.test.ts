import { CompactSign } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSignatureChecker } from '../../src/verify/keys.js'
import {
  createTestKey,
  type JwksServer,
  mint,
  startJwksServer,
  TENANT,
  type TestKey,
  v2Claims,
} from './support.js'

let first: TestKey
let second: TestKey
let server: JwksServer
beforeAll(async () => {
  ;[first, second] = await Promise.all([createTestKey('first'), createTestKey('second')])
  server = await startJwksServer([first, second])
})
afterAll(() => server.close())

const checker = (jwksUri = server.jwksUri()) =>
  createSignatureChecker({
    jwksUriFor: () => jwksUri,
    algorithms: ['RS256'],
    jwks: { timeoutMs: 5000, cooldownMs: 30_000, cacheMaxAgeMs: 600_000 },
  })

/** A compact JWS over raw `payload` bytes, signed with `key`, with its kid in the header or none. */
function signRaw(key: TestKey, payload: string, withKid = true): Promise<string> {
  const header = withKid ? { alg: 'RS256', kid: key.kid } : { alg: 'RS256' }
  return new CompactSign(new TextEncoder().encode(payload)).setProtectedHeader(header).sign(key.privateKey)
}

describe('createSignatureChecker', () => {
  it('gives the payload of a token signed with a published key', async () => {
    const token = await mint(first, v2Claims())
    expect(await checker().verify(token, { tenantId: TENANT, kid: first.kid })).toEqual({
      payload: v2Claims(),
    })
  })

  it('refuses a token without a kid when several published keys could match', async () => {
    const token = await signRaw(second, JSON.stringify(v2Claims()), false)
    expect(await checker().verify(token, { tenantId: TENANT, kid: undefined })).toEqual({
      reason: 'signature',
      description: 'token has no kid and several signing keys could match',
    })
  })

  it('says the kid is missing when no published key matches a token without one', async () => {
    const empty = await startJwksServer([])
    try {
      const token = await signRaw(first, JSON.stringify(v2Claims()), false)
      expect(
        await checker(empty.jwksUri()).verify(token, { tenantId: TENANT, kid: undefined }),
      ).toMatchObject({
        reason: 'signature',
        description: 'no signing key matches kid missing',
      })
    } finally {
      await empty.close()
    }
  })

  it('refuses text that is not a compact JWS as malformed', async () => {
    expect(await checker().verify('not.a-jws', { tenantId: TENANT, kid: undefined })).toEqual({
      reason: 'malformed',
      description: 'token is not a valid JWS',
    })
  })

  it.each([
    ['a JSON array', '["aud"]'],
    ['JSON null', 'null'],
    ['not JSON at all', 'aud=api'],
  ])('refuses a correctly signed payload that is %s as malformed', async (_name, payload) => {
    const token = await signRaw(second, payload)
    expect(await checker().verify(token, { tenantId: TENANT, kid: second.kid })).toEqual({
      reason: 'malformed',
      description: 'token payload is not a JSON object',
    })
  })
})
