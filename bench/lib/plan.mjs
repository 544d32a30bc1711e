/**
 * What the benchmark runs: the figures, their sizes and repetitions, in the full run (for people:
 * under about 10 minutes on 2 cores) and in `--quick` (every figure, small N, one repetition: the CI
 * check that the benchmark still runs).
 */
import { LIBS } from './clients.mjs'

/**
 * @typedef {object} Job
 * @property {string} figure the script in bench/figures/
 * @property {string} lib
 * @property {Record<string, string | number>} args
 * @property {number} timeoutS the child is killed after this
 * @property {string[]} [nodeArgs]
 * @property {(results: Array<Record<string, any>>) => string | undefined} [skipIf] a reason to skip,
 *   given the results so far
 */

/**
 * The settings of one run.
 *
 * @param {boolean} quick
 */
export function settingsFor(quick) {
  return quick
    ? {
        sizes: [1, 300],
        oursOnlySizes: [10_000],
        hit: { reps: 1, ms: 100, 'warm-ms': 50 },
        fillCapS: { ours: 60, peer: 15, peerLarge: 15 },
        stampedes: [
          { calls: 200, scopes: 1 },
          { calls: 20, scopes: 10 },
        ],
        stampedeReps: { ours: 1, peer: 1, peerLarge: 1 },
        stampedeCapS: 10,
        heap: { sizes: [200], oursOnlySizes: [], steps: 4 },
        certificate: { n: 20, reps: 1, warm: 5 },
        expiry: { hours: 3, speedup: 3600, 'interval-ms': 1 },
        interceptor: { rounds: 2, slice: 0.2 },
        faultCapS: 3,
        startup: { samples: 1, warm: 0 },
        noIdentityCapS: 30,
      }
    : {
        sizes: [1, 1000, 10_000, 100_000],
        oursOnlySizes: [],
        hit: { reps: 5, ms: 400, 'warm-ms': 300 },
        fillCapS: { ours: 300, peer: 90, peerLarge: 30 },
        stampedes: [
          { calls: 1000, scopes: 1 },
          { calls: 10_000, scopes: 1 },
          { calls: 100, scopes: 10 },
        ],
        stampedeReps: { ours: 5, peer: 3, peerLarge: 1 },
        stampedeCapS: 30,
        heap: { sizes: [1000], oursOnlySizes: [10_000], steps: 8 },
        certificate: { n: 200, reps: 5, warm: 20 },
        expiry: { hours: 24, speedup: 3600, 'interval-ms': 1 },
        interceptor: { rounds: 8, slice: 0.5 },
        faultCapS: 15,
        startup: { samples: 15, warm: 1 },
        noIdentityCapS: 30,
      }
}

/** The transient faults of figure 7. */
export const FAULTS = [{ status: 429, 'retry-after': 1 }, { status: 500 }]

/**
 * Every job of a run, in order.
 *
 * @param {boolean} quick
 * @param {string[]} figures the figures to run (all when empty)
 * @returns {Job[]}
 */
export function planJobs(quick, figures) {
  const s = settingsFor(quick)
  /** @type {Job[]} */
  const jobs = []
  const want = (figure) => figures.length === 0 || figures.includes(figure)
  if (want('cache-hit')) {
    for (const lib of LIBS) {
      const sizes = lib === 'ours' ? [...s.sizes, ...s.oursOnlySizes] : s.sizes
      for (const n of sizes) {
        const fillCap =
          lib === 'ours' ? s.fillCapS.ours : n >= 10_000 ? s.fillCapS.peerLarge : s.fillCapS.peer
        jobs.push({
          figure: 'cache-hit',
          lib,
          args: { lib, n, ...s.hit, 'fill-cap': fillCap },
          timeoutS: fillCap + 120,
          skipIf: (results) => {
            const smaller = results.find(
              (r) => r.figure === 'cache-hit' && r.lib === lib && r.n < n && r.capped,
            )
            return smaller
              ? `filling ${smaller.n.toLocaleString('en-US')} keys already took > ${smaller.fillCapS} s`
              : undefined
          },
        })
      }
    }
  }
  if (want('stampede')) {
    for (const { calls, scopes } of s.stampedes) {
      for (const lib of LIBS) {
        const reps =
          lib === 'ours'
            ? s.stampedeReps.ours
            : calls * scopes > 1000
              ? s.stampedeReps.peerLarge
              : s.stampedeReps.peer
        jobs.push({
          figure: 'stampede',
          lib,
          args: { lib, calls, scopes, reps, cap: s.stampedeCapS },
          timeoutS: reps * (s.stampedeCapS + 30) + 60,
          nodeArgs: ['--max-old-space-size=4096'],
        })
      }
    }
  }
  if (want('heap')) {
    for (const lib of LIBS) {
      for (const n of [...s.heap.sizes, ...s.heap.oursOnlySizes]) {
        const peerSkips = lib !== 'ours' && !s.heap.sizes.includes(n)
        jobs.push({
          figure: 'heap',
          lib,
          args: { lib, n, steps: s.heap.steps },
          timeoutS: 300,
          nodeArgs: ['--no-flush-bytecode'],
          ...(peerSkips ? { skipIf: () => 'its cache fills 10,000 keys too slowly: see figure 1' } : {}),
        })
      }
    }
  }
  if (want('certificate')) {
    for (const lib of LIBS)
      jobs.push({ figure: 'certificate', lib, args: { lib, ...s.certificate }, timeoutS: 180 })
  }
  if (want('expiry')) {
    const realS = (s.expiry.hours * 3600) / s.expiry.speedup
    for (const lib of LIBS)
      jobs.push({ figure: 'expiry', lib, args: { lib, ...s.expiry }, timeoutS: realS + 60 })
  }
  if (want('interceptor')) {
    const { rounds, slice } = s.interceptor
    for (const lib of LIBS) {
      jobs.push({
        figure: 'interceptor',
        lib,
        args: { lib, rounds, slice },
        timeoutS: 60 + rounds * slice * 6,
      })
    }
  }
  if (want('faults')) {
    for (const fault of FAULTS) {
      for (const lib of LIBS) {
        jobs.push({
          figure: 'faults',
          lib,
          args: { lib, ...fault, cap: s.faultCapS },
          timeoutS: s.faultCapS + 60,
        })
      }
    }
  }
  jobs.push(...startupJobs(s, want))
  if (want('no-identity')) {
    for (const port of ['closed', 'silent']) {
      for (const lib of LIBS) {
        const args = { lib, port, cap: s.noIdentityCapS }
        jobs.push({ figure: 'no-identity', lib, args, timeoutS: s.noIdentityCapS + 30 })
      }
    }
  }
  return jobs
}

/**
 * Figures 8–10: cold start (every library's main entry, and ours' /verify), first token, footprint.
 *
 * @param {ReturnType<typeof settingsFor>} s
 * @param {(figure: string) => boolean} want
 * @returns {Job[]}
 */
function startupJobs(s, want) {
  /** @type {Job[]} */
  const jobs = []
  const { samples, warm } = s.startup
  if (want('cold-start')) {
    for (const lib of LIBS) {
      const args = { lib, entry: 'main', samples, warm }
      jobs.push({ figure: 'cold-start', lib, args, timeoutS: 60 + samples * 10 })
    }
    const args = { lib: 'ours', entry: 'verify', samples, warm }
    jobs.push({ figure: 'cold-start', lib: 'ours', args, timeoutS: 60 + samples * 10 })
  }
  if (want('first-token')) {
    for (const lib of LIBS) {
      jobs.push({ figure: 'first-token', lib, args: { lib, samples, warm }, timeoutS: 60 + samples * 15 })
    }
  }
  if (want('footprint')) {
    for (const lib of LIBS) jobs.push({ figure: 'footprint', lib, args: { lib }, timeoutS: 120 })
  }
  return jobs
}
