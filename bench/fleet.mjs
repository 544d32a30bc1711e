/**
 * Fleet figure (issue 9): token requests sent by a fleet of N processes, each making C concurrent cold
 * calls for one key, with per-process caches and with the shared Redis store. Runs against the built
 * package (dist/) and a fake token endpoint and a redis-server of its own, both on 127.0.0.1.
 *
 *   node bench/fleet.mjs [--processes 8] [--calls 100]
 */
import { fork, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import { createServer as createNetServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'

const dist = new URL('../dist/', import.meta.url)
const { values } = parseArgs({
  options: {
    processes: { type: 'string', default: '8' },
    calls: { type: 'string', default: '100' },
    worker: { type: 'boolean' },
    port: { type: 'string' },
    redis: { type: 'string' },
    quick: { type: 'boolean' },
  },
})

if (values.worker) await worker()
else await main()

/** One fleet member: a client (with or without the store), C concurrent calls, report the tokens. */
async function worker() {
  const { TokenClient } = await import(new URL('index.js', dist).href)
  let store
  let redis
  if (values.redis) {
    const { createClient } = await import('redis')
    const { createRedisStore } = await import(new URL('redis.js', dist).href)
    redis = createClient({ url: values.redis })
    await redis.connect() // measured with Redis up (the store also works while it is not)
    store = createRedisStore(redis, { prefix: 'bench-fleet:' })
  }
  const client = new TokenClient({
    authorityHost: `http://127.0.0.1:${values.port}`,
    tenant: 'contoso.onmicrosoft.com',
    clientId: '55b2a7ec-73f3-45c2-af08-21ecc33dc40e',
    credential: { clientSecret: 'bench-only' },
    ...(store ? { cache: { store } } : {}),
  })
  process.send?.('ready')
  await new Promise((resolve) => process.once('message', resolve))
  const tokens = await Promise.all(
    Array.from({ length: Number(values.calls) }, () => client.getToken('api://bench/fleet')),
  )
  process.send?.({ distinct: [...new Set(tokens.map((t) => t.accessToken))] })
  await store?.close()
  await redis?.quit().catch(() => {})
  process.exit(0)
}

async function main() {
  const processes = Number(values.processes)
  const calls = Number(values.calls)
  let issued = 0
  const authority = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      const number = ++issued
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ token_type: 'Bearer', expires_in: 3599, access_token: `token-${number}` }))
      }, 20) // a token request takes a little while, as a real one does
    })
  })
  await new Promise((resolve) => authority.listen(0, '127.0.0.1', resolve))
  const port = authority.address().port
  const redis = await startRedis()
  const rows = []
  try {
    for (const mode of ['per-process caches', 'shared Redis store']) {
      if (mode === 'shared Redis store' && !redis) {
        rows.push([mode, 'not measured: redis-server is not installed', '', ''])
        continue
      }
      issued = 0
      const args = ['--worker', '--port', String(port), '--calls', String(calls)]
      if (mode === 'shared Redis store') args.push('--redis', redis.url)
      if (redis) await redis.flush()
      const children = Array.from({ length: processes }, () => fork(new URL(import.meta.url).pathname, args))
      await Promise.all(children.map((child) => once(child, (m) => m === 'ready')))
      const started = performance.now()
      for (const child of children) child.send('go')
      const results = await Promise.all(children.map((child) => once(child, (m) => typeof m === 'object')))
      const ms = performance.now() - started
      const distinct = new Set(results.flatMap((r) => r.distinct)).size
      rows.push([mode, String(issued), String(distinct), `${ms.toFixed(0)} ms`])
    }
  } finally {
    authority.close()
    redis?.stop()
  }
  console.log(`\nFleet: ${processes} processes × ${calls} concurrent cold calls for one key\n`)
  console.log('| cache | token requests | distinct tokens in the fleet | wall time |')
  console.log('|---|---|---|---|')
  for (const row of rows) console.log(`| ${row.join(' | ')} |`)
}

function once(child, accept) {
  return new Promise((resolve, reject) => {
    const onMessage = (message) => {
      if (!accept(message)) return
      child.off('message', onMessage)
      resolve(message)
    }
    child.on('message', onMessage)
    child.once('exit', (code) => code !== 0 && reject(new Error(`worker exited with ${code}`)))
  })
}

/** A redis-server of our own on a free loopback port, or undefined when none is installed. */
async function startRedis() {
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'bench-fleet-redis-'))
  const server = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore' },
  )
  const failed = await new Promise((resolve) => {
    server.once('error', () => resolve(true))
    setTimeout(() => resolve(false), 300)
  })
  if (failed) return undefined
  const url = `redis://127.0.0.1:${port}`
  const { createClient } = await import('redis')
  const admin = createClient({ url })
  await admin.connect()
  return {
    url,
    flush: () => admin.flushAll(),
    stop: () => {
      admin.quit().catch(() => {})
      server.kill()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

function freePort() {
  return new Promise((resolve) => {
    const probe = createNetServer()
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address()
      probe.close(() => resolve(port))
    })
  })
}
