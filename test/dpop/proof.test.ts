import { createHash, webcrypto } from 'node:crypto'
import { decodeJwt, decodeProtectedHeader, importJWK, jwtVerify } from 'jose'
import { describe, expect, it } from 'vitest'
import { createDpopKey } from '../../src/dpop/key.js'
import { accessTokenHash, buildProof, proofUrl } from '../../src/dpop/proof.js'

const clock = { now: () => Date.parse('2026-03-01T12:00:00Z') }

describe('buildProof', () => {
  it.each(['ES256', 'PS256', 'RS256', 'EdDSA'] as const)(
    'makes an RFC 9449 proof with %s, verifiable with its own jwk',
    async (alg) => {
      const key = createDpopKey({ algorithm: alg })
      const proof = await buildProof(
        key,
        {
          method: 'get',
          url: 'https://api.example.test/orders?page=2#top',
          nonce: 'n-1',
          accessToken: 'tok',
        },
        clock,
      )
      const header = decodeProtectedHeader(proof)
      expect(header).toEqual({ alg, typ: 'dpop+jwt', jwk: key.publicJwk })
      const { payload } = await jwtVerify(proof, await importJWK(header.jwk ?? {}, alg), {
        currentDate: new Date(clock.now()),
      })
      expect(payload).toEqual({
        htm: 'GET',
        htu: 'https://api.example.test/orders',
        nonce: 'n-1',
        ath: createHash('sha256').update('tok').digest('base64url'),
        iat: clock.now() / 1000,
        jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      })
    },
  )

  it.each([
    ['ES256', { name: 'ECDSA', namedCurve: 'P-256' }],
    [
      'PS256',
      { name: 'RSA-PSS', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    ],
    [
      'RS256',
      {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      },
    ],
    ['EdDSA', { name: 'Ed25519' }],
  ] as const)('signs with a non-extractable CryptoKeyPair (%s) too', async (alg, params) => {
    const pair = (await webcrypto.subtle.generateKey(params, false, [
      'sign',
      'verify',
    ])) as webcrypto.CryptoKeyPair
    const key = createDpopKey({ key: pair, algorithm: alg })
    const proof = await buildProof(key, { method: 'GET', url: 'https://api.example.test/' }, clock)
    const jwk = decodeProtectedHeader(proof).jwk ?? {}
    const { payload } = await jwtVerify(proof, await importJWK(jwk, alg), {
      currentDate: new Date(clock.now()),
    })
    expect(payload.htm).toBe('GET')
  })

  it('gives every proof its own jti, and leaves nonce and ath out when unknown', async () => {
    const key = createDpopKey({})
    const a = decodeJwt(
      await buildProof(key, { method: 'POST', url: 'https://as.example.test/token' }, clock),
    )
    const b = decodeJwt(
      await buildProof(key, { method: 'POST', url: 'https://as.example.test/token' }, clock),
    )
    expect(a.jti).not.toBe(b.jti)
    expect(Object.keys(a).sort()).toEqual(['htm', 'htu', 'iat', 'jti'])
  })

  it('names the URL without query or fragment, and hashes the token as RFC 9449 §4.2 says', () => {
    expect(proofUrl('https://a.test:8443/p/q?x=1#f')).toBe('https://a.test:8443/p/q')
    // RFC 9449 §7.1's example token and its ath
    expect(accessTokenHash('Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU')).toBe(
      'fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo',
    )
  })
})
