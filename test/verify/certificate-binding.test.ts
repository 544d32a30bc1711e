import { X509Certificate } from 'node:crypto'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { type GeneratedCertificate, generateCertificate } from '../../src/testing/index.js'
import {
  certificateThumbprint,
  checkCertificateBinding,
  peerCertificateOf,
} from '../../src/verify/certificate-binding.js'

let client: GeneratedCertificate
let other: GeneratedCertificate

beforeAll(async () => {
  ;[client, other] = await Promise.all([
    generateCertificate({ commonName: 'bound client' }),
    generateCertificate({ commonName: 'another client' }),
  ])
})

describe('certificateThumbprint', () => {
  it('is the x5t#S256 of the certificate, from an X509Certificate, its DER, or getPeerCertificate()', () => {
    const expected = client.thumbprintSha256
    expect(certificateThumbprint(new X509Certificate(client.certificatePem))).toBe(expected)
    expect(certificateThumbprint(client.der)).toBe(expected)
    expect(certificateThumbprint(new Uint8Array(client.der))).toBe(expected)
    expect(certificateThumbprint({ raw: client.der })).toBe(expected)
  })

  it('is undefined when the client sent no certificate', () => {
    expect([
      certificateThumbprint({}),
      certificateThumbprint(undefined),
      certificateThumbprint(null),
    ]).toEqual([undefined, undefined, undefined])
    expect(certificateThumbprint(new Uint8Array())).toBeUndefined()
  })
})

describe('checkCertificateBinding', () => {
  it('passes for the certificate the token is bound to', () => {
    expect(checkCertificateBinding(client.thumbprintSha256, client.x509)).toBeUndefined()
  })

  it('refuses another certificate, and no certificate, as binding failures', () => {
    expect(checkCertificateBinding(client.thumbprintSha256, other.x509)).toMatchObject({
      reason: 'binding',
      description: 'the token is bound to another client certificate than the one presented',
    })
    expect(checkCertificateBinding(client.thumbprintSha256, {})).toMatchObject({
      reason: 'binding',
      description: 'the token is bound to a client certificate: present it over mutual TLS',
    })
  })

  it('reads a certificate given as a function when it checks, and only then', () => {
    const read = vi.fn(() => ({ raw: client.der }))
    expect(read).not.toHaveBeenCalled()
    expect(checkCertificateBinding(client.thumbprintSha256, read)).toBeUndefined()
    expect(read).toHaveBeenCalledOnce()
  })
})

describe('peerCertificateOf', () => {
  it('asks a TLS socket for its detailed peer certificate', () => {
    const getPeerCertificate = vi.fn(() => ({ raw: client.der }))
    expect(peerCertificateOf({ getPeerCertificate })).toEqual({ raw: client.der })
    expect(getPeerCertificate).toHaveBeenCalledExactlyOnceWith(true)
  })

  it('finds none on a plain socket or without a socket', () => {
    expect([peerCertificateOf({ encrypted: false }), peerCertificateOf(undefined)]).toEqual([
      undefined,
      undefined,
    ])
  })
})
