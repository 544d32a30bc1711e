/**
 * Figure 1: cache-hit `getToken` latency with N cached keys (one scope per key, one client).
 *
 * Fills N keys through the library's own API (16 requests in flight), then asks for every key once
 * more, one at a time (@azure/identity cannot find again some tokens it got while its first requests
 * were concurrent, and asks again: that is counted in `fillRequests`), then times awaited cache hits
 * in batches between which the event loop runs (time spent outside the batches is not counted):
 * first over all keys in a shuffled order (`nsPerOp`: every hit touches memory the CPU caches do not
 * hold, as a service with many tenants would), then on one key again and again (`nsPerOpHot`: the
 * cost of the lookup itself with N keys cached). Filling stops at `--fill-cap` seconds: the figure is
 * then "not measured".
 *
 * The baseline (`nsPerOpMap`, ours only): a bare `Map` from the same scope strings to the very promises the
 * library's hits return, timed by the same loop over the same shuffled order, each repetition right
 * after the library's (the machine's speed drifts: the ratio is taken within a repetition). It is
 * the floor of "look a key up and await the answer" on this machine with N keys.
 *
 * Prints `{ nsPerOp, nsPerOpMap, nsPerOpHot (one per repetition), fillMs, fillRequests, hitRequests }`.
 * `--cpu-profile FILE` writes a V8 CPU profile (`.cpuprofile`, Chrome DevTools) of the library's
 * random-order hits only, sampled every 50 µs (bench/profile.mjs reads it).
 *
 * Usage: node --expose-gc bench/figures/cache-hit.mjs --lib ours|msal|identity --n 1000 [--reps 5]
 *        [--ms 500] [--warm-ms 300] [--fill-cap 60] [--cpu-profile FILE]
 */
import { numberArg, parseArgs } from '../lib/args.mjs'
import { emit, endpointStats, pool, scopeOf, yieldToLoop } from '../lib/child.mjs'
import { createClient } from '../lib/clients.mjs'
import { startCpuProfile } from '../lib/cpu-profile.mjs'

const args = parseArgs(process.argv.slice(2))
const lib = String(args.lib)
const n = numberArg(args, 'n', 1)
const reps = numberArg(args, 'reps', 5)
const repMs = numberArg(args, 'ms', 500)
const warmMs = numberArg(args, 'warm-ms', 300)
const fillCapS = numberArg(args, 'fill-cap', 60)

const client = await createClient(lib, { maxEntries: Math.max(200_000, n * 2) })
const scopes = Array.from({ length: n }, (_, i) => scopeOf('k', i))

const fillStart = performance.now()
const filled = await pool(scopes, 16, (scope) => client.get(scope), fillStart + fillCapS * 1000)
if (filled.complete) await pool(scopes, 1, (scope) => client.get(scope), fillStart + fillCapS * 1000)
const fillMs = performance.now() - fillStart
const fillRequests = (await endpointStats(client.clientId)).token
if (!filled.complete || performance.now() > fillStart + fillCapS * 1000) {
  emit({ figure: 'cache-hit', lib, n, capped: true, filled: filled.done, fillMs, fillCapS })
  process.exit(0)
}

const spread = shuffledIndices(n, Math.min(n, 65_536))
const hot = new Uint32Array([n >> 1])
const get = client.get
// the baseline is measured in ours' processes only (the goal is ours ÷ Map.get)
const withBaseline = lib === 'ours'
/** @type {Map<string, unknown>} */
const baseline = new Map()
for (const scope of withBaseline ? scopes : []) {
  const answer = get(scope)
  await answer
  baseline.set(scope, answer)
}
const mapGet = (/** @type {string} */ scope) => baseline.get(scope)
await timeHits(warmMs, spread, get)
if (withBaseline) await timeHits(warmMs, spread, mapGet)
if (typeof args['cpu-profile'] === 'string') {
  const profile = await startCpuProfile(50)
  await timeHits(repMs, spread, get)
  await profile.stop(args['cpu-profile'])
}
/** @type {number[]} */
const nsPerOp = []
/** @type {number[]} */
const nsPerOpMap = []
for (let r = 0; r < reps; r++) {
  nsPerOp.push(await timeHits(repMs, spread, get))
  if (withBaseline) nsPerOpMap.push(await timeHits(repMs, spread, mapGet))
}
/** @type {number[]} */
const nsPerOpHot = []
for (let r = 0; r < reps; r++) nsPerOpHot.push(await timeHits(repMs, hot, get))
const hitRequests = (await endpointStats(client.clientId)).token - fillRequests
const map = withBaseline ? { nsPerOpMap } : {}
emit({ figure: 'cache-hit', lib, n, nsPerOp, ...map, nsPerOpHot, fillMs, fillRequests, hitRequests })
process.exit(0)

/**
 * Awaited calls of `get` on the keys `order` lists, cycling, for about `ms` milliseconds; ns per call.
 *
 * @param {number} ms
 * @param {Uint32Array} order
 * @param {(scope: string) => unknown} get
 */
async function timeHits(ms, order, get) {
  const mask = order.length
  let i = 0
  let ops = 0
  let busy = 0
  let batch = 1
  const wallStart = performance.now()
  while (performance.now() - wallStart < ms) {
    const t0 = performance.now()
    for (let b = 0; b < batch; b++) {
      await get(scopes[order[i]])
      if (++i === mask) i = 0
    }
    const took = performance.now() - t0
    busy += took
    ops += batch
    if (took < 2 && batch < 1 << 16) batch *= 2
    await yieldToLoop()
  }
  return (busy * 1e6) / ops
}

/**
 * `count` indices into `[0, n)`, every index once before any repeats, in a shuffled order.
 *
 * @param {number} n
 * @param {number} count
 */
function shuffledIndices(n, count) {
  const out = new Uint32Array(count)
  let seed = 0x2545f491
  const random = () => {
    seed ^= seed << 13
    seed ^= seed >>> 17
    seed ^= seed << 5
    return (seed >>> 0) / 2 ** 32
  }
  const stride = n <= count ? 1 : Math.floor(n / count)
  for (let k = 0; k < count; k++) out[k] = (k * stride) % n
  for (let k = count - 1; k > 0; k--) {
    const j = Math.floor(random() * (k + 1))
    const t = out[k]
    out[k] = out[j]
    out[j] = t
  }
  return out
}
