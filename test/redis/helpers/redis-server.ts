/**
 * A real `redis-server` for the store's tests, on 127.0.0.1 at a free port, in a temporary directory,
 * with no persistence. It can be killed (SIGKILL, as a crash) and started again on the same port.
 * Without `redis-server` on PATH the tests fail, on purpose: they are not optional.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createConnection, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface RedisServer {
  readonly port: number
  readonly url: string
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
export async function startRedisServer(): Promise<RedisServer> {
  requireRedisServer()
  const dir = mkdtempSync(join(tmpdir(), 'cc-redis-'))
  const port = await freePort()
  let child: ChildProcess | undefined
  const server: RedisServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      child = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
        { stdio: 'ignore' },
      )
      await waitForPong(port)
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

async function waitForPong(port: number): Promise<void> {
  const until = Date.now() + 10_000
  while (Date.now() < until) {
    if (await ping(port)) return
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error(`redis-server did not answer on port ${port} within 10 s`)
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port })
    socket.setTimeout(500)
    socket.once('connect', () => socket.write('PING\r\n'))
    socket.once('data', (data) => {
      socket.destroy()
      resolve(data.toString().startsWith('+PONG'))
    })
    socket.once('error', () => resolve(false))
    socket.once('timeout', () => {
      socket.destroy()
      resolve(false)
    })
  })
}
