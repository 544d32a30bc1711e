import { execFileSync } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { generateCertificate } from '../../../src/testing/x509/certificate.js'

describe('generateCertificate', () => {
  it('produces a self-signed v3 certificate whose signature verifies with its own key', async () => {
    const cert = await generateCertificate({
      commonName: 'localhost',
      dnsNames: ['localhost'],
      ipAddresses: ['127.0.0.1'],
    })
    const parsed = new X509Certificate(cert.certificatePem)
    expect(parsed.subject).toBe('CN=localhost')
    expect(parsed.issuer).toBe('CN=localhost')
    expect(parsed.verify(cert.publicKey)).toBe(true)
    expect(parsed.ca).toBe(true)
    expect(parsed.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1')
    expect(parsed.checkHost('localhost')).toBe('localhost')
    expect(parsed.checkIP('127.0.0.1')).toBe('127.0.0.1')
  })

  // openssl is on every machine this project runs on (the credential fixtures are made with it)
  it('chains a leaf to an issuer so that openssl verifies it against the issuer as CA', async () => {
    const ca = await generateCertificate({ commonName: 'Test CA' })
    const leaf = await generateCertificate({ commonName: 'daemon', organization: 'Contoso', issuer: ca })
    expect(leaf.x509.subject).toBe('CN=daemon\nO=Contoso')
    expect(leaf.x509.issuer).toBe('CN=Test CA')
    expect(leaf.x509.ca).toBe(false)
    expect(leaf.x509.checkIssued(ca.x509)).toBe(true)
    expect(leaf.x509.verify(ca.publicKey)).toBe(true)
    const dir = mkdtempSync(join(tmpdir(), 'x509-'))
    writeFileSync(join(dir, 'ca.pem'), ca.certificatePem)
    writeFileSync(join(dir, 'leaf.pem'), leaf.certificatePem)
    const out = execFileSync('openssl', ['verify', '-CAfile', join(dir, 'ca.pem'), join(dir, 'leaf.pem')])
    expect(out.toString()).toContain('OK')
  })

  it('honours explicit validity dates, including GeneralizedTime after 2049', async () => {
    const notBefore = new Date('2049-06-01T00:00:00Z')
    const notAfter = new Date('2051-01-01T00:00:00Z')
    const cert = await generateCertificate({ commonName: 'far', notBefore, notAfter })
    expect(new Date(cert.x509.validFrom).toISOString()).toBe(notBefore.toISOString())
    expect(new Date(cert.x509.validTo).toISOString()).toBe(notAfter.toISOString())
  })

  it('reports SHA-1 and SHA-256 thumbprints of the DER in base64url and the SHA-1 in portal hex', async () => {
    const cert = await generateCertificate({ commonName: 'thumbs' })
    expect(Buffer.from(cert.thumbprintSha1, 'base64url').toString('hex').toUpperCase()).toBe(
      cert.thumbprintHex,
    )
    expect(cert.x509.fingerprint.replaceAll(':', '')).toBe(cert.thumbprintHex)
    expect(cert.x509.fingerprint256.replaceAll(':', '').toLowerCase()).toBe(
      Buffer.from(cert.thumbprintSha256, 'base64url').toString('hex'),
    )
  })
})
