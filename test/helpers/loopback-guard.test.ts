import { once } from 'node:events'
import { createServer, request as httpRequest } from 'node:http'
import { type AddressInfo, connect, Socket } from 'node:net'
import { connect as tlsConnect } from 'node:tls'
import { request } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { installLoopbackGuard, isLoopbackHost, type LoopbackGuard } from './loopback-guard.js'

// TEST-NET-1 (RFC 5737): never routed; the guard must refuse it before any packet is sent.
const OUTSIDE = '192.0.2.1'

let guard: LoopbackGuard | undefined
afterEach(() => {
  guard?.uninstall()
  guard = undefined
})

async function failureOf(start: () => Socket): Promise<NodeJS.ErrnoException> {
  const socket = start()
  const [error] = (await once(socket, 'error')) as [NodeJS.ErrnoException]
  return error
}

describe('the loopback guard', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.5.6.7', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['localhost', true],
    ['169.254.169.254', false],
    ['192.0.2.1', false],
    ['10.0.0.1', false],
    ['::', false],
    ['example.com', false],
  ])('treats %s as loopback: %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback)
  })

  it('refuses net.connect to a non-loopback address and records it', async () => {
    guard = installLoopbackGuard()
    const error = await failureOf(() => connect({ host: OUTSIDE, port: 80 }))
    expect(error.code).toBe('ERR_LOOPBACK_GUARD')
    expect(guard.refused).toEqual([OUTSIDE])
  })

  it('refuses the (port, host) form and tls.connect', async () => {
    guard = installLoopbackGuard()
    expect((await failureOf(() => connect(443, OUTSIDE))).code).toBe('ERR_LOOPBACK_GUARD')
    const tlsError = await failureOf(() => tlsConnect({ host: OUTSIDE, port: 443 }))
    expect(tlsError.code).toBe('ERR_LOOPBACK_GUARD')
    expect(guard.refused).toEqual([OUTSIDE, OUTSIDE])
  })

  it('refuses undici and node:http requests to a non-loopback host', async () => {
    guard = installLoopbackGuard()
    const undiciFailure = await request(`http://${OUTSIDE}:8080/x`).catch((e: unknown) => e)
    expect(JSON.stringify(undiciFailure, Object.getOwnPropertyNames(undiciFailure))).toContain(
      'loopback guard',
    )
    const req = httpRequest(`http://${OUTSIDE}:8081/x`)
    const [httpError] = (await once(req, 'error')) as [NodeJS.ErrnoException]
    expect(httpError.code).toBe('ERR_LOOPBACK_GUARD')
    expect(guard.refused).toEqual([OUTSIDE, OUTSIDE])
  })

  it('lets loopback connections through', async () => {
    guard = installLoopbackGuard()
    const server = createServer((_req, res) => res.end('ok')).listen(0, '127.0.0.1')
    await once(server, 'listening')
    const { port } = server.address() as AddressInfo
    try {
      const response = await request(`http://127.0.0.1:${port}/`)
      expect(await response.body.text()).toBe('ok')
      const viaName = await request(`http://localhost:${port}/`).catch(() => undefined)
      viaName?.body.resume()
      expect(guard.refused).toEqual([])
    } finally {
      server.close()
    }
  })

  it('puts net.Socket.prototype.connect back when uninstalled', () => {
    const before = Socket.prototype.connect
    installLoopbackGuard().uninstall()
    expect(Socket.prototype.connect).toBe(before)
  })
})
