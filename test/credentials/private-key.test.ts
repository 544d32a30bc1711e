import { generateKeyPairSync } from 'node:crypto'
import { inspect } from 'node:util'
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose'
import { describe, expect, it } from 'vitest'
import { systemClock } from '../../src/clock.js'
import { PrivateKeyCredential } from '../../src/credentials/private-key.js'
import { CredentialError } from '../../src/errors.js'

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const ed = generateKeyPairSync('ed25519')
const ENDPOINT = 'https://idp.example.test/token'

async function assertionOf(credential: PrivateKeyCredential): Promise<string> {
  const form = new URLSearchParams()
  const ctx = {
    clientId: 'svc',
    tokenEndpoint: ENDPOINT,
    clock: systemClock,
    signal: new AbortController().signal,
  }
  await credential.authenticate({ form, headers: {} }, ctx)
  expect(form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
  return form.get('client_assertion') as string
}

describe('private_key_jwt with a bare key', () => {
  it.each([
    ['RSA', rsa, undefined, 'RS256'],
    ['RSA', rsa, 'PS256', 'PS256'],
    ['EC P-256', ec, undefined, 'ES256'],
    ['Ed25519', ed, undefined, 'EdDSA'],
  ] as const)(
    'signs with a %s key (%s → %s), verifiable with its public key',
    async (_, keys, wanted, alg) => {
      const credential = new PrivateKeyCredential({ privateKey: keys.privateKey, algorithm: wanted })
      const jwt = await assertionOf(credential)
      const { payload, protectedHeader } = await jwtVerify(jwt, keys.publicKey, { algorithms: [alg] })
      expect(protectedHeader).toEqual({ alg, typ: 'JWT' })
      expect(payload).toMatchObject({ iss: 'svc', sub: 'svc', aud: ENDPOINT })
      expect(typeof payload.jti).toBe('string')
    },
  )

  it('takes PEM text and a private JWK, whose kid becomes the header kid unless keyId is given', async () => {
    const pem = ec.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
    expect(
      decodeProtectedHeader(await assertionOf(new PrivateKeyCredential({ privateKey: pem, keyId: 'k1' })))
        .kid,
    ).toBe('k1')
    const jwk = { ...ec.privateKey.export({ format: 'jwk' }), kid: 'from-jwk' }
    expect(decodeProtectedHeader(await assertionOf(new PrivateKeyCredential({ privateKey: jwk }))).kid).toBe(
      'from-jwk',
    )
    expect(
      decodeProtectedHeader(await assertionOf(new PrivateKeyCredential({ privateKey: jwk, keyId: 'k2' })))
        .kid,
    ).toBe('k2')
  })

  it('uses the configured audience', async () => {
    const credential = new PrivateKeyCredential({
      privateKey: ed.privateKey,
      audience: 'https://idp.example.test',
    })
    expect(decodeJwt(await assertionOf(credential)).aud).toBe('https://idp.example.test')
  })

  it.each([
    [
      'an algorithm the key type cannot sign with',
      { privateKey: ec.privateKey, algorithm: 'RS256' as const },
      /algorithm RS256 does not fit the EC key: use ES256/,
    ],
    ['a public JWK', { privateKey: ec.publicKey.export({ format: 'jwk' }) }, /public JWK/],
    [
      'an RSA key under 2048 bits',
      { privateKey: generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey },
      /1024 bits/,
    ],
    [
      'an EC key on another curve',
      { privateKey: generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey },
      /EC secp384r1/,
    ],
    ['a public KeyObject', { privateKey: ec.publicKey }, /public KeyObject/],
  ])('refuses %s, saying so', (_, options, message) => {
    expect(() => new PrivateKeyCredential(options)).toThrow(CredentialError)
    expect(() => new PrivateKeyCredential(options)).toThrow(message)
  })

  it('prints and serialises without its key', () => {
    const jwk = ec.privateKey.export({ format: 'jwk' })
    const credential = new PrivateKeyCredential({ privateKey: jwk, keyId: 'k1' })
    for (const text of [inspect(credential, { depth: 10, showHidden: true }), JSON.stringify(credential)]) {
      expect(text).not.toContain(jwk.d as string)
      expect(text).toContain('[redacted]')
    }
  })
})
