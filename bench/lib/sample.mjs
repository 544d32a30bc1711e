/**
 * One sample of the start-up figures (8 and 9), run in a fresh `node --expose-gc` process by
 * bench/lib/fresh.mjs. It imports nothing before its work (so that an empty sample is the cost of
 * starting Node itself), then prints one JSON line: when its work was done in ms since the process's
 * time origin, how long the work took (wall time, and CPU time: user + system of all the process's
 * threads, which other work on a busy machine inflates far less), and the memory after a full GC.
 *
 *   node --expose-gc bench/lib/sample.mjs empty
 *   node --expose-gc bench/lib/sample.mjs import <specifier or file URL>
 *   node --expose-gc bench/lib/sample.mjs token <ours|msal|identity> <scope>
 */
const [mode, what, scope] = process.argv.slice(2)
const start = performance.now()
const cpuStart = process.cpuUsage()
/** @type {Record<string, unknown>} */
const extra = {}
if (mode === 'import') {
  await import(String(what))
} else if (mode === 'token') {
  const { createClient } = await import('./clients.mjs')
  const client = await createClient(String(what))
  const token = /** @type {{ accessToken?: string, token?: string }} */ (await client.get(String(scope)))
  extra.clientId = client.clientId
  extra.tokenLength = (token.accessToken ?? token.token ?? '').length
} else if (mode !== 'empty') {
  throw new Error(`unknown mode '${mode}' (empty, import, token)`)
}
const done = performance.now()
const cpu = process.cpuUsage()
const cpuMs = (usage) => (usage.user + usage.system) / 1000
if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc')
globalThis.gc()
const { rss, heapUsed } = process.memoryUsage()
process.stdout.write(
  `${JSON.stringify({
    sinceOriginMs: done,
    workMs: done - start,
    workCpuMs: cpuMs(cpu) - cpuMs(cpuStart),
    processCpuMs: cpuMs(cpu),
    rss,
    heapUsed,
    ...extra,
  })}\n`,
)
// a token client may hold sockets open: the sample is over
process.exit(0)
