/**
 * Figure 3: heap per cached token. One client gets 64 tokens, 16 in flight (loading and warming the
 * library and opening the connections it will use), then `--n` tokens for `--n` new scopes in
 * `--steps` equal steps. After each step: idle sockets settle, full GC (`--expose-gc`), `heapUsed`.
 * The figure is the least-squares slope of heapUsed over tokens cached, from the end of the first step
 * on (one-time growth falls in the first step). Run with `--no-flush-bytecode` (the orchestrator
 * does), else V8 drops unused bytecode during the run and the heap shrinks by about 1 MB at random.
 * Every token is 600 characters (the fake authority's). `--snapshot DIR` writes V8 heap snapshots
 * `DIR/before.heapsnapshot` (after the warm-up) and `DIR/after.heapsnapshot` (after the last step),
 * which bench/profile.mjs compares.
 *
 * Usage: node --expose-gc --no-flush-bytecode bench/figures/heap.mjs --lib ours|msal|identity --n 2000
 *        [--steps 8] [--snapshot DIR]
 */
import { join } from 'node:path'
import { writeHeapSnapshot } from 'node:v8'
import { numberArg, parseArgs } from '../lib/args.mjs'
import { emit, endpointStats, fullGc, pool, scopeOf, sleep } from '../lib/child.mjs'
import { createClient } from '../lib/clients.mjs'

const args = parseArgs(process.argv.slice(2))
const lib = String(args.lib)
const n = numberArg(args, 'n', 2000)
const steps = numberArg(args, 'steps', 8)
const perStep = Math.floor(n / steps)
const snapshotDir = typeof args.snapshot === 'string' ? args.snapshot : undefined

const client = await createClient(lib)
await pool(
  Array.from({ length: 64 }, (_, i) => scopeOf('warm', i)),
  16,
  (scope) => client.get(scope),
)
/** @type {Array<[number, number]>} tokens cached, heapUsed */
const points = [[0, await settledHeap()]]
if (snapshotDir) writeHeapSnapshot(join(snapshotDir, 'before.heapsnapshot'))
for (let step = 1; step <= steps; step++) {
  const scopes = Array.from({ length: perStep }, (_, i) => scopeOf(`h${step}-`, i))
  await pool(scopes, 16, (scope) => client.get(scope))
  points.push([step * perStep, await settledHeap()])
}
if (snapshotDir) writeHeapSnapshot(join(snapshotDir, 'after.heapsnapshot'))
const stats = await endpointStats(client.clientId)
const [, first] = points[0]
const [last, lastHeap] = points[points.length - 1]

emit({
  figure: 'heap',
  lib,
  n: last,
  bytesPerToken: slope(points.slice(1)),
  bytesPerTokenAll: (lastHeap - first) / last,
  requests: stats.token,
  points,
  // keeps the client reachable until the last measurement
  client: typeof client.get,
})
process.exit(0)

/** `heapUsed` after sockets idle and a full GC. */
async function settledHeap() {
  await sleep(100)
  await fullGc()
  return process.memoryUsage().heapUsed
}

/**
 * The least-squares slope of y over x.
 *
 * @param {Array<[number, number]>} xy
 */
function slope(xy) {
  const mx = xy.reduce((s, [x]) => s + x, 0) / xy.length
  const my = xy.reduce((s, [, y]) => s + y, 0) / xy.length
  const sxy = xy.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0)
  const sxx = xy.reduce((s, [x]) => s + (x - mx) ** 2, 0)
  return sxy / sxx
}
