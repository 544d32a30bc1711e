/**
 * The fault matrix's IMDS rows (matrix/imds-rows.ts), end to end: `new TokenClient({ managedIdentity: {} })`
 * against an IMDS on 127.0.0.1 over real sockets. The waits between retries are faked (the managed
 * identity module's sleep records each wait and moves the client's clock by it), so a 410 retried for
 * 70 s takes no real time; "says no within 1.5 s" is the error arriving before an
 * `AbortSignal.timeout(1500)` on the call would, not a wall-clock measurement.
 */
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { TokenClient } from '../../src/client.js'
import { AuthorityError } from '../../src/errors.js'
import { ManagedIdentityUnavailableError } from '../../src/managed-identity/errors.js'
import { useLoopbackGuard } from '../helpers/loopback-guard.js'
import { manualClock } from '../helpers/token-endpoint.js'
import {
  closedPort,
  type IdentityServer,
  type Reply,
  startIdentityServer,
  startSilentPort,
  tokenBody,
} from '../managed-identity/server.js'
import {
  IMDS_FAULT_ROWS,
  type ImdsFaultRow,
  renderImdsFailureTable,
  SAY_NO_WITHIN_MS,
} from './matrix/imds-rows.js'

const time = vi.hoisted(() => ({
  clock: { now: (): number => 0, advance: (_ms: number): void => {} },
  waits: [] as number[],
}))
vi.mock('../../src/managed-identity/retry-policy.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/managed-identity/retry-policy.js')>()
  return {
    ...real,
    abortableSleep: async (ms: number) => {
      time.waits.push(ms)
      time.clock.advance(ms)
    },
  }
})

useLoopbackGuard()

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

/** IMDS for `row`: its base URL, and the token requests it saw (`Metadata: true`; the probe has none). */
async function imdsFor(row: ImdsFaultRow): Promise<{ origin: string; tokenRequests: () => number }> {
  const { endpoint } = row
  if (endpoint.kind === 'closed')
    return { origin: `http://127.0.0.1:${await closedPort()}`, tokenRequests: () => 0 }
  if (endpoint.kind === 'silent') {
    const silent = await startSilentPort()
    closers.push(silent.close)
    return { origin: `http://127.0.0.1:${silent.port}`, tokenRequests: () => 0 }
  }
  const script = endpoint.replies
  const server: IdentityServer = await startIdentityServer((request): Reply => {
    if (request.headers.metadata === undefined) return { status: 400, body: { error: 'invalid_request' } }
    const count = server.seen.filter((seen) => seen.headers.metadata === 'true').length
    const reply = script[Math.min(count - 1, script.length - 1)] ?? { status: 500 }
    return reply !== 'silent' && reply.body === 'token' ? { body: tokenBody(time.clock.now()) } : reply
  })
  closers.push(server.close)
  return {
    origin: server.origin,
    tokenRequests: () => server.seen.filter((seen) => seen.headers.metadata === 'true').length,
  }
}

describe('fault matrix: IMDS', () => {
  for (const row of IMDS_FAULT_ROWS) {
    it(`${row.label}: ${row.outcome.kind === 'token' ? 'a token' : row.outcome.code}`, async () => {
      const clock = manualClock()
      time.clock = clock
      time.waits = []
      const imds = await imdsFor(row)
      const client = new TokenClient({ managedIdentity: {}, imdsBaseUrl: imds.origin, clock })
      const signal = AbortSignal.timeout(SAY_NO_WITHIN_MS)
      const asked = client.getToken(
        'https://vault.azure.net',
        row.endpoint.kind === 'scripted' ? {} : { signal },
      )
      const result = await asked.then(
        (token) => ({ token }),
        (error: unknown) => ({ error }),
      )
      const { outcome } = row
      if (outcome.kind === 'token') {
        expect(result).toHaveProperty('token')
      } else if (outcome.code === 'ERR_AUTHORITY_REJECTED') {
        const error = (result as { error: unknown }).error
        expect(error).toBeInstanceOf(AuthorityError)
        expect(error).toMatchObject({ status: outcome.status, retryable: true })
      } else {
        const error = (result as { error: unknown }).error
        expect(error, 'the error came before the 1.5 s signal fired').toBeInstanceOf(
          ManagedIdentityUnavailableError,
        )
        expect((error as ManagedIdentityUnavailableError).tried.map((t) => t.outcome)).toEqual([
          outcome.outcome,
        ])
        expect(signal.aborted).toBe(false)
      }
      expect(imds.tokenRequests()).toBe(row.tokenRequests)
      expect(time.waits).toEqual(row.waitsMs)
      if (row.id === 'imds-410-lasting')
        expect(clock.now() - manualClock().now()).toBeGreaterThanOrEqual(70_000)
    })
  }

  it('the README shows the table these rows render', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    expect(readme).toContain(renderImdsFailureTable())
  })
})
