import { createPrivateKey, X509Certificate } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { JWT_BEARER } from '../../src/credentials/assertion-jwt.js'
import {
  CertificateCredential,
  type CertificateCredentialOptions,
} from '../../src/credentials/certificate.js'
import type { CredentialContext } from '../../src/credentials/credential.js'
import { fixture, fixtureClock, fixtureText, PASSPHRASE, thumbprints, verifyAssertion } from './fixtures.js'

const CLIENT_ID = '55b2a7ec-73f3-45c2-af08-21ecc33dc40e'
const V2 = 'https://login.microsoftonline.com/f6aba1d9-da41-4ea3-8f30-4970725586a8/oauth2/v2.0/token'
const V1 = 'https://login.microsoftonline.com/f6aba1d9-da41-4ea3-8f30-4970725586a8/oauth2/token'

/** Runs one authenticate call and returns the form it filled. */
async function assertionFrom(credential: CertificateCredential, tokenEndpoint = V2, clock = fixtureClock()) {
  const form = new URLSearchParams()
  const ctx: CredentialContext = {
    clientId: CLIENT_ID,
    tokenEndpoint,
    clock,
    signal: new AbortController().signal,
  }
  await credential.authenticate({ form, headers: {} }, ctx)
  return { form, jwt: form.get('client_assertion') ?? '', now: clock.now() }
}

function newCredential(options: CertificateCredentialOptions) {
  return new CertificateCredential(options, { clock: fixtureClock() })
}

const main = { privateKey: fixtureText('rsa.key.pem'), certificate: fixtureText('rsa.cert.pem') }

describe('the client assertion', () => {
  it('is a PS256 JWT that verifies with the certificate, with the exact header and claims of docs/entra.md §4', async () => {
    const { form, jwt, now } = await assertionFrom(newCredential(main))
    expect(form.get('client_assertion_type')).toBe(JWT_BEARER)
    const { header, payload } = await verifyAssertion(jwt, 'rsa.cert.pem', 'PS256', now)
    expect(header).toEqual({ alg: 'PS256', typ: 'JWT', 'x5t#S256': thumbprints('rsa').x5tS256 })
    const seconds = Math.floor(now / 1000)
    expect(payload).toEqual({
      aud: V2,
      iss: CLIENT_ID,
      sub: CLIENT_ID,
      jti: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      nbf: seconds,
      iat: seconds,
      exp: seconds + 600,
    })
    expect(typeof payload.aud).toBe('string')
  })

  it('is RS256 with the SHA-1 x5t (as openssl computes it) when algorithm is RS256', async () => {
    const { jwt, now } = await assertionFrom(newCredential({ ...main, algorithm: 'RS256' }))
    const { header } = await verifyAssertion(jwt, 'rsa.cert.pem', 'RS256', now)
    expect(header).toEqual({ alg: 'RS256', typ: 'JWT', x5t: thumbprints('rsa').x5t })
  })

  it('takes aud from the token endpoint being called: v1 or v2', async () => {
    const credential = newCredential(main)
    for (const endpoint of [V1, V2]) {
      const { jwt, now } = await assertionFrom(credential, endpoint)
      const { payload } = await verifyAssertion(jwt, 'rsa.cert.pem', 'PS256', now)
      expect(payload.aud).toBe(endpoint)
    }
  })

  it('uses the configured audience and kid for generic servers', async () => {
    const credential = newCredential({
      ...main,
      audience: 'https://idp.example.com/realms/demo',
      keyId: 'key-1',
    })
    const { jwt, now } = await assertionFrom(
      credential,
      'https://idp.example.com/realms/demo/protocol/openid-connect/token',
    )
    const { header, payload } = await verifyAssertion(jwt, 'rsa.cert.pem', 'PS256', now)
    expect(payload.aud).toBe('https://idp.example.com/realms/demo')
    expect(header.kid).toBe('key-1')
  })

  it('reads iat, nbf and exp from the injected clock', async () => {
    const clock = fixtureClock()
    clock.advance(123_456)
    const { jwt } = await assertionFrom(newCredential(main), V2, clock)
    const { payload } = await verifyAssertion(jwt, 'rsa.cert.pem', 'PS256', clock.now())
    expect(payload.iat).toBe(Math.floor(clock.now() / 1000))
  })

  it('is new for every call: a fresh jti each time', async () => {
    const credential = newCredential(main)
    const jtis = new Set<unknown>()
    for (let i = 0; i < 5; i++) {
      const { jwt, now } = await assertionFrom(credential)
      jtis.add((await verifyAssertion(jwt, 'rsa.cert.pem', 'PS256', now)).payload.jti)
    }
    expect(jtis.size).toBe(5)
  })

  it('carries x5c, leaf first in standard base64 DER, when sendCertificateChain is set', async () => {
    const credential = newCredential({
      privateKey: fixtureText('leaf.key.pem'),
      certificate: fixtureText('chain.pem'),
      sendCertificateChain: true,
    })
    const { jwt, now } = await assertionFrom(credential)
    const { header } = await verifyAssertion(jwt, 'leaf.cert.pem', 'PS256', now)
    expect(header.x5c).toEqual([
      new X509Certificate(fixture('leaf.cert.pem')).raw.toString('base64'),
      new X509Certificate(fixture('ca.cert.pem')).raw.toString('base64'),
    ])
    expect(header['x5t#S256']).toBe(thumbprints('leaf').x5tS256)
  })

  it('carries no x5c without sendCertificateChain, even when a chain is given', async () => {
    const credential = newCredential({
      privateKey: fixtureText('leaf.key.pem'),
      certificate: fixtureText('chain.pem'),
    })
    const { jwt, now } = await assertionFrom(credential)
    expect((await verifyAssertion(jwt, 'leaf.cert.pem', 'PS256', now)).header.x5c).toBeUndefined()
  })
})

describe('key and certificate formats', () => {
  const cases: Array<[string, () => CertificateCredentialOptions]> = [
    ['PKCS#8 PEM text', () => main],
    ['PKCS#1 PEM text', () => ({ ...main, privateKey: fixtureText('rsa.pkcs1.pem') })],
    [
      'encrypted PKCS#8 PEM with its passphrase',
      () => ({ ...main, privateKey: fixtureText('rsa.encrypted.pem'), passphrase: PASSPHRASE }),
    ],
    [
      'PKCS#8 DER and DER certificate Buffers',
      () => ({ privateKey: fixture('rsa.key.der'), certificate: fixture('rsa.cert.der') }),
    ],
    ['PEM Buffers', () => ({ privateKey: fixture('rsa.key.pem'), certificate: fixture('rsa.cert.pem') })],
    [
      'a KeyObject and an X509Certificate',
      () => ({
        privateKey: createPrivateKey(fixture('rsa.key.pem')),
        certificate: new X509Certificate(fixture('rsa.cert.pem')),
      }),
    ],
    ['one PEM holding key and certificate', () => ({ privateKey: fixtureText('rsa.combined.pem') })],
    [
      'one PEM holding certificate and encrypted key',
      () => ({ privateKey: fixtureText('rsa.combined-encrypted.pem'), passphrase: PASSPHRASE }),
    ],
    [
      'PKCS#12 with AES-256 (OpenSSL 3 default)',
      () => ({ privateKey: fixture('rsa.aes.pfx'), passphrase: PASSPHRASE }),
    ],
    [
      'PKCS#12 with 3DES and a SHA-1 MAC',
      () => ({ privateKey: fixture('rsa.3des.pfx'), passphrase: PASSPHRASE }),
    ],
    ['PKCS#12 with an empty password', () => ({ privateKey: fixture('rsa.nopass.pfx') })],
    [
      'PKCS#1 DER',
      () => ({
        privateKey: createPrivateKey(fixture('rsa.key.pem')).export({ format: 'der', type: 'pkcs1' }),
        certificate: main.certificate,
      }),
    ],
    [
      'encrypted PKCS#8 DER with its passphrase',
      () => ({
        privateKey: createPrivateKey(fixture('rsa.key.pem')).export({
          format: 'der',
          type: 'pkcs8',
          cipher: 'aes-256-cbc',
          passphrase: PASSPHRASE,
        }),
        certificate: main.certificate,
        passphrase: PASSPHRASE,
      }),
    ],
    ['an unencrypted key given with a passphrase', () => ({ ...main, passphrase: PASSPHRASE })],
    [
      'a Uint8Array that is not a Buffer',
      () => ({ privateKey: new Uint8Array(fixture('rsa.key.der')), certificate: main.certificate }),
    ],
  ]
  it.each(cases)('accepts %s and signs with the same key and thumbprint', async (_name, options) => {
    const credential = newCredential(options())
    expect(credential.thumbprint).toBe(thumbprints('rsa').sha1Hex)
    const { jwt, now } = await assertionFrom(credential)
    const { header } = await verifyAssertion(jwt, 'rsa.cert.pem', 'PS256', now)
    expect(header['x5t#S256']).toBe(thumbprints('rsa').x5tS256)
  })

  it('sends a PKCS#12 chain as x5c, leaf first', async () => {
    const credential = newCredential({
      privateKey: fixture('chain.pfx'),
      passphrase: PASSPHRASE,
      sendCertificateChain: true,
    })
    const { jwt, now } = await assertionFrom(credential)
    const { header } = await verifyAssertion(jwt, 'leaf.cert.pem', 'PS256', now)
    expect(
      (header.x5c as string[]).map((c) =>
        new X509Certificate(Buffer.from(c, 'base64')).fingerprint256.replaceAll(':', ''),
      ),
    ).toEqual([
      Buffer.from(thumbprints('leaf').x5tS256, 'base64url').toString('hex').toUpperCase(),
      Buffer.from(thumbprints('ca').x5tS256, 'base64url').toString('hex').toUpperCase(),
    ])
  })

  it('accepts a certificate list given as an array, leaf first', async () => {
    const credential = newCredential({
      privateKey: fixtureText('leaf.key.pem'),
      certificate: [fixtureText('leaf.cert.pem'), fixture('ca.cert.pem')],
      sendCertificateChain: true,
    })
    const { jwt, now } = await assertionFrom(credential)
    expect((await verifyAssertion(jwt, 'leaf.cert.pem', 'PS256', now)).header.x5c).toHaveLength(2)
  })
})
