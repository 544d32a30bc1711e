/**
 * Figure 6: the cost of attaching tokens. Requests per second (and client CPU per request) to a
 * loopback node:http API (run by the orchestrator in its own process), `--concurrency` requests in
 * flight, through one of:
 *
 * - `bare-request`: `undici.request` with `new Agent(AGENT)` (the baseline of `interceptor`)
 * - `static-header`: the same with a fixed `authorization: Bearer <600-character token>` header: the
 *   cost of carrying a token at all, which any way of attaching one pays
 * - `interceptor`: `undici.request` with `new Agent(AGENT).compose(client.interceptor({ api: resource }))`
 * - `bare-fetch`: `undici.fetch` with `setGlobalDispatcher(new Agent(AGENT))` (the baseline of `authorized-fetch`)
 * - `authorized-fetch`: `client.authorizedFetch({ resource, origins: [api], fetch: undici.fetch })`, same dispatcher
 * - `manual`: the peer's own `getToken` per request and `undici.request` with the header set by hand
 *   (what users of msal-node or @azure/identity write), `new Agent(AGENT)`
 *
 * A warm-up (also gets the token), then `--reps` timed runs of `--seconds`. First checks once that the
 * API saw a bearer token (or none, for the bare modes).
 *
 * Usage: node bench/figures/interceptor.mjs --lib ours|msal|identity --mode bare-request|interceptor|
 *        static-header|bare-fetch|authorized-fetch|manual [--seconds 2] [--reps 5] [--concurrency 16]
 */
import { Agent, fetch, request, setGlobalDispatcher } from 'undici'
import { numberArg, parseArgs } from '../lib/args.mjs'
import { emit, settings } from '../lib/child.mjs'
import { createClient } from '../lib/clients.mjs'

const args = parseArgs(process.argv.slice(2))
const lib = String(args.lib ?? 'ours')
const mode = String(args.mode)
const seconds = numberArg(args, 'seconds', 2)
const reps = numberArg(args, 'reps', 5)
const concurrency = numberArg(args, 'concurrency', 16)
const api = settings().api
const resource = 'api://bench/api'
const AGENT = { connections: concurrency, keepAliveTimeout: 60_000 }

const send = await sender()
const check = await send(`${api}/check`)
const authorized = mode !== 'bare-request' && mode !== 'bare-fetch'
if (check !== (authorized ? 200 : 401)) throw new Error(`${mode}: /check answered ${check}`)

await run(Math.min(1, seconds / 2))
/** @type {number[]} */
const rps = []
/** @type {number[]} */
const cpuUsPerRequest = []
for (let r = 0; r < reps; r++) {
  const result = await run(seconds)
  rps.push(result.rps)
  cpuUsPerRequest.push(result.cpuUs)
}
emit({ figure: 'interceptor', lib, mode, concurrency, rps, cpuUsPerRequest })
process.exit(0)

/**
 * A function that sends one GET to `url` the way `mode` says and returns the status.
 *
 * @returns {Promise<(url: string) => Promise<number>>}
 */
async function sender() {
  if (mode === 'bare-request') {
    const dispatcher = new Agent(AGENT)
    return async (url) => {
      const res = await request(url, { dispatcher })
      await res.body.dump()
      return res.statusCode
    }
  }
  if (mode === 'static-header') {
    const dispatcher = new Agent(AGENT)
    const { accessToken } = await (await createClient('ours')).get(`${resource}/.default`)
    const headers = { authorization: `Bearer ${accessToken}` }
    return async (url) => {
      const res = await request(url, { dispatcher, headers })
      await res.body.dump()
      return res.statusCode
    }
  }
  if (mode === 'bare-fetch' || mode === 'authorized-fetch') {
    setGlobalDispatcher(new Agent(AGENT))
    const f =
      mode === 'bare-fetch'
        ? fetch
        : (await createClient('ours')).raw.authorizedFetch({ resource, origins: [api], fetch })
    return async (url) => {
      const res = await f(url)
      await res.arrayBuffer()
      return res.status
    }
  }
  if (mode === 'interceptor') {
    const client = (await createClient('ours')).raw
    const dispatcher = new Agent(AGENT).compose(client.interceptor({ [api]: resource }))
    return async (url) => {
      const res = await request(url, { dispatcher })
      await res.body.dump()
      return res.statusCode
    }
  }
  if (mode === 'manual') {
    const client = await createClient(lib)
    const dispatcher = new Agent(AGENT)
    const scope = `${resource}/.default`
    const tokenOf = (t) => t.accessToken ?? t.token
    return async (url) => {
      const token = tokenOf(await client.get(scope))
      const res = await request(url, { dispatcher, headers: { authorization: `Bearer ${token}` } })
      await res.body.dump()
      return res.statusCode
    }
  }
  throw new Error(`unknown mode '${mode}'`)
}

/**
 * `concurrency` loops sending requests for `s` seconds.
 *
 * @param {number} s
 */
async function run(s) {
  const url = `${api}/`
  let count = 0
  const cpu0 = process.cpuUsage()
  const start = performance.now()
  const end = start + s * 1000
  async function loop() {
    while (performance.now() < end) {
      await send(url)
      count++
    }
  }
  await Promise.all(Array.from({ length: concurrency }, loop))
  const elapsed = performance.now() - start
  const cpu = process.cpuUsage(cpu0)
  return { rps: (count * 1000) / elapsed, cpuUs: (cpu.user + cpu.system) / count }
}
