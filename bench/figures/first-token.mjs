/**
 * Figure 9: first token. A fresh `node` process per sample imports the library, makes a client (the
 * same client as every other figure: bench/lib/clients.mjs, a new client id each time) and awaits one
 * token from the bench's loopback fake authority. `wallMs` runs from just before the process was
 * spawned to the token in hand, `workMs` from the script's first line to the token, `processCpuMs` the
 * process's CPU time from its start to the token; paired with empty
 * processes as in figure 8 (`--warm` discarded pairs first). Checks that every sample got a 600-character
 * token from the fake authority (its request count for the sample's client id).
 *
 * Usage: node bench/figures/first-token.mjs --lib ours|msal|identity [--samples 9] [--warm 1]
 */
import { numberArg, parseArgs } from '../lib/args.mjs'
import { emit, endpointStats, scopeOf } from '../lib/child.mjs'
import { pairedSamples } from '../lib/fresh.mjs'

const args = parseArgs(process.argv.slice(2))
const lib = String(args.lib)
const samples = numberArg(args, 'samples', 9)
const warm = numberArg(args, 'warm', 1)

const { empty, work } = await pairedSamples(['token', lib, scopeOf('first', 0)], samples, warm)
for (const sample of work) {
  const requests = (await endpointStats(String(sample.clientId))).token
  if (sample.tokenLength !== 600 || requests < 1) {
    throw new Error(
      `a sample got no token from the fake authority (${requests} requests, length ${sample.tokenLength})`,
    )
  }
}
emit({
  figure: 'first-token',
  lib,
  samples,
  wallMs: work.map((s) => s.wallMs),
  workMs: work.map((s) => s.workMs),
  processCpuMs: work.map((s) => s.processCpuMs),
  rss: work.map((s) => s.rss),
  emptyWallMs: empty.map((s) => s.wallMs),
})
