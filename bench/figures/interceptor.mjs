/**
 * Figure 6: the cost of attaching tokens. Requests per second, and the client's CPU time per request,
 * to a loopback node:http API (run by the orchestrator, in its own process), `--concurrency` requests
 * in flight, through each of these modes:
 *
 * - `bare-request`: `undici.request` with `new Agent(AGENT)`: the baseline
 * - `static-header`: the same with a fixed `authorization: Bearer <600-character token>` header: what
 *   carrying a token costs at all, whatever attaches it
 * - `interceptor` (ours): `undici.request` with `new Agent(AGENT).compose(client.interceptor({ api: resource }))`
 * - `bare-fetch`: `undici.fetch` through `setGlobalDispatcher(new Agent(AGENT))`: the fetch baseline
 * - `static-header-fetch`: the same with the fixed header (what carrying a token costs with fetch)
 * - `authorized-fetch` (ours): `client.authorizedFetch({ resource, origins: [api], fetch: undici.fetch })`
 * - `dpop-fetch` (ours): `authorizedFetch` of a DPoP client (ES256): `Authorization: DPoP …` and a fresh
 *   proof (one signature) per request; `dpopProofsPerRequest` counts the proofs it sent
 * - `dpop-interceptor` (ours): the interceptor of a DPoP client
 * - `manual` (peers): the peer's `getToken` on every request and `undici.request` with the header set by
 *   hand (what users of msal-node or @azure/identity write), `new Agent(AGENT)`
 *
 * The machine is shared and its speed drifts, so the modes run in the same process, interleaved: each
 * round runs every mode for `--slice` seconds, and ratios are taken within a round. A warm-up round
 * first. Checks once per mode that the API saw a bearer token (or none, for the baselines).
 *
 * Usage: node bench/figures/interceptor.mjs --lib ours|msal|identity [--rounds 8] [--slice 0.5]
 *        [--concurrency 16] [--modes bare-fetch,authorized-fetch] (a subset, e.g. to profile one mode)
 */
import { Agent, fetch, request, setGlobalDispatcher } from 'undici'
import { numberArg, parseArgs } from '../lib/args.mjs'
import { emit, settings } from '../lib/child.mjs'
import { createClient } from '../lib/clients.mjs'

const args = parseArgs(process.argv.slice(2))
const lib = String(args.lib ?? 'ours')
const rounds = numberArg(args, 'rounds', 8)
const slice = numberArg(args, 'slice', 0.5)
const concurrency = numberArg(args, 'concurrency', 16)
const api = settings().api
const resource = 'api://bench/api'
const AGENT = { connections: concurrency, keepAliveTimeout: 60_000 }

// every fetch mode sends through the global dispatcher (undici.fetch takes it per call)
setGlobalDispatcher(new Agent(AGENT))
const modes =
  typeof args.modes === 'string'
    ? args.modes.split(',')
    : lib === 'ours'
      ? [
          'bare-request',
          'static-header',
          'interceptor',
          'bare-fetch',
          'static-header-fetch',
          'authorized-fetch',
          'dpop-interceptor',
          'dpop-fetch',
        ]
      : ['bare-request', 'manual']
/** DPoP proofs the `dpop-fetch` mode sent, and its requests (after the check request). */
const proofs = { sent: 0, requests: 0 }
/** @type {Record<string, (url: string) => Promise<number>>} */
const senders = {}
for (const mode of modes) {
  senders[mode] = await sender(mode)
  const status = await senders[mode](`${api}/check`)
  const expected = mode.startsWith('bare') ? 401 : 200
  proofs.sent = 0
  proofs.requests = 0
  if (status !== expected) throw new Error(`${mode}: /check answered ${status}, expected ${expected}`)
}

for (const mode of modes) await run(mode, Math.min(0.5, slice))
/** @type {Record<string, number[]>} */
const rps = Object.fromEntries(modes.map((m) => [m, []]))
/** @type {Record<string, number[]>} */
const cpuUsPerRequest = Object.fromEntries(modes.map((m) => [m, []]))
for (let r = 0; r < rounds; r++) {
  for (const mode of modes) {
    const result = await run(mode, slice)
    rps[mode].push(result.rps)
    cpuUsPerRequest[mode].push(result.cpuUs)
  }
}
const dpopProofsPerRequest = proofs.requests > 0 ? proofs.sent / proofs.requests : undefined
emit({ figure: 'interceptor', lib, modes, concurrency, rps, cpuUsPerRequest, dpopProofsPerRequest })
process.exit(0)

/**
 * A function that sends one GET to `url` the way `mode` says and returns the status.
 *
 * @param {string} mode
 * @returns {Promise<(url: string) => Promise<number>>}
 */
async function sender(mode) {
  /** @param {import('undici').Dispatcher} dispatcher @param {Record<string, string>} [headers] */
  const viaRequest = (dispatcher, headers) => async (url) => {
    const res = await request(url, headers ? { dispatcher, headers } : { dispatcher })
    await res.body.dump()
    return res.statusCode
  }
  /** @param {(url: string) => Promise<Response>} f */
  const viaFetch = (f) => async (url) => {
    const res = await f(url)
    await res.arrayBuffer()
    return res.status
  }
  switch (mode) {
    case 'bare-request':
      return viaRequest(new Agent(AGENT))
    case 'static-header': {
      const { accessToken } = await (await createClient('ours')).get(`${resource}/.default`)
      return viaRequest(new Agent(AGENT), { authorization: `Bearer ${accessToken}` })
    }
    case 'interceptor': {
      const client = (await createClient('ours')).raw
      return viaRequest(new Agent(AGENT).compose(client.interceptor({ [api]: resource })))
    }
    case 'bare-fetch':
      return viaFetch(fetch)
    case 'static-header-fetch': {
      const { accessToken } = await (await createClient('ours')).get(`${resource}/.default`)
      const headers = { authorization: `Bearer ${accessToken}` }
      return viaFetch((url) => fetch(url, { headers }))
    }
    case 'authorized-fetch': {
      const client = (await createClient('ours')).raw
      return viaFetch(client.authorizedFetch({ resource, origins: [api], fetch }))
    }
    case 'dpop-fetch': {
      const client = (await createClient('ours', { dpop: true })).raw
      /** @type {typeof fetch} */
      const counting = (input, init) => {
        proofs.requests++
        if (new Headers(init?.headers).has('dpop')) proofs.sent++
        return fetch(input, init)
      }
      return viaFetch(client.authorizedFetch({ scope: resource, origins: [api], fetch: counting }))
    }
    case 'dpop-interceptor': {
      const client = (await createClient('ours', { dpop: true })).raw
      return viaRequest(new Agent(AGENT).compose(client.interceptor({ [api]: resource })))
    }
    case 'manual': {
      const client = await createClient(lib)
      const dispatcher = new Agent(AGENT)
      const scope = `${resource}/.default`
      return async (url) => {
        const token = await client.get(scope)
        const res = await request(url, {
          dispatcher,
          headers: { authorization: `Bearer ${token.accessToken ?? token.token}` },
        })
        await res.body.dump()
        return res.statusCode
      }
    }
    default:
      throw new Error(`unknown mode '${mode}'`)
  }
}

/**
 * `concurrency` loops sending requests through `mode` for `s` seconds.
 *
 * @param {string} mode
 * @param {number} s
 */
async function run(mode, s) {
  const send = senders[mode]
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
