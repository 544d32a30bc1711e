import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { TokenVerificationError, TransportError } from '../../src/errors.js'
import { createTokenVerifier } from '../../src/verify/index.js'
import {
  API_APP_ID,
  clock,
  createTestKey,
  type JwksServer,
  mint,
  NOW,
  rejectionOf,
  startJwksServer,
  TENANT,
  type TestKey,
  v2Claims,
} from './support.js'

// jose's JWKS cache keeps time with Date.now(): only Date is faked, sockets and timers stay real.
let current: TestKey
let next: TestKey
let server: JwksServer

beforeAll(async () => {
  ;[current, next] = await Promise.all([createTestKey('current'), createTestKey('next')])
  server = await startJwksServer([current])
})
afterAll(() => server.close())
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: NOW })
  server.publish([current])
  server.fail(false)
  server.requests.clear()
})
afterEach(() => vi.useRealTimers())

const advance = (ms: number) => vi.setSystemTime(Date.now() + ms)
const newVerifier = (jwksUri = server.jwksUri()) =>
  createTokenVerifier({ tenant: TENANT, audience: API_APP_ID, jwksUri, now: clock })

describe('key roll', () => {
  it('refetches the JWKS for an unknown kid after the cool-down and accepts the rolled-in key', async () => {
    const verifier = newVerifier()
    await verifier.verify(await mint(current, v2Claims()))
    server.publish([current, next])
    advance(31_000)
    await expect(verifier.verify(await mint(next, v2Claims()))).resolves.toMatchObject({ tenantId: TENANT })
    expect(server.total()).toBe(2)
  })

  it('does not refetch within the 30 s cool-down, however many unknown kids arrive', async () => {
    const verifier = newVerifier()
    await verifier.verify(await mint(current, v2Claims()))
    server.publish([current, next])
    const tokens = await Promise.all(
      Array.from({ length: 20 }, (_, i) => mint(next, v2Claims(), { kid: `unknown-${i}` })),
    )
    const errors = await Promise.all(tokens.map((token) => rejectionOf(verifier.verify(token))))
    expect(
      errors.every((error) => error instanceof TokenVerificationError && error.reason === 'signature'),
    ).toBe(true)
    expect((errors[3] as TokenVerificationError).message).toBe('no signing key matches kid unknown-3')
    expect(server.total()).toBe(1)
  })

  it('after the cool-down, a burst of unknown kids costs one refetch', async () => {
    const verifier = newVerifier()
    await verifier.verify(await mint(current, v2Claims()))
    advance(31_000)
    const tokens = await Promise.all(
      Array.from({ length: 10 }, (_, i) => mint(next, v2Claims(), { kid: `unknown-${i}` })),
    )
    await Promise.all(tokens.map((token) => rejectionOf(verifier.verify(token))))
    expect(server.total()).toBe(2)
  })

  it('refetches keys older than the maximum cache age (10 min) even for a known kid', async () => {
    const verifier = newVerifier()
    const token = await mint(current, v2Claims())
    await verifier.verify(token)
    advance(9 * 60_000)
    await verifier.verify(token)
    expect(server.total()).toBe(1)
    advance(2 * 60_000)
    await verifier.verify(token)
    expect(server.total()).toBe(2)
  })
})

describe('unreachable keys', () => {
  it('rejects with a retryable TransportError, not a token rejection, when the JWKS answers 500', async () => {
    server.fail(true)
    const token = await mint(current, v2Claims())
    const error = await rejectionOf(newVerifier().verify(token))
    expect(error).toBeInstanceOf(TransportError)
    expect(error).toMatchObject({
      code: 'ERR_TOKEN_REQUEST_FAILED',
      reason: 'network',
      retryable: true,
      url: server.jwksUri(),
    })
    expect((error as Error).message).not.toContain(token.split('.')[2])
  })

  it('rejects with reason timeout when the JWKS does not answer within jwks.timeoutMs', async () => {
    const silent = createServer(() => {})
    silent.listen(0, '127.0.0.1')
    await once(silent, 'listening')
    const jwksUri = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/keys`
    try {
      const verifier = createTokenVerifier({
        tenant: TENANT,
        audience: API_APP_ID,
        jwksUri,
        jwks: { timeoutMs: 50 },
      })
      const error = await rejectionOf(verifier.verify(await mint(current, v2Claims())))
      expect(error).toMatchObject({ name: 'TransportError', reason: 'timeout' })
    } finally {
      silent.closeAllConnections()
      silent.close()
    }
  })
})
