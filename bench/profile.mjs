/**
 * Where the time and bytes go (bench/RESULTS.md, "Where the time and bytes go"): profiles of ours,
 * printed as Markdown, the raw files kept in bench/.tmp/profiles/ (open a `.cpuprofile` in Chrome
 * DevTools' Performance panel, a `.heapsnapshot` in its Memory panel).
 *
 *   node --expose-gc bench/profile.mjs cache-hit [--n 100000] [--no-inlining]
 *                                                   CPU profile of random-key cache hits
 *   node --expose-gc bench/profile.mjs heap [--n 10000]         heap growth per cached token, by object
 *   node bench/profile.mjs cold-start [--samples 7]             import time of ours' entries and dependencies
 *
 * Runs against dist/ (`npm run build` first) or `--dist DIR`, and the bench's fake token endpoint.
 */
import { mkdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { numberArg, parseArgs } from './lib/args.mjs'
import { distUrl } from './lib/clients.mjs'
import { summarizeCpuProfile } from './lib/cpu-profile.mjs'
import { freshSample } from './lib/fresh.mjs'
import { diffHeapSnapshots } from './lib/heap-diff.mjs'
import { loadAverage } from './lib/machine.mjs'
import { runChild, startEnvironment } from './lib/orchestrate.mjs'
import { duration, num, summarize } from './lib/stats.mjs'

const [what, ...rest] = process.argv.slice(2)
const args = parseArgs(rest)
if (typeof args.dist === 'string') process.env.BENCH_DIST = resolve(args.dist)
const dir = fileURLToPath(new URL(`.tmp/profiles/${what}-${process.pid}/`, import.meta.url))
mkdirSync(dir, { recursive: true })
const out = (line = '') => process.stdout.write(`${line}\n`)
out(`<!-- bench/profile.mjs ${what}, load average ${loadAverage()} at the start; files in ${dir} -->`)

if (what === 'cache-hit') await cacheHit(numberArg(args, 'n', 100_000), args['no-inlining'] === true)
else if (what === 'heap') await heap(numberArg(args, 'n', 10_000))
else if (what === 'cold-start') await coldStart(numberArg(args, 'samples', 7))
else throw new Error('usage: bench/profile.mjs cache-hit|heap|cold-start [--n N] [--samples N]')

/**
 * Figure 1 at `n` keys, ours, with a CPU profile of one pass of random-order hits (every 50 µs).
 * TurboFan inlines the library's small functions into their callers (the figure's own `get` wrapper
 * takes in `getToken` and the cache's `lookup`); `noInlining` turns that off (`--no-turbo-inlining`:
 * slower, but every function's time is its own).
 */
async function cacheHit(n, noInlining) {
  const file = join(dir, `cache-hit-${n}${noInlining ? '-no-inlining' : ''}.cpuprofile`)
  const result = await child(
    'cache-hit',
    {
      lib: 'ours',
      n,
      reps: 3,
      ms: 1000,
      'fill-cap': 600,
      'cpu-profile': file,
    },
    noInlining ? ['--no-turbo-inlining'] : [],
  )
  const ns = summarize(result.nsPerOp).median
  const { samples, functions } = summarizeCpuProfile(JSON.parse(readFileSync(file, 'utf8')), 12)
  out(
    `Cache hits at ${n.toLocaleString('en-US')} keys, random order${noInlining ? ', --no-turbo-inlining' : ''}: ${duration(ns)} per hit (Map.get of the same keys: ${duration(summarize(result.nsPerOpMap).median)}), ${samples} samples.`,
  )
  out()
  out('| self time | ≈ per hit | function | where | hottest lines (share of all samples) |')
  out('|---|---|---|---|---|')
  for (const f of functions) {
    const lines = f.lines.map((l) => `${l.line} (${pct(l.share)})`).join(', ')
    out(`| ${pct(f.share)} | ${duration(f.share * ns)} | \`${f.name}\` | ${f.where} | ${lines} |`)
  }
}

/** Figure 3 at `n` tokens, ours, with heap snapshots before and after: the growth by kind of object. */
async function heap(n) {
  const result = await child('heap', { lib: 'ours', n, steps: 4, snapshot: dir }, ['--no-flush-bytecode'])
  const kinds = diffHeapSnapshots(join(dir, 'before.heapsnapshot'), join(dir, 'after.heapsnapshot'))
  const total = kinds.reduce((s, k) => s + k.bytes, 0)
  out(
    `${n.toLocaleString('en-US')} tokens: heapUsed slope ${num(result.bytesPerToken)} bytes per token; snapshots: ${num(total / n)} bytes per token.`,
  )
  out()
  out('| bytes per token | objects per token | kind |')
  out('|---|---|---|')
  for (const k of kinds.filter((x) => Math.abs(x.bytes / n) >= 1)) {
    out(`| ${num(k.bytes / n)} | ${num(k.count / n)} | ${k.kind} |`)
  }
}

/** Import time and memory of ours' entries and of each run-time dependency, in fresh processes. */
async function coldStart(samples) {
  const specifiers = [
    ['oauth-client-credentials (dist/index.js)', distUrl('index.js')],
    ['oauth-client-credentials/verify (dist/verify.js)', distUrl('verify.js')],
    ['undici', 'undici'],
    ['zod', 'zod'],
    ['jose', 'jose'],
    ['lru-cache', 'lru-cache'],
    ['node:crypto', 'node:crypto'],
  ]
  out(`Import alone, median of ${samples} fresh processes each (after one discarded), and memory after a GC:`)
  out()
  out('| import | time | CPU time | RSS | heapUsed |')
  out('|---|---|---|---|---|')
  const empty = await freshSample(['empty'])
  out(`| (nothing: a bare node) | — | — | ${mib(empty.rss)} | ${mib(empty.heapUsed)} |`)
  for (const [name, specifier] of specifiers) {
    await freshSample(['import', specifier])
    const runs = []
    for (let i = 0; i < samples; i++) runs.push(await freshSample(['import', specifier]))
    const median = (field) => summarize(runs.map((r) => r[field])).median
    const times = `${duration(median('workMs') * 1e6)} | ${duration(median('workCpuMs') * 1e6)}`
    out(`| ${name} | ${times} | ${mib(median('rss'))} | ${mib(median('heapUsed'))} |`)
  }
}

async function child(figure, childArgs, nodeArgs = []) {
  const environment = await startEnvironment()
  try {
    const result = await runChild(environment, figure, childArgs, { timeoutS: 900, nodeArgs })
    if (result.error || result.timedOut || result.capped) throw new Error(JSON.stringify(result))
    return result
  } finally {
    await environment.close()
  }
}

function pct(share) {
  return `${(share * 100).toFixed(1)} %`
}

function mib(bytes) {
  return `${num(bytes / 2 ** 20)} MiB`
}
