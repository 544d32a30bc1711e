import { once } from 'node:events'
import { type AddressInfo, createServer } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { systemClock } from '../../src/clock.js'
import { TransportError } from '../../src/errors.js'
import { identityDispatcher } from '../../src/managed-identity/dispatcher.js'
import { EndpointUnreachable, sendIdentityRequest } from '../../src/managed-identity/send.js'
import { IdentityRequest } from '../../src/managed-identity/source.js'
import { useLoopbackGuard } from '../helpers/loopback-guard.js'

useLoopbackGuard()

let close: (() => void) | undefined
afterEach(() => close?.())

/** A port whose server answers each connection by `onConnection`. */
async function rawServer(onConnection: (socket: import('node:net').Socket) => void): Promise<string> {
  const server = createServer(onConnection).listen(0, '127.0.0.1')
  await once(server, 'listening')
  close = () => server.close()
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/t`
}

const undici = await import('undici')

const settings = (deadlineMs: number, probe: boolean) => ({
  dispatcher: identityDispatcher(undici, 1000),
  deadlineMs,
  maxResponseBytes: 1024,
  clock: systemClock,
  deadlineMeansUnreachable: probe,
})

describe('sendIdentityRequest', () => {
  it('calls a connection reset unreachable (network)', async () => {
    const url = await rawServer((socket) => socket.resetAndDestroy())
    const error = await sendIdentityRequest(new IdentityRequest('GET', url, {}), settings(1000, false)).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(EndpointUnreachable)
    expect((error as EndpointUnreachable).outcome).toBe('network')
  })

  it('calls a garbled answer a failed request, not unreachable', async () => {
    const url = await rawServer((socket) => socket.end('NOT HTTP\r\n\r\n'))
    const error = await sendIdentityRequest(new IdentityRequest('GET', url, {}), settings(1000, false)).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(TransportError)
    expect((error as TransportError).reason).toBe('network')
    expect((error as TransportError).retryable).toBe(true)
  })
})
