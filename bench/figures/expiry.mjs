/**
 * Figure 5: crossing expiry. A simulated day of 1-hour tokens (`expires_in` 3599, no `refresh_in`,
 * as Entra answers client credentials) with one call for the same scope every `--interval-ms` of real
 * time, on a clock that runs `--speedup` times faster than real time (3,600: a simulated hour per
 * real second). Calls are not awaited one by one: they arrive like requests to a server, whether or
 * not earlier ones are done.
 *
 * A call "waited on the network" when it had not settled by the next turn of the event loop
 * (`setImmediate` after the call): a cache hit settles in microtasks, a call that needs a token
 * request cannot. `waitedAfterFirst` counts only calls started after the first token arrived (the
 * cold start excluded). Also counts token requests, errors, and the longest call (real ms).
 *
 * The clock: ours is given `clock: { now }`. The peers have no clock option: before they are
 * imported, `globalThis.Date` is replaced by a subclass whose `Date.now()` and `new Date()` read the
 * simulated clock (msal-node reads time as `new Date().getTime()`); timers stay real.
 *
 * Usage: node bench/figures/expiry.mjs --lib ours|msal|identity [--hours 24] [--speedup 3600]
 *        [--interval-ms 1]
 */
import { setImmediate as immediate } from 'node:timers'
import { numberArg, parseArgs } from '../lib/args.mjs'
import { emit, endpointStats, scopeOf, sleep } from '../lib/child.mjs'
import { createClient } from '../lib/clients.mjs'
import { installFakeDate } from '../lib/fake-date.mjs'

const args = parseArgs(process.argv.slice(2))
const lib = String(args.lib)
const hours = numberArg(args, 'hours', 24)
const speedup = numberArg(args, 'speedup', 3600)
const intervalMs = numberArg(args, 'interval-ms', 1)

const start = Date.now()
/** @type {number | undefined} set when the first call is made: the simulated day starts there */
let perfStart
const simNow = () => (perfStart === undefined ? start : start + (performance.now() - perfStart) * speedup)
if (lib !== 'ours') installFakeDate(simNow)
const client = await createClient(lib, lib === 'ours' ? { clock: { now: simNow } } : {})
const scope = scopeOf('expiry', 0)
const endAt = start + hours * 3_600_000
perfStart = performance.now()

let calls = 0
let waited = 0
/** calls that waited although they started after the first token had arrived */
let waitedAfterFirst = 0
let firstTokenAt = Number.POSITIVE_INFINITY
let errors = 0
let pending = 0
let maxLatencyMs = 0
/** @type {string | undefined} */
let firstError
/** @type {number[]} simulated minutes past the hour of each waiting call */
const waitedAt = []

await new Promise((resolve) => {
  const timer = setInterval(() => {
    if (simNow() >= endAt) {
      clearInterval(timer)
      resolve(undefined)
      return
    }
    call()
  }, intervalMs)
})
while (pending > 0) await sleep(5)
const stats = await endpointStats(client.clientId)
emit({
  figure: 'expiry',
  lib,
  hours,
  speedup,
  calls,
  waited,
  waitedAfterFirst,
  requests: stats.token,
  errors,
  firstError,
  maxLatencyMs,
  waitedAtMinute: summarizeMinutes(waitedAt),
})
process.exit(0)

/** One call; counts it as waiting if it has not settled by the next event-loop turn. */
function call() {
  calls++
  pending++
  const t0 = performance.now()
  const at = simNow()
  let settled = false
  client.get(scope).then(
    () => {
      firstTokenAt = Math.min(firstTokenAt, performance.now())
      done()
    },
    (error) => {
      errors++
      firstError ??= String(error?.message ?? error).slice(0, 200)
      done()
    },
  )
  immediate(() => {
    if (!settled) {
      waited++
      if (t0 > firstTokenAt) waitedAfterFirst++
      waitedAt.push(Math.floor(((at - start) % 3_600_000) / 60_000))
    }
  })
  function done() {
    settled = true
    pending--
    maxLatencyMs = Math.max(maxLatencyMs, performance.now() - t0)
  }
}

/**
 * How many waiting calls fell in each simulated minute past the hour (`{ "55": 48 }`).
 *
 * @param {number[]} minutes
 */
function summarizeMinutes(minutes) {
  /** @type {Record<string, number>} */
  const out = {}
  for (const m of minutes) out[m] = (out[m] ?? 0) + 1
  return out
}
