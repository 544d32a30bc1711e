import { describe, expect, it } from 'vitest'
import { AuthorityError, ConfigurationError, TransportError } from '../src/errors.js'
import { isRetryable, parseRetryAfter, retryDelayMs } from '../src/retry.js'

const NOW = Date.parse('2026-11-24T10:00:00Z')

describe('parseRetryAfter', () => {
  it.each([
    ['2', 2000],
    [' 60 ', 60_000],
    ['0', 0],
    ['Tue, 24 Nov 2026 10:00:30 GMT', 30_000],
    ['Tue, 24 Nov 2026 09:59:00 GMT', 0],
  ])('reads %j as %d ms', (value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms)
  })

  it.each([undefined, '', '-1', '1.5', 'soon', '2026-11-24T10:00:30Z', '99999999999999999999'])(
    'ignores %j',
    (value) => {
      expect(parseRetryAfter(value, NOW)).toBeUndefined()
    },
  )
})

describe('retry policy', () => {
  it('waits exactly what the server asked for, without jitter', () => {
    expect(retryDelayMs(0, 2000, () => 0.9)).toBe(2000)
  })

  it('backs off exponentially with jitter between half and all of the step', () => {
    expect(retryDelayMs(0, undefined, () => 0)).toBe(250)
    expect(retryDelayMs(0, undefined, () => 1)).toBe(500)
    expect(retryDelayMs(2, undefined, () => 1)).toBe(2000)
    expect(retryDelayMs(20, undefined, () => 1)).toBe(30_000)
  })

  it('retries network failures, timeouts, 429 and 5xx only (never TLS failures, redirects, misrouting)', () => {
    const info = { url: 'https://x', clientRequestId: 'r' }
    expect(isRetryable(new TransportError('timeout', 't', info, { retryable: true }))).toBe(true)
    expect(isRetryable(new TransportError('network', 'n', info, { retryable: true }))).toBe(true)
    expect(isRetryable(new TransportError('redirect', 'r', info))).toBe(false)
    expect(isRetryable(new TransportError('misrouted', 'm', info))).toBe(false)
    // a TLS failure is not retried even when marked otherwise: the next attempt fails the same way
    expect(isRetryable(new TransportError('tls', 't', info, { retryable: true }))).toBe(false)
    expect(isRetryable(new TransportError('body_too_large', 'b', info))).toBe(false)
    expect(isRetryable(new AuthorityError('429', { status: 429 }, { retryable: true }))).toBe(true)
    expect(isRetryable(new AuthorityError('401', { status: 401, error: 'invalid_client' }))).toBe(false)
    expect(isRetryable(new ConfigurationError('tenant', 'bad'))).toBe(false)
    expect(isRetryable(new Error('other'))).toBe(false)
  })
})
