/**
 * Figure 2: cold stampede. A new client (new client id, new tenant) first gets one token for another
 * scope (so that it has loaded the tenant's metadata and opened connections: what a running service
 * looks like), then `--calls` concurrent calls for each of `--scopes` new scopes, all started in the
 * same tick and interleaved across scopes. Counts the token requests that reached the endpoint for
 * this stampede, and the wall time until every call settled. A round still running after `--cap`
 * seconds is reported with the requests counted so far. One warm-up round first (10 calls).
 *
 * Usage: node bench/figures/stampede.mjs --lib ours|msal|identity --calls 1000 [--scopes 1] [--reps 5]
 *        [--cap 60]
 */
import { randomUUID } from 'node:crypto'
import { numberArg, parseArgs } from '../lib/args.mjs'
import { emit, endpointStats, scopeOf, sleep } from '../lib/child.mjs'
import { createClient } from '../lib/clients.mjs'

const args = parseArgs(process.argv.slice(2))
const lib = String(args.lib)
const calls = numberArg(args, 'calls', 1000)
const scopeCount = numberArg(args, 'scopes', 1)
const reps = numberArg(args, 'reps', 5)
const capMs = numberArg(args, 'cap', 60) * 1000

await round(10, 1)

/** @type {number[]} */
const requests = []
/** @type {number[]} */
const wallMs = []
let errors = 0
let capped = false
/** @type {string | undefined} */
let firstError
for (let r = 0; r < reps && !capped; r++) {
  const result = await round(calls, scopeCount)
  requests.push(result.requests)
  wallMs.push(result.wallMs)
  errors += result.errors
  capped = result.capped
  firstError ??= result.firstError
  await sleep(50)
}
emit({
  figure: 'stampede',
  lib,
  calls,
  scopes: scopeCount,
  requests,
  wallMs,
  errors,
  firstError,
  capped,
  capS: capMs / 1000,
})
process.exit(0)

/**
 * One stampede on a new, primed client.
 *
 * @param {number} perScope
 * @param {number} scopes
 */
async function round(perScope, scopes) {
  const client = await createClient(lib, { clientId: randomUUID(), tenant: randomUUID() })
  await client.get(scopeOf('prime', 0))
  const before = (await endpointStats(client.clientId)).token
  const scopeNames = Array.from({ length: scopes }, (_, i) => scopeOf('stampede', i))
  let errors = 0
  /** @type {string | undefined} */
  let firstError
  const start = performance.now()
  /** @type {Promise<unknown>[]} */
  const pending = []
  for (let c = 0; c < perScope; c++) {
    for (const scope of scopeNames) {
      pending.push(
        client.get(scope).catch((error) => {
          errors++
          firstError ??= String(error?.message ?? error).slice(0, 200)
        }),
      )
    }
  }
  const capped = await Promise.race([Promise.all(pending).then(() => false), sleep(capMs).then(() => true)])
  const wallMs = performance.now() - start
  const stats = await endpointStats(client.clientId)
  return { requests: stats.token - before, wallMs, errors, firstError, capped }
}
