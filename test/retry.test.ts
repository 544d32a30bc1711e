import { afterEach, describe, expect, it, vi } from 'vitest'
import { AuthorityError, ConfigurationError, TransportError } from '../src/errors.js'
import { isRetryable, parseRetryAfter, retryDelayMs, sleep } from '../src/retry.js'

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

describe('sleep', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('resolves after the wait', async () => {
    vi.useFakeTimers()
    const slept = sleep(1000)
    expect(vi.getTimerCount()).toBe(1)
    await vi.advanceTimersByTimeAsync(1000)
    await expect(slept).resolves.toBeUndefined()
  })

  it("stops its timer and rejects with the signal's reason when the signal aborts", async () => {
    vi.useFakeTimers()
    const controller = new AbortController()
    const slept = sleep(30_000, true, controller.signal)
    expect(vi.getTimerCount()).toBe(1)
    const reason = new Error('closed')
    controller.abort(reason)
    await expect(slept).rejects.toBe(reason)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('rejects at once, setting no timer, when the signal has already aborted', async () => {
    vi.useFakeTimers()
    const reason = new Error('closed')
    await expect(sleep(30_000, true, AbortSignal.abort(reason))).rejects.toBe(reason)
    expect(vi.getTimerCount()).toBe(0)
  })
})
