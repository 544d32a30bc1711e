import { createPrivateKey, X509Certificate } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { importCertificates, importPrivateKey } from '../../src/credentials/key-material.js'
import { CredentialError } from '../../src/errors.js'
import { fixture, fixtureText } from './fixtures.js'
import { bag, certBag, dataContent, macData, P12_OID, pfx } from './pkcs12-builder.js'

const keyDer = createPrivateKey(fixtureText('rsa.key.pem')).export({ format: 'der', type: 'pkcs8' })
const certificateDer = new X509Certificate(fixture('rsa.cert.pem')).raw

function refusal(run: () => unknown): CredentialError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(CredentialError)
    return error as CredentialError
  }
  throw new Error('expected a CredentialError')
}

describe('importCertificates', () => {
  it('refuses an empty list', () => {
    expect(refusal(() => importCertificates([])).message).toBe(
      'certificate holds no certificate: give PEM text or DER bytes.',
    )
  })

  it('refuses PEM text without a certificate block, as text or as bytes, suggesting certificatePath', () => {
    for (const input of [fixtureText('rsa.key.pem'), fixture('rsa.key.pem')]) {
      const error = refusal(() => importCertificates(input))
      expect(error.message).toBe('certificate holds no "BEGIN CERTIFICATE" PEM block.')
      expect(error.hint).toMatch(/use certificatePath for a file/)
    }
  })
})

describe('importPrivateKey', () => {
  it.each([
    ['PEM text', fixtureText('rsa.cert.pem')],
    ['PEM bytes', fixture('rsa.cert.pem')],
    ['DER bytes', fixture('rsa.cert.der')],
  ])('says "no private key" when privateKey holds only a certificate (%s)', (_name, input) => {
    const error = refusal(() => importPrivateKey(input, undefined))
    expect(error.message).toBe('privateKey holds a certificate but no private key.')
    expect(error.hint).toContain('certificate: { privateKey: keyPem, certificate: certPem }')
  })

  it('adds a trailing-newline hint when a wrong passphrase ends with whitespace', () => {
    const error = refusal(() => importPrivateKey(fixtureText('rsa.encrypted.pem'), 'wrong-passphrase\n'))
    expect(error.message).toBe('the passphrase is wrong for the encrypted private key.')
    expect(error.hint).toContain('ends with whitespace')
    expect(error.hint).not.toContain('wrong-passphrase')
  })

  it('reports a malformed PKCS#12 file without a passphrase hint', () => {
    const error = refusal(() => importPrivateKey(pfx([], { mac: macData(P12_OID.MD5) }), 'passphrase'))
    expect(error.message).toMatch(/unsupported MAC hash/)
    expect(error.hint).toBeUndefined()
  })

  it('refuses a PKCS#12 file with two private keys', () => {
    const bytes = pfx([dataContent([bag(P12_OID.KEY_BAG, keyDer), bag(P12_OID.KEY_BAG, keyDer)])])
    expect(refusal(() => importPrivateKey(bytes, undefined)).message).toBe(
      'the PKCS#12 file holds 2 private keys: it must hold exactly one.',
    )
  })

  it('says "no private key" for a PKCS#12 file holding only a certificate, with the fix', () => {
    const error = refusal(() => importPrivateKey(pfx([dataContent([certBag(certificateDer)])]), undefined))
    expect(error.message).toBe('the PKCS#12 file holds a certificate but no private key.')
    expect(error.hint).toContain('openssl pkcs12 -export')
  })

  it('reads the one key of a PKCS#12 file with its certificates, marked as from PKCS#12', () => {
    const bytes = pfx([dataContent([bag(P12_OID.KEY_BAG, keyDer), certBag(certificateDer)])])
    const imported = importPrivateKey(bytes, undefined)
    expect(imported.fromPkcs12).toBe(true)
    expect(imported.key.export({ format: 'der', type: 'pkcs8' }).equals(keyDer)).toBe(true)
    expect(imported.certificates.map((certificate) => certificate.raw)).toEqual([certificateDer])
  })
})
