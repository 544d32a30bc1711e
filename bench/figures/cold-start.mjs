/**
 * Figure 8: cold start. A fresh `node` process per sample imports the library's main entry (ours:
 * the built `dist/index.js`, or `dist/verify.js` with `--entry verify`; the peers: `@azure/msal-node`,
 * `@azure/identity`, as a user's `import` resolves them) and reports: the time from just before the
 * process was spawned to the import done (`wallMs`), the import alone timed inside the process
 * (`importMs`; its CPU time `importCpuMs`), and `rss` and `heapUsed` after it (after a full GC). Every sample is paired with an
 * empty one (`node` running a script that imports nothing), run right before or after it, whose
 * figures are Node's own start-up. `--warm` discarded pairs first (the file cache; 1 by default).
 *
 * Usage: node bench/figures/cold-start.mjs --lib ours|msal|identity [--entry main|verify] [--samples 9]
 *        [--warm 1]
 */
import { numberArg, parseArgs } from '../lib/args.mjs'
import { emit } from '../lib/child.mjs'
import { distUrl } from '../lib/clients.mjs'
import { pairedSamples } from '../lib/fresh.mjs'

const args = parseArgs(process.argv.slice(2))
const lib = String(args.lib)
const entry = String(args.entry ?? 'main')
const samples = numberArg(args, 'samples', 9)
const warm = numberArg(args, 'warm', 1)

/** @type {Record<string, string>} */
const SPECIFIERS = {
  'ours main': distUrl('index.js'),
  'ours verify': distUrl('verify.js'),
  'msal main': '@azure/msal-node',
  'identity main': '@azure/identity',
}
const specifier = SPECIFIERS[`${lib} ${entry}`]
if (specifier === undefined) throw new Error(`no entry '${entry}' for '${lib}'`)

const { empty, work } = await pairedSamples(['import', specifier], samples, warm)
emit({
  figure: 'cold-start',
  lib,
  entry,
  samples,
  wallMs: work.map((s) => s.wallMs),
  importMs: work.map((s) => s.workMs),
  importCpuMs: work.map((s) => s.workCpuMs),
  sinceOriginMs: work.map((s) => s.sinceOriginMs),
  rss: work.map((s) => s.rss),
  heapUsed: work.map((s) => s.heapUsed),
  emptyWallMs: empty.map((s) => s.wallMs),
  emptyRss: empty.map((s) => s.rss),
  emptyHeapUsed: empty.map((s) => s.heapUsed),
})
