import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { systemClock } from '../../src/clock.js'
import { CertificateCredential } from '../../src/credentials/certificate.js'
import type { ClientCertificate, PresentsCertificate } from '../../src/credentials/client-certificate.js'
import { CertificateConnections } from '../../src/mtls/connections.js'
import { type GeneratedCertificate, generateCertificate } from '../../src/testing/index.js'

const ctx = { clock: systemClock, signal: new AbortController().signal }
const certificates = await Promise.all(
  ['first', 'second', 'third'].map((commonName) => generateCertificate({ commonName })),
)
const credentialOf = (c: GeneratedCertificate) =>
  new CertificateCredential({ privateKey: c.privateKeyPem, certificate: c.certificatePem })

/** A certificate that changes when told to (a rotated file). */
function rotating(): PresentsCertificate & { use(index: number): void } {
  const credentials = certificates.map(credentialOf)
  let current = 0
  return {
    use: (index) => {
      current = index
    },
    clientCertificate: (c): Promise<ClientCertificate> =>
      (credentials[current] as CertificateCredential).clientCertificate(c),
  }
}

describe('the connections presenting a client certificate', () => {
  it('are one per certificate, reused while it stays in service', async () => {
    const connections = new CertificateConnections(credentialOf(certificates[0] as GeneratedCertificate), {})
    const a = await connections.current(ctx)
    const b = await connections.current(ctx)
    expect(a.dispatcher).toBe(b.dispatcher)
    expect(a.thumbprintSha256).toBe(certificates[0]?.thumbprintSha256)
    expect(connections.dispatcherFor(a.thumbprintSha256)).toBe(a.dispatcher)
    await connections.close()
  })

  it('keep the certificate in service and the one before it; an older one is closed and named no more', async () => {
    const certificate = rotating()
    const connections = new CertificateConnections(certificate, {})
    const seen = []
    for (const index of [0, 1, 2]) {
      certificate.use(index)
      seen.push(await connections.current(ctx))
    }
    expect(seen.map((s) => connections.dispatcherFor(s.thumbprintSha256) === s.dispatcher)).toEqual([
      false,
      true,
      true,
    ])
    expect(connections.size).toBe(2)
    await connections.close()
    expect(connections.dispatcherFor(seen[2]?.thumbprintSha256 as string)).toBeUndefined()
  })

  it('never print the private key, however deeply inspected', async () => {
    const connections = new CertificateConnections(credentialOf(certificates[0] as GeneratedCertificate), {})
    const { dispatcher } = await connections.current(ctx)
    const key = (certificates[0] as GeneratedCertificate).privateKeyPem.split('\n')[1] as string
    for (const value of [connections, dispatcher]) {
      const text = inspect(value, { depth: 30, showHidden: true })
      expect(text).not.toContain('PRIVATE KEY')
      expect(text).not.toContain(key)
    }
    expect(JSON.stringify(connections)).toBe('{"certificates":1}')
    await connections.close()
  })
})
