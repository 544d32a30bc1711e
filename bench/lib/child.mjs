/**
 * What every figure process shares: the settings the orchestrator passes in the environment, the
 * control routes of the fake authority (per-client request counts, faults), timing helpers and the
 * one JSON line a figure prints.
 */
import { setImmediate as tick } from 'node:timers/promises'

/** The one tenant every client uses (any GUID: the fake authority accepts every tenant). */
export const TENANT = '5f0c7a3e-2b7d-4c1e-9a53-0d6f3b8e9c21'

/** The client secret every secret client uses (the fake authority checks nothing). */
export const SECRET = 'bench~secret~0123456789abcdefghijklmnopqrstu'

/**
 * The orchestrator's settings, from the environment.
 *
 * @returns {{ authority: string, api: string, certFile: string | undefined }}
 */
export function settings() {
  const authority = process.env.BENCH_AUTHORITY
  if (!authority) throw new Error('BENCH_AUTHORITY is not set: run the figures through bench/run.mjs')
  return { authority, api: process.env.BENCH_API ?? '', certFile: process.env.BENCH_CERT }
}

/**
 * The fake authority's counts: token requests and distinct client assertions of one client id, and
 * OpenID metadata requests for one tenant.
 *
 * @param {string} clientId
 * @param {string} [tenant]
 * @returns {Promise<{ token: number, assertions: number, metadata: number }>}
 */
export async function endpointStats(clientId, tenant = TENANT) {
  const query = new URLSearchParams({ client: clientId, tenant })
  const res = await fetch(`${settings().authority}/__bench/stats?${query}`)
  return res.json()
}

/**
 * Makes the fake authority answer the next `times` token requests of `clientId` with `status`.
 *
 * @param {string} clientId
 * @param {{ status: number, retryAfter?: number, times?: number }} fault
 */
export async function addFault(clientId, fault) {
  const query = new URLSearchParams({
    client: clientId,
    status: String(fault.status),
    times: String(fault.times ?? 1),
  })
  if (fault.retryAfter !== undefined) query.set('retryAfter', String(fault.retryAfter))
  const res = await fetch(`${settings().authority}/__bench/fault?${query}`, { method: 'POST' })
  await res.text()
}

/**
 * Prints the figure's result as the last line of stdout (the orchestrator reads that line).
 *
 * @param {Record<string, unknown>} result
 */
export function emit(result) {
  process.stdout.write(`${JSON.stringify(result)}\n`)
}

/** Yields to the event loop (I/O callbacks, timers), so that background work can run. */
export function yieldToLoop() {
  return tick()
}

/** @param {number} ms */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Full garbage collection, several times (needs `--expose-gc`). */
export async function fullGc() {
  if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc')
  for (let i = 0; i < 4; i++) {
    globalThis.gc()
    await tick()
  }
}

/**
 * Runs `fn` on `items` with at most `limit` calls in flight; stops early (returning false) once
 * `deadline` (performance.now() ms) has passed.
 *
 * @template T
 * @param {T[]} items
 * @param {number} limit
 * @param {(item: T, index: number) => Promise<unknown>} fn
 * @param {number} [deadline]
 * @returns {Promise<{ done: number, complete: boolean }>}
 */
export async function pool(items, limit, fn, deadline = Number.POSITIVE_INFINITY) {
  let next = 0
  let done = 0
  let complete = true
  async function worker() {
    while (next < items.length) {
      if (performance.now() > deadline) {
        complete = false
        return
      }
      const index = next++
      await fn(items[index], index)
      done++
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return { done, complete: complete && done === items.length }
}

/**
 * The scope of the i-th benchmark API (`api://bench/{prefix}{i}/.default`). Every library is given the
 * same scope string (ours accepts a `/.default` scope as it is).
 *
 * @param {string} prefix
 * @param {number} i
 */
export function scopeOf(prefix, i) {
  return `api://bench/${prefix}${i}/.default`
}
