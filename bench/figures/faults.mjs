/**
 * Figure 7: a transient fault. The endpoint answers this client's first token request with `--status`
 * (and `Retry-After: --retry-after` seconds, if given), then normally. A caller asks for a token and,
 * if it gets an error, asks again every 100 ms (as a request handler that fails and is retried would)
 * until it has a token or `--cap` seconds have passed. Reports what the first call returned (a token
 * or an error, and after how long), when the caller had a token, how many errors it saw, and how many
 * token requests reached the endpoint. One warm-up client first (loads the library, opens connections).
 *
 * Usage: node bench/figures/faults.mjs --lib ours|msal|identity --status 429 [--retry-after 1] [--cap 15]
 */
import { randomUUID } from 'node:crypto'
import { numberArg, parseArgs } from '../lib/args.mjs'
import { addFault, emit, endpointStats, scopeOf, sleep } from '../lib/child.mjs'
import { createClient } from '../lib/clients.mjs'

const args = parseArgs(process.argv.slice(2))
const lib = String(args.lib)
const status = numberArg(args, 'status', 429)
const retryAfter = typeof args['retry-after'] === 'number' ? args['retry-after'] : undefined
const capMs = numberArg(args, 'cap', 15) * 1000

await (await createClient(lib)).get(scopeOf('warm', 0))
const client = await createClient(lib, { clientId: randomUUID() })
await addFault(client.clientId, { status, retryAfter, times: 1 })
const scope = scopeOf('fault', 0)

const start = performance.now()
/** @type {{ ok: boolean, ms: number, error?: string }} */
let first = { ok: false, ms: 0 }
let callerErrors = 0
let tokenAtMs
while (performance.now() - start < capMs) {
  const t0 = performance.now()
  try {
    await client.get(scope)
    tokenAtMs = performance.now() - start
    if (callerErrors === 0) first = { ok: true, ms: tokenAtMs }
    break
  } catch (error) {
    if (callerErrors++ === 0) {
      first = { ok: false, ms: performance.now() - t0, error: describe(error) }
    }
    await sleep(100)
  }
}
const stats = await endpointStats(client.clientId)
emit({
  figure: 'faults',
  lib,
  status,
  retryAfter,
  first,
  tokenAtMs,
  callerErrors,
  requests: stats.token,
  capS: capMs / 1000,
})
process.exit(0)

/** A short description of an error: its class or code and the start of its message. */
function describe(error) {
  const e = /** @type {{ name?: string, code?: string, errorCode?: string, message?: string }} */ (error)
  const code = e?.errorCode ?? e?.code ?? e?.name ?? 'Error'
  return `${code}: ${String(e?.message ?? error)
    .split('\n')[0]
    .slice(0, 120)}`
}
