import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { systemClock } from '../../src/clock.js'
import { CertificateCredential } from '../../src/credentials/certificate.js'
import type { Credential } from '../../src/credentials/credential.js'
import { TlsClientAuthCredential } from '../../src/credentials/tls-client-auth.js'
import { generateCertificate } from '../../src/testing/index.js'

describe('mutual-TLS client authentication', () => {
  it('puts nothing in the form: no secret, no assertion (the handshake proves the key)', async () => {
    const certificate = await generateCertificate({ commonName: 'worker' })
    const inner = new CertificateCredential({
      privateKey: certificate.privateKeyPem,
      certificate: certificate.certificatePem,
    })
    const credential = new TlsClientAuthCredential(inner, 'tls_client_auth')
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: 'svc' })
    const headers: Record<string, string> = {}
    const asCredential: Credential = credential
    const ctx = {
      clientId: 'svc',
      tokenEndpoint: 'https://idp.example.test/token',
      clock: systemClock,
      signal: new AbortController().signal,
    }
    await asCredential.authenticate({ form, headers }, ctx)
    expect([...form.keys()]).toEqual(['grant_type', 'client_id'])
    expect(headers).toEqual({})
    const presented = await credential.clientCertificate({
      clock: systemClock,
      signal: new AbortController().signal,
    })
    expect(presented.thumbprintSha256).toBe(certificate.thumbprintSha256)
    expect(presented.chain[0]?.raw.equals(certificate.der)).toBe(true)
  })

  it('prints without its key', async () => {
    const certificate = await generateCertificate({ commonName: 'worker' })
    const inner = new CertificateCredential({
      privateKey: certificate.privateKeyPem,
      certificate: certificate.certificatePem,
    })
    const text = inspect(new TlsClientAuthCredential(inner, 'self_signed_tls_client_auth'), { depth: 10 })
    expect(text).toContain("authMethod: 'self_signed_tls_client_auth'")
    expect(text).not.toContain('PRIVATE KEY')
  })
})
