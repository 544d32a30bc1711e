import { describe, expect, it } from 'vitest'
import {
  abortableSleep,
  IMDS_GONE_MAX_RETRIES,
  MAX_RETRY_AFTER_MS,
  nextRetryDelayMs,
  type RetryState,
  retryableStatus,
} from '../../src/managed-identity/retry-policy.js'
import { useLoopbackGuard } from '../helpers/loopback-guard.js'

useLoopbackGuard()

const NOW = 1_000_000
const state = (over: Partial<RetryState>): RetryState => ({
  status: 500,
  retries: 0,
  retryAfterMs: undefined,
  now: NOW,
  firstGoneAt: undefined,
  ...over,
})

describe('the IMDS retry policy', () => {
  it.each([404, 408, 410, 429, 500, 502, 503, 504, 599])('retries %i', (status) => {
    expect(retryableStatus('imds', status)).toBe(true)
  })

  it.each([400, 401, 403, 405])('does not retry %i', (status) => {
    expect(nextRetryDelayMs('imds', state({ status }))).toBeUndefined()
  })

  it('backs off exponentially, 1 s, 2 s, 4 s, then stops', () => {
    const delays = [0, 1, 2, 3].map((retries) => nextRetryDelayMs('imds', state({ status: 429, retries })))
    expect(delays).toEqual([1000, 2000, 4000, undefined])
  })

  it('ignores Retry-After (Azure documents a fixed backoff for IMDS)', () => {
    expect(nextRetryDelayMs('imds', state({ status: 429, retryAfterMs: 30_000 }))).toBe(1000)
  })

  it('retries a 410 every 10 s until 70 s have passed since the first one', () => {
    expect(nextRetryDelayMs('imds', state({ status: 410, retries: 5, firstGoneAt: NOW - 60_000 }))).toBe(
      10_000,
    )
    expect(nextRetryDelayMs('imds', state({ status: 410, retries: 6, firstGoneAt: NOW - 69_999 }))).toBe(
      10_000,
    )
    expect(
      nextRetryDelayMs('imds', state({ status: 410, retries: 7, firstGoneAt: NOW - 70_000 })),
    ).toBeUndefined()
    expect(
      nextRetryDelayMs('imds', state({ status: 410, retries: IMDS_GONE_MAX_RETRIES, firstGoneAt: NOW })),
    ).toBeUndefined()
  })
})

describe('the other sources', () => {
  it.each([404, 408, 429, 500, 503, 504])('retry %i', (status) => {
    expect(nextRetryDelayMs('app-service', state({ status }))).toBe(1000)
  })

  it.each([400, 401, 410, 501, 502])('do not retry %i', (status) => {
    expect(retryableStatus('azure-arc', status)).toBe(false)
  })

  it('wait Retry-After (at least 1 s), three times at most', () => {
    expect(nextRetryDelayMs('cloud-shell', state({ status: 429, retryAfterMs: 5000 }))).toBe(5000)
    expect(nextRetryDelayMs('cloud-shell', state({ status: 429, retryAfterMs: 0 }))).toBe(1000)
    expect(nextRetryDelayMs('azure-ml', state({ status: 503, retries: 3 }))).toBeUndefined()
  })

  it('do not wait a Retry-After longer than the cap', () => {
    expect(nextRetryDelayMs('service-fabric', state({ status: 429, retryAfterMs: MAX_RETRY_AFTER_MS }))).toBe(
      MAX_RETRY_AFTER_MS,
    )
    expect(
      nextRetryDelayMs('service-fabric', state({ status: 429, retryAfterMs: MAX_RETRY_AFTER_MS + 1 })),
    ).toBeUndefined()
  })
})

describe('abortableSleep', () => {
  it('rejects with the reason when aborted, before or during the wait', async () => {
    const reason = new Error('stop')
    await expect(abortableSleep(10, AbortSignal.abort(reason))).rejects.toBe(reason)
    const controller = new AbortController()
    const waiting = abortableSleep(60_000, controller.signal)
    controller.abort(reason)
    await expect(waiting).rejects.toBe(reason)
  })

  it('resolves after the wait', async () => {
    await expect(abortableSleep(1, new AbortController().signal)).resolves.toBeUndefined()
  })
})
