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
  it('asks for the key, not only the certificate, when PEM holds only a certificate', () => {
    const error = refusal(() => importPrivateKey(fixtureText('rsa.cert.pem'), undefined))
    expect(error.message).toBe('privateKey holds no "BEGIN PRIVATE KEY" PEM block.')
    expect(error.hint).toBe('Give the private key (PKCS#8 or PKCS#1 PEM), not only the certificate.')
  })

  it('reports a malformed PKCS#12 file without a passphrase hint', () => {
    const error = refusal(() => importPrivateKey(pfx([], { mac: macData(P12_OID.MD5) }), 'passphrase'))
    expect(error.message).toMatch(/unsupported MAC hash/)
    expect(error.hint).toBeUndefined()
  })

  it.each([
    ['no private key', [certBag(certificateDer)], 0],
    ['two private keys', [bag(P12_OID.KEY_BAG, keyDer), bag(P12_OID.KEY_BAG, keyDer)], 2],
  ])('refuses a PKCS#12 file with %s', (_name, bags, count) => {
    const bytes = pfx([dataContent(bags)])
    expect(refusal(() => importPrivateKey(bytes, undefined)).message).toBe(
      `the PKCS#12 file holds ${count} private keys: it must hold exactly one.`,
    )
  })

  it('reads the one key of a PKCS#12 file with its certificates, marked as from PKCS#12', () => {
    const bytes = pfx([dataContent([bag(P12_OID.KEY_BAG, keyDer), certBag(certificateDer)])])
    const imported = importPrivateKey(bytes, undefined)
    expect(imported.fromPkcs12).toBe(true)
    expect(imported.key.export({ format: 'der', type: 'pkcs8' }).equals(keyDer)).toBe(true)
    expect(imported.certificates.map((certificate) => certificate.raw)).toEqual([certificateDer])
  })
})
