import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto'
import { describe, expect, it, vi } from 'vitest'
import {
  CertificateCredential,
  type CertificateCredentialOptions,
} from '../../src/credentials/certificate.js'
import { leafFirst } from '../../src/credentials/certificate-checks.js'
import { CredentialError } from '../../src/errors.js'
import { manualClock } from '../helpers/token-endpoint.js'
import { fixture, fixtureClock, fixtureText, PASSPHRASE, secretsOf, thumbprints } from './fixtures.js'

const main = { privateKey: fixtureText('rsa.key.pem'), certificate: fixtureText('rsa.cert.pem') }

/** The CredentialError that constructing with `options` throws. */
function refusal(options: CertificateCredentialOptions, clock = fixtureClock()): CredentialError {
  try {
    new CertificateCredential(options, { clock })
  } catch (error) {
    expect(error).toBeInstanceOf(CredentialError)
    const credentialError = error as CredentialError
    expect(credentialError.code).toBe('ERR_CREDENTIAL_INVALID')
    const printed =
      JSON.stringify(credentialError) + String(credentialError.stack) + String(credentialError.hint)
    for (const secret of secretsOf(
      'rsa.key.pem',
      'rsa.encrypted.pem',
      'other.key.pem',
      'ec.key.pem',
      'rsa1024.key.pem',
    )) {
      expect(printed).not.toContain(secret)
    }
    return credentialError
  }
  throw new Error('expected the credential to be refused')
}

describe('checks at construction', () => {
  it('refuses a certificate that is not for the private key', () => {
    const error = refusal({ privateKey: main.privateKey, certificate: fixtureText('other.cert.pem') })
    expect(error.message).toMatch(/certificate does not match the private key/)
    expect(error.message).toContain(thumbprints('other').sha1Hex)
  })

  it('refuses a wrong passphrase for an encrypted key, without echoing it', () => {
    const error = refusal({
      ...main,
      privateKey: fixtureText('rsa.encrypted.pem'),
      passphrase: 'not-the-passphrase',
    })
    expect(error.message).toBe('the passphrase is wrong for the encrypted private key.')
    expect(JSON.stringify(error)).not.toContain('not-the-passphrase')
  })

  it('asks for the passphrase of an encrypted key given without one', () => {
    expect(refusal({ ...main, privateKey: fixtureText('rsa.encrypted.pem') }).message).toBe(
      'the private key is encrypted: give passphrase.',
    )
  })

  it('refuses an encrypted DER key with a wrong or missing passphrase', () => {
    const der = createPrivateKey(main.privateKey).export({
      format: 'der',
      type: 'pkcs8',
      cipher: 'aes-256-cbc',
      passphrase: PASSPHRASE,
    })
    expect(refusal({ ...main, privateKey: der, passphrase: 'not-it' }).message).toBe(
      'the passphrase is wrong for the encrypted private key.',
    )
    expect(refusal({ ...main, privateKey: der }).message).toBe(
      'the private key is encrypted: give passphrase.',
    )
  })

  it('refuses a wrong passphrase for a PKCS#12 file', () => {
    const error = refusal({ privateKey: fixture('rsa.aes.pfx'), passphrase: 'not-the-passphrase' })
    expect(error.message).toMatch(/passphrase is wrong for the PKCS#12 file/)
  })

  it('refuses an expired certificate, saying when it expired', () => {
    const error = refusal({ ...main, certificate: fixtureText('expired.cert.pem') })
    expect(error.message).toMatch(/^the certificate expired on 2021-01-01T00:00:00.000Z/)
    expect(error.hint).toMatch(/Create a new certificate/)
  })

  it('refuses a certificate that is not yet valid', () => {
    const error = refusal(main, manualClock(Date.parse('2020-06-01T00:00:00Z')))
    expect(error.message).toMatch(/^the certificate is not valid before /)
  })

  it('refuses an EC key', () => {
    const error = refusal({ privateKey: fixtureText('ec.key.pem'), certificate: fixtureText('ec.cert.pem') })
    expect(error.message).toMatch(/^the private key is EC, not RSA/)
  })

  it('refuses an RSA key under 2048 bits', () => {
    const error = refusal({
      privateKey: fixtureText('rsa1024.key.pem'),
      certificate: fixtureText('rsa1024.cert.pem'),
    })
    expect(error.message).toBe('the RSA key has 1024 bits: at least 2048 are required.')
  })

  it('refuses a chain for x5c that is not leaf first', () => {
    const error = refusal({
      privateKey: fixtureText('leaf.key.pem'),
      certificate: [fixtureText('leaf.cert.pem'), fixtureText('other.cert.pem')],
      sendCertificateChain: true,
    })
    expect(error.message).toMatch(
      /^the certificate chain for x5c is not in order: certificate 1 .* was not issued by certificate 2/,
    )
  })

  it("refuses a chain whose first certificate is not the key's (CA first)", () => {
    const error = refusal({
      privateKey: fixtureText('leaf.key.pem'),
      certificate: fixtureText('chain-reversed.pem'),
    })
    expect(error.message).toMatch(/number 2 in the list: the leaf certificate must come first/)
  })

  it('refuses a legacy RC2-40 PKCS#12 file and says how to re-export it', () => {
    const error = refusal({ privateKey: fixture('rsa.rc2.pfx'), passphrase: PASSPHRASE })
    expect(error.message).toMatch(/legacy RC2-40/)
    expect(error.hint).toMatch(/openssl pkcs12 -in old\.pfx -legacy -nodes -out tmp\.pem/)
    expect(error.hint).toMatch(/openssl pkcs12 -export -in tmp\.pem -out new\.pfx/)
  })

  it('refuses a key without a certificate', () => {
    expect(refusal({ privateKey: main.privateKey }).message).toMatch(
      /^no certificate: privateKey holds only a key/,
    )
  })

  it('refuses a public KeyObject as the private key', () => {
    const error = refusal({ privateKey: createPublicKey(main.privateKey), certificate: main.certificate })
    expect(error.message).toBe('privateKey is a public KeyObject: give the private key.')
  })

  it('refuses text that is not PEM, suggesting certificatePath for files', () => {
    const error = refusal({ privateKey: './client.pem', certificate: main.certificate })
    expect(error.hint).toMatch(/use certificatePath/)
  })

  it('refuses bytes that are no key at all', () => {
    expect(refusal({ privateKey: Buffer.from('not a key'), certificate: main.certificate }).message).toMatch(
      /neither PEM, a PKCS#8 or PKCS#1 DER key, nor a PKCS#12 file/,
    )
  })

  it('warns through the logger when the certificate expires within 30 days', () => {
    const notAfter = new X509Certificate(fixture('rsa.cert.pem')).validToDate.getTime()
    const warn = vi.fn()
    new CertificateCredential(main, {
      clock: manualClock(notAfter - 10 * 86_400_000 - 1000),
      logger: { warn },
    })
    expect(warn).toHaveBeenCalledOnce()
    expect(warn.mock.calls[0]?.[0]).toMatch(/expires in 10 day\(s\)/)
    expect(warn.mock.calls[0]?.[1]).toEqual({
      thumbprint: thumbprints('rsa').sha1Hex,
      expiresAt: new Date(notAfter).toISOString(),
    })
  })

  it('does not warn when the certificate has more than 30 days left', () => {
    const warn = vi.fn()
    new CertificateCredential(main, { clock: fixtureClock(), logger: { warn } })
    expect(warn).not.toHaveBeenCalled()
  })
})

describe('leafFirst', () => {
  const leaf = new X509Certificate(fixture('leaf.cert.pem'))
  const ca = new X509Certificate(fixture('ca.cert.pem'))
  const other = new X509Certificate(fixture('other.cert.pem'))
  const key = { privateKey: fixtureText('leaf.key.pem') }

  it('reorders unordered PKCS#12 certificates into leaf, then issuer, dropping strangers', () => {
    const chain = leafFirst(createPrivateKey(key.privateKey), [other, ca, leaf], true)
    expect(chain.map((c) => c.fingerprint256)).toEqual([leaf.fingerprint256, ca.fingerprint256])
  })
})
