/**
 * `npm run bench`: oauth-client-credentials against @azure/msal-node and @azure/identity, one child process
 * per figure × library, against one fake https token endpoint. Prints the table; the full run writes
 * bench/RESULTS.md and bench/results.svg.
 *
 * Usage (after `npm run build`; `npm run bench` builds first):
 *   node --expose-gc bench/run.mjs                  full run (about 10 minutes on 2 cores)
 *   node --expose-gc bench/run.mjs --quick          every figure, small N, one repetition (CI); writes to a temp dir
 *   node --expose-gc bench/run.mjs --only cache-hit,heap   some figures only (writes to a temp dir)
 *   node --expose-gc bench/run.mjs --out DIR        where to write RESULTS.md and results.svg
 *   node --expose-gc bench/run.mjs --libs ours      some libraries only (writes to a temp dir)
 *   node --expose-gc bench/run.mjs --dist DIR       measure another build of ours (e.g. a worktree's dist/)
 *
 * Figures: cache-hit, stampede, heap, certificate, expiry, interceptor, faults, cold-start,
 * first-token, footprint, no-identity. Profiles (where the time and bytes go): bench/profile.mjs.
 *
 * RESULTS.md is rewritten by every run that writes to it, except what follows the line
 * `<!-- kept by npm run bench: … -->` in the file already there (hand-written notes, the profiles).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from './lib/args.mjs'
import { cacheHitChart } from './lib/chart.mjs'
import { LIB_NAMES, LIBS } from './lib/clients.mjs'
import { describeMachine, loadAverage } from './lib/machine.mjs'
import { keptSection, renderResults, renderTable } from './lib/markdown.mjs'
import { runChild, startEnvironment } from './lib/orchestrate.mjs'
import { planJobs, settingsFor } from './lib/plan.mjs'
import { buildRows } from './lib/rows.mjs'
import { summarize } from './lib/stats.mjs'

const args = parseArgs(process.argv.slice(2))
const quick = args.quick === true
const only = typeof args.only === 'string' ? args.only.split(',') : []
const outDir =
  typeof args.out === 'string'
    ? args.out
    : quick || only.length > 0 || typeof args.libs === 'string'
      ? mkdtempSync(join(tmpdir(), 'oauth-client-credentials-bench-out-'))
      : fileURLToPath(new URL('.', import.meta.url))

const snapshot = typeof args.dist === 'string' ? undefined : snapshotDist()
process.env.BENCH_DIST = typeof args.dist === 'string' ? resolve(args.dist) : snapshot
const started = performance.now()
const machine = describeMachine()
const settings = settingsFor(quick)
const libs = typeof args.libs === 'string' ? args.libs.split(',') : []
const jobs = planJobs(quick, only).filter((job) => libs.length === 0 || libs.includes(job.lib))
log(
  `${quick ? 'Quick run' : 'Full run'}: ${jobs.length} child processes. ${machine.cpu}; load ${machine.load}.`,
)

const environment = await startEnvironment()
/** @type {Array<Record<string, any>>} */
const results = []
try {
  for (const [index, job] of jobs.entries()) {
    const label = `[${index + 1}/${jobs.length}] ${job.figure} ${Object.entries(job.args)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`
    const skipped = job.skipIf?.(results)
    if (skipped) {
      results.push({ figure: job.figure, ...job.args, skipped })
      log(`${label}: skipped (${skipped})`)
      continue
    }
    const t0 = performance.now()
    const result = await runChild(environment, job.figure, job.args, {
      timeoutS: job.timeoutS,
      nodeArgs: job.nodeArgs,
    })
    results.push({ ...job.args, ...result, lib: job.lib, figure: job.figure })
    const problem = result.error ? ` FAILED: ${result.error}` : result.timedOut ? ' TIMED OUT' : ''
    log(`${label}: ${((performance.now() - t0) / 1000).toFixed(1)} s${problem}`)
  }
} finally {
  await environment.close()
  if (snapshot) rmSync(snapshot, { recursive: true, force: true })
}

const rows = buildRows(results, settings)
const elapsedS = (performance.now() - started) / 1000
mkdirSync(outDir, { recursive: true })
const chartFile = 'results.svg'
writeFileSync(join(outDir, chartFile), chart(results))
const resultsFile = join(outDir, 'RESULTS.md')
const kept = existsSync(resultsFile) ? keptSection(readFileSync(resultsFile, 'utf8')) : ''
writeFileSync(
  resultsFile,
  renderResults({ rows, machine, loadEnd: loadAverage(), elapsedS, quick, chartFile, kept }),
)
const note = quick ? 'Quick mode: small N, one repetition; a smoke run, not figures to quote.\n\n' : ''
process.stdout.write(`\n${note}${renderTable(rows)}\n\n`)
log(`Done in ${elapsedS.toFixed(0)} s. Wrote ${join(outDir, 'RESULTS.md')} and ${join(outDir, chartFile)}.`)

const failures = results.filter((r) => r.error)
if (failures.length > 0) {
  log(`${failures.length} figure process(es) failed.`)
  process.exitCode = 1
}

/**
 * The cache-hit chart from the results: every library on keys in random order, ours on one key too,
 * and the bare `Map.get` of the same keys measured in ours' processes.
 */
function chart(all) {
  const line = (lib, field, name, dashed, color = undefined) => {
    const mine = all.filter((r) => r.figure === 'cache-hit' && r.lib === lib).sort((a, b) => a.n - b.n)
    const points = mine.filter((r) => r[field]).map((r) => ({ ...summarize(r[field]), n: r.n }))
    const stopped = mine.find((r) => r.capped || r.skipped || r.timedOut)
    const note = stopped ? `not measured at ${stopped.n.toLocaleString('en-US')}+ keys` : undefined
    return { lib, name, points, note, dashed, color }
  }
  const series = LIBS.map((lib) => line(lib, 'nsPerOp', LIB_NAMES[lib], false))
  series.splice(1, 0, line('ours', 'nsPerOpHot', `${LIB_NAMES.ours}, one key`, true))
  const baseline = line('ours', 'nsPerOpMap', 'bare Map.get, same keys (floor)', true, '#777')
  if (baseline.points.length > 0) series.splice(2, 0, { ...baseline, note: undefined })
  return cacheHitChart(series, {
    title: 'getToken cache hit vs tokens cached (keys in random order)',
    subtitle: `${machine.cpu.replace(/\s+/g, ' ')}, Node ${machine.node}, ${machine.date.slice(0, 10)}, load ${machine.load.split(' / ')[0]}`,
  })
}

/**
 * A copy of dist/ in bench/.tmp/ (inside the checkout, so that its imports still find node_modules):
 * other work in the checkout may rebuild dist/ while the benchmark runs.
 */
function snapshotDist() {
  const dist = fileURLToPath(new URL('../dist/', import.meta.url))
  const copy = fileURLToPath(new URL(`.tmp/dist-${process.pid}/`, import.meta.url))
  for (let attempt = 0; ; attempt++) {
    if (existsSync(join(dist, 'index.js')) && existsSync(join(dist, 'testing.js'))) {
      cpSync(dist, copy, { recursive: true })
      if (existsSync(join(copy, 'index.js')) && existsSync(join(copy, 'testing.js'))) return copy
    }
    if (attempt === 20)
      throw new Error('dist/ is missing or incomplete: run npm run build (or npm run bench)')
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500)
  }
}

/** @param {string} message */
function log(message) {
  process.stderr.write(`${message}\n`)
}
