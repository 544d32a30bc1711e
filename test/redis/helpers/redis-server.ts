/**
 * A real `redis-server` for the store's tests, on 127.0.0.1 at a free port, in a temporary directory,
 * with no persistence. It can be killed (SIGKILL, as a crash) and started again on the same port. It
 * takes more arguments (ACL users, renamed commands, cluster mode) and can listen on TLS only.
 * Without `redis-server` on PATH the tests fail, on purpose: they are not optional.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createConnection, createServer, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect as connectTls } from 'node:tls'
import type { TlsFiles } from './tls-files.js'

export interface RedisServerOptions {
  /** More `redis-server` arguments, e.g. `['--user', 'default', 'off']`. */
  args?: readonly string[]
  /** Listens on TLS only (`--port 0 --tls-port …`), with this certificate. */
  tls?: TlsFiles
}

export interface RedisServer {
  readonly port: number
  /** `redis://127.0.0.1:PORT`, or `rediss://…` on TLS. */
  readonly url: string
  /** The server's directory (its cluster config lives there). */
  readonly dir: string
  /** Kills the server (SIGKILL) and waits for it to be gone. */
  kill(): Promise<void>
  /** Starts it again on the same port (empty). */
  start(): Promise<void>
  /** Kills it and removes its directory. */
  stop(): Promise<void>
}

/** Fails with a clear message when `redis-server` is not installed. */
export function requireRedisServer(): void {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' })
  if (probe.error !== undefined || probe.status !== 0) {
    throw new Error(
      'redis-server is not on PATH: the Redis token store tests need a real Redis ' +
        '(Debian/Ubuntu: apt-get install -y redis-server). They do not skip.',
    )
  }
}

/** Starts a fresh `redis-server` at a free loopback port. */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  requireRedisServer()
  const dir = mkdtempSync(join(tmpdir(), 'cc-redis-'))
  const port = await freePort()
  const { tls } = options
  const listen = tls
    ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', tls.cert, '--tls-key-file', tls.key]
    : ['--port', String(port)]
  const tlsArgs = tls ? ['--tls-ca-cert-file', tls.ca, '--tls-auth-clients', 'no'] : []
  const args = [
    ...listen,
    ...tlsArgs,
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
  ]
  let child: ChildProcess | undefined
  const server: RedisServer = {
    port,
    url: `${tls ? 'rediss' : 'redis'}://127.0.0.1:${port}`,
    dir,
    async start() {
      child = spawn('redis-server', [...args, ...(options.args ?? [])], { stdio: 'ignore' })
      const exited = new Promise<never>((_, reject) =>
        child?.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${args.join(' ')}`))),
      )
      exited.catch(() => undefined)
      await Promise.race([waitForReply(port, tls), exited])
    },
    async kill() {
      const running = child
      child = undefined
      if (running === undefined || running.exitCode !== null) return
      const exited = new Promise((resolve) => running.once('exit', resolve))
      running.kill('SIGKILL')
      await exited
    },
    async stop() {
      await server.kill()
      rmSync(dir, { recursive: true, force: true })
    },
  }
  await server.start()
  return server
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

/** Waits until the server answers a PING: PONG, or an error reply (NOAUTH when the default user is off). */
async function waitForReply(port: number, tls: TlsFiles | undefined): Promise<void> {
  const until = Date.now() + 10_000
  while (Date.now() < until) {
    if (await ping(port, tls)) return
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error(`redis-server did not answer on port ${port} within 10 s`)
}

function ping(port: number, tls: TlsFiles | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const socket: Socket = tls
      ? connectTls({ host: '127.0.0.1', port, ca: readFileSync(tls.ca) })
      : createConnection({ host: '127.0.0.1', port })
    socket.setTimeout(500)
    socket.once(tls ? 'secureConnect' : 'connect', () => socket.write('PING\r\n'))
    socket.once('data', (data) => {
      socket.destroy()
      resolve(/^(?:\+PONG|-NOAUTH)/.test(data.toString()))
    })
    socket.once('error', () => resolve(false))
    socket.once('timeout', () => {
      socket.destroy()
      resolve(false)
    })
  })
}
