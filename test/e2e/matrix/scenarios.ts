/**
 * The four situations of the fault matrix, each run for one row against the local authority and
 * checked against `outcomesOf(row)`: the outcome, nothing cached from a bad answer, the requests the
 * authority saw.
 */
import { expect, vi } from 'vitest'
import type { AccessToken } from '../../../src/index.js'
import type { LocalAuthority } from '../../../src/testing/index.js'
import {
  API,
  atOnce,
  createRig,
  expectError,
  expectGoodToken,
  expectWaited,
  nextTurn,
  type Rig,
  type Settled,
  settle,
} from './harness.js'
import { type CallerResult, CROWD, type FaultRow, outcomesOf } from './policy.js'

/** How long the fault lasts for a caller who waits: one attempt, or every attempt it makes. */
export type Persistence = 'once' | 'lasting'

const DEFAULT_TIMEOUT_MS = 10_000

/** The caller's result for `persistence`, or undefined when the row has no such case. */
export function resultFor(
  row: FaultRow,
  situation: 'cold' | 'forced' | 'crowd',
  persistence: Persistence,
): CallerResult | undefined {
  const outcome = outcomesOf(row)[situation]
  return persistence === 'once' ? outcome.once : outcome.lasting
}

/** (a) A cold cache: one caller meets the fault. */
export async function coldCache(authority: LocalAuthority, row: FaultRow, persistence: Persistence) {
  const expected = mustHave(resultFor(row, 'cold', persistence))
  const rig = await createRig(authority, row, { clock: 'system' })
  try {
    rig.addFault(row.fault, faultTimes(expected))
    const startedAt = performance.now()
    const result = await settle(rig.client.getToken(API))
    const elapsedMs = performance.now() - startedAt
    await rig.expectRequests(expected.requests)
    expectResult(rig, row, result, expected, elapsedMs)
    await expectGoodAfterwards(rig, expected, result)
  } finally {
    await rig.close()
  }
}

/** (c) A forced refresh while a valid token is cached. */
export async function forcedRefresh(authority: LocalAuthority, row: FaultRow, persistence: Persistence) {
  const expected = mustHave(resultFor(row, 'forced', persistence))
  const rig = await createRig(authority, row, { clock: 'system' })
  try {
    const cached = await rig.client.getToken(API)
    expectGoodToken(cached, rig.appId)
    rig.addFault(row.fault, faultTimes(expected))
    const startedAt = performance.now()
    const result = await settle(rig.client.getToken(API, { forceRefresh: true }))
    const elapsedMs = performance.now() - startedAt
    await rig.expectRequests(1 + expected.requests)
    expectResult(rig, row, result, expected, elapsedMs)
    const next = await atOnce(rig.client.getToken(API))
    // a new token replaces the cached one; after a failure the cached token stays in service
    expect(next).toBe(result.ok ? result.value : cached)
    expect(result.ok && result.value).not.toBe(cached)
    expect(rig.client.cachedTokens).toBe(1)
    await nextTurn()
    expect(rig.attemptsStarted()).toBe(1 + expected.requests)
  } finally {
    await rig.close()
  }
}

/** (d) 1,000 concurrent callers on a cold cache: the same as one caller, for all of them. */
export async function coldCrowd(authority: LocalAuthority, row: FaultRow, persistence: Persistence) {
  const expected = mustHave(resultFor(row, 'crowd', persistence))
  const rig = await createRig(authority, row, { clock: 'system' })
  try {
    rig.addFault(row.fault, faultTimes(expected))
    const startedAt = performance.now()
    const results = await Promise.all(Array.from({ length: CROWD }, () => settle(rig.client.getToken(API))))
    const elapsedMs = performance.now() - startedAt
    await rig.expectRequests(expected.requests)
    const first = mustHave(results[0])
    expectResult(rig, row, first, expected, elapsedMs)
    // every caller got the very same token, or the very same error
    const shared = first.ok ? first.value : first.error
    expect(results.every((r) => (r.ok ? r.value : r.error) === shared)).toBe(true)
    await expectGoodAfterwards(rig, expected, first)
  } finally {
    await rig.close()
  }
}

/**
 * (b) A background refresh of a valid token (past `refreshAt`, before expiry − 30 s): every caller
 * gets the cached token at once; the refresh meets the fault for `failedAttempts` backoff steps, one
 * request each, and the next good answer replaces the cached token.
 */
export async function backgroundRefresh(authority: LocalAuthority, row: FaultRow) {
  const expected = outcomesOf(row).background
  const rig = await createRig(authority, row, { clock: 'virtual' })
  try {
    const cached = await rig.client.getToken(API)
    expectGoodToken(cached, rig.appId)
    rig.addFault(row.fault, Math.max(1, expected.failedAttempts))
    rig.setNow(cached.refreshAt)
    expect(await atOnce(rig.client.getToken(API))).toBe(cached)
    await nextTurn()
    expect(rig.attemptsStarted()).toBe(2)
    for (const [index, backoff] of expected.backoff.entries()) {
      const failures = index + 1
      await rig.expectRequests(1 + failures)
      await vi.waitFor(
        () => expect(rig.warnings, 'the refresh did not fail: its answer was taken').toHaveLength(failures),
        { timeout: 2_000, interval: 10 },
      )
      const warning = mustHave(rig.warnings[index])
      expect(warning).toMatchObject({ code: errorCodeOf(row), failures })
      const nextAttemptAt = Date.parse(String(warning.nextAttemptAt))
      expect(nextAttemptAt - rig.now()).toBeGreaterThanOrEqual(backoff.minMs)
      expect(nextAttemptAt - rig.now()).toBeLessThanOrEqual(backoff.maxMs)
      expect(nextAttemptAt).toBeLessThan(cached.expiresAt - 30_000)
      // before the step is over, calls get the cached token and start nothing
      rig.setNow(nextAttemptAt - 1)
      expect(await atOnce(rig.client.getToken(API))).toBe(cached)
      await nextTurn()
      expect(rig.attemptsStarted()).toBe(1 + failures)
      // once it is over, the next call starts exactly one attempt, and still gets the cached token
      rig.setNow(nextAttemptAt + 1)
      expect(await atOnce(rig.client.getToken(API))).toBe(cached)
      expect(await atOnce(rig.client.getToken(API))).toBe(cached)
      await nextTurn()
      expect(rig.attemptsStarted()).toBe(2 + failures)
    }
    const refreshed = await vi.waitFor(
      async () => {
        const token = await atOnce(rig.client.getToken(API))
        expect(token).not.toBe(cached)
        return token
      },
      { timeout: 5_000, interval: 10 },
    )
    expectGoodToken(refreshed, rig.appId)
    expect(refreshed.requestedAt).toBe(rig.now())
    await rig.expectRequests(1 + expected.requests)
    expect(rig.warnings).toHaveLength(expected.failedAttempts)
    expect(rig.client.cachedTokens).toBe(1)
  } finally {
    await rig.close()
  }
}

function expectResult(
  rig: Rig,
  row: FaultRow,
  result: Settled<AccessToken>,
  expected: CallerResult,
  elapsedMs: number,
): void {
  if (expected.gets === 'token') {
    if (!result.ok) throw result.error
    expectGoodToken(result.value, rig.appId)
  } else {
    expect(result.ok, 'the caller got a token').toBe(false)
    if (!result.ok) expectError(result.error, expected.error)
  }
  const timeoutMs = row.http?.timeoutMs ?? DEFAULT_TIMEOUT_MS
  if (expected.retries > 0) expectWaited(elapsedMs, expected.waitedMs, expected.requests, timeoutMs)
}

/** After a failure nothing is cached and the next call gets a good token; after a token, it is cached. */
async function expectGoodAfterwards(rig: Rig, expected: CallerResult, result: Settled<AccessToken>) {
  if (result.ok) {
    expect(rig.client.cachedTokens).toBe(1)
    expect(await atOnce(rig.client.getToken(API))).toBe(result.value)
    await nextTurn()
    expect(rig.attemptsStarted()).toBe(expected.requests)
    return
  }
  expect(rig.client.cachedTokens).toBe(0)
  const next = await rig.client.getToken(API)
  expectGoodToken(next, rig.appId)
  await rig.expectRequests(expected.requests + 1)
  expect(rig.client.cachedTokens).toBe(1)
}

/** A token after n requests met the fault n − 1 times (an accepted fault: once); an error, every time. */
function faultTimes(expected: CallerResult): number {
  return expected.gets === 'token' ? Math.max(1, expected.requests - 1) : expected.requests
}

function errorCodeOf(row: FaultRow): string | undefined {
  return row.answer.kind === 'accepted' ? undefined : row.answer.error.code
}

function mustHave<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('the matrix has no such case')
  return value
}
