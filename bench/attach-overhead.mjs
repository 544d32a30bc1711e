/**
 * The attach layer's own CPU per request, without a network (issue 17): the interceptor over a dispatch
 * that answers at once, and authorizedFetch over a fetch that answers at once, each ÷ the same dispatch
 * or fetch called bare, with a cached token. Steadier than figure 6 on a busy machine (no sockets, no
 * event-loop turns besides the token's promise), so it shows what a change to src/attach/ does.
 *
 *   node bench/attach-overhead.mjs [--dist DIR] [--n 200000]
 */
import { createServer } from 'node:http'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from './lib/args.mjs'

const args = parseArgs(process.argv.slice(2))
const dist = resolve(typeof args.dist === 'string' ? args.dist : new URL('../dist', import.meta.url).pathname)
const n = Number(args.n ?? 200_000)
const { TokenClient } = await import(pathToFileURL(`${dist}/index.js`).href)

const token = `eyJ${'a'.repeat(600)}`
const server = createServer((_req, res) => {
  res.setHeader('content-type', 'application/json')
  res.end(JSON.stringify({ token_type: 'Bearer', expires_in: 3599, access_token: token }))
})
await new Promise((done) => server.listen(0, '127.0.0.1', done))
const client = new TokenClient({
  tokenEndpoint: `http://127.0.0.1:${server.address().port}/token`,
  clientId: 'bench',
  credential: { clientSecret: 'bench-secret' },
})
await client.getToken('api://bench/.default')
server.close()

const ORIGIN = 'https://api.contoso.com'
const opts = { origin: ORIGIN, path: '/orders', method: 'GET', headers: { accept: 'application/json' } }

/** A dispatch that answers 200 on the next microtask. */
function fakeDispatch(_opts, handler) {
  queueMicrotask(() => {
    handler.onRequestStart?.({ abort() {}, pause() {}, resume() {} }, {})
    handler.onResponseStart?.(null, 200, {}, 'OK')
    handler.onResponseEnd?.(null, {})
  })
  return true
}
const viaDispatch = (dispatch) => () =>
  new Promise((done) => dispatch(opts, { onResponseEnd: done, onResponseError: done }))

const ok = new Response(null, { status: 200 })
const fakeFetch = async () => ok

async function cpuPerCall(call) {
  for (let i = 0; i < 2_000; i++) await call() // warm-up
  const start = process.cpuUsage()
  for (let i = 0; i < n; i++) await call()
  const used = process.cpuUsage(start)
  return ((used.user + used.system) * 1000) / n // ns
}

const intercepted = client.interceptor({ [ORIGIN]: 'api://bench/.default' })(fakeDispatch)
const fetcher = client.authorizedFetch({ scope: 'api://bench/.default', origins: [ORIGIN], fetch: fakeFetch })
const rows = []
for (let round = 0; round < 3; round++) {
  const bare = await cpuPerCall(viaDispatch(fakeDispatch))
  const ours = await cpuPerCall(viaDispatch(intercepted))
  const bareFetch = await cpuPerCall(() =>
    fakeFetch(`${ORIGIN}/orders`, { headers: { accept: 'application/json' } }),
  )
  const ourFetch = await cpuPerCall(() =>
    fetcher(`${ORIGIN}/orders`, { headers: { accept: 'application/json' } }),
  )
  rows.push({ bare, ours, bareFetch, ourFetch })
}
const median = (key) => rows.map((r) => r[key]).sort((a, b) => a - b)[1]
const ns = (value) => `${Math.round(value)} ns`
console.log(
  `interceptor: ${ns(median('ours') - median('bare'))} CPU per request over the bare dispatch (${ns(median('bare'))})`,
)
console.log(
  `authorizedFetch: ${ns(median('ourFetch') - median('bareFetch'))} CPU per request over the bare fetch (${ns(median('bareFetch'))})`,
)
await client.close()
