import { describe, expect, it, vi } from 'vitest'
import { requestEvidence } from '../../src/verify/request.js'

const tlsSocket = (raw = Buffer.from([0x30, 0x03])) => ({
  encrypted: true,
  getPeerCertificate: vi.fn(() => ({ raw })),
})

describe('requestEvidence', () => {
  it('builds the URL from the TLS socket, the Host header and the path, and passes method and DPoP header', () => {
    const req = {
      method: 'POST',
      url: '/orders?page=2',
      headers: { host: 'api.test:8443', dpop: 'a.b.c' },
      socket: tlsSocket(),
    }
    expect(requestEvidence(req)).toMatchObject({
      method: 'POST',
      url: 'https://api.test:8443/orders?page=2',
      dpop: 'a.b.c',
    })
  })

  it('uses http:// on a plain socket, and Express originalUrl (the mount point included) over url', () => {
    const req = {
      url: '/1',
      originalUrl: '/orders/1',
      headers: { host: '127.0.0.1:80' },
      socket: { encrypted: false },
    }
    expect(requestEvidence(req).url).toBe('http://127.0.0.1:80/orders/1')
  })

  it('prefers the configured baseUrl (a proxy in front) to the Host header', () => {
    const req = { url: '/orders', headers: { host: 'internal:8080' }, socket: { encrypted: false } }
    expect(requestEvidence(req, 'https://api.contoso.com/v1/').url).toBe('https://api.contoso.com/v1/orders')
  })

  it('has no URL without a Host header or with a path that is not origin-form', () => {
    expect(requestEvidence({ url: '/orders', headers: {} }).url).toBeUndefined()
    expect(requestEvidence({ url: 'http://evil.test/x', headers: { host: 'api.test' } }).url).toBeUndefined()
  })

  it('reads the peer certificate only when asked', () => {
    const socket = tlsSocket()
    const evidence = requestEvidence({ url: '/', headers: { host: 'h' }, socket })
    expect(socket.getPeerCertificate).not.toHaveBeenCalled()
    const read = evidence.peerCertificate as () => unknown
    expect(read()).toEqual({ raw: Buffer.from([0x30, 0x03]) })
    expect(socket.getPeerCertificate).toHaveBeenCalledExactlyOnceWith(true)
  })
})
