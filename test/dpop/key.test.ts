import { generateKeyPairSync, webcrypto } from 'node:crypto'
import { inspect } from 'node:util'
import { calculateJwkThumbprint } from 'jose'
import { describe, expect, it } from 'vitest'
import { createDpopKey } from '../../src/dpop/key.js'
import { ConfigurationError } from '../../src/errors.js'

describe('createDpopKey', () => {
  it.each(['ES256', 'PS256', 'RS256', 'EdDSA'] as const)(
    'generates a %s key in process, with its RFC 7638 thumbprint',
    async (algorithm) => {
      const key = createDpopKey({ algorithm })
      expect(key.algorithm).toBe(algorithm)
      expect(key.thumbprint).toBe(await calculateJwkThumbprint({ ...key.publicJwk }))
      expect(
        Object.keys(key.publicJwk).some((name) => ['d', 'p', 'q', 'dp', 'dq', 'qi'].includes(name)),
      ).toBe(false)
    },
  )

  it('defaults to ES256', () => {
    expect(createDpopKey({}).algorithm).toBe('ES256')
  })

  it("takes the user's KeyObject, inferring the algorithm, and refuses one that does not fit", () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519')
    expect(createDpopKey({ key: privateKey }).algorithm).toBe('EdDSA')
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
    expect(createDpopKey({ key: rsa, algorithm: 'RS256' }).algorithm).toBe('RS256')
    expect(() => createDpopKey({ key: privateKey, algorithm: 'ES256' })).toThrow(
      /dpop.algorithm: ES256 does not fit the key given \(EdDSA does\)/,
    )
    expect(() => createDpopKey({ key: publicKey })).toThrow(ConfigurationError)
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey
    expect(() => createDpopKey({ key: p384 })).toThrow(/dpop.key: is a ec secp384r1 key/)
  })

  it("takes the user's CryptoKeyPair", async () => {
    const pair = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
      'verify',
    ])) as webcrypto.CryptoKeyPair
    const key = createDpopKey({ key: pair })
    expect(key.algorithm).toBe('ES256')
    expect(key.publicJwk.kty).toBe('EC')
  })

  it('never shows its private key: inspect and JSON give the algorithm and thumbprint only', () => {
    const key = createDpopKey({})
    expect(JSON.parse(JSON.stringify(key))).toEqual({
      algorithm: 'ES256',
      thumbprint: key.thumbprint,
      privateKey: '[redacted]',
    })
    expect(inspect(key)).not.toMatch(/"?d"?:/)
    expect(Object.keys(key).sort()).toEqual(['algorithm', 'publicJwk', 'thumbprint'])
  })
})
