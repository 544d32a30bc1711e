/**
 * Worker processes for the fleet tests: each a plain Node process running `worker.ts` (the sources, by
 * type stripping and a resolve hook) with its own Redis connection and token cache.
 */
import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { FromWorker, ToWorker } from './protocol.js'

const WORKER = fileURLToPath(new URL('../worker.ts', import.meta.url))
const REGISTER = new URL('./register.mjs', import.meta.url).href

export interface LookupResult {
  tokens: string[]
  errors: string[]
  durationMs: number
}

export interface Worker {
  readonly logs: string[]
  /** `count` concurrent lookups of `scope`'s token. */
  lookups(scope: string, count: number): Promise<LookupResult>
  /** Moves the worker's clock forward. */
  advance(ms: number): Promise<void>
  /** Kills the process (SIGKILL: a crash, nothing released). */
  kill(): Promise<void>
}

export interface WorkerSetup {
  redisUrl: string
  authorityUrl: string
  store: Extract<ToWorker, { type: 'init' }>['store']
}

/** Starts `n` workers and waits until each is connected to Redis. */
export function startWorkers(n: number, setup: WorkerSetup): Promise<Worker[]> {
  return Promise.all(Array.from({ length: n }, () => startWorker(setup)))
}

async function startWorker(setup: WorkerSetup): Promise<Worker> {
  const child = fork(WORKER, [], {
    execArgv: ['--disable-warning=ExperimentalWarning', '--import', REGISTER],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const logs: string[] = []
  const pending = new Map<number, (result: LookupResult) => void>()
  let nextId = 0
  const ready = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready`)))
    child.on('message', (message: FromWorker) => {
      if (message.type === 'ready') resolve()
      else if (message.type === 'log') logs.push(`${message.level}: ${message.message}`)
      else {
        pending.get(message.id)?.(message)
        pending.delete(message.id)
      }
    })
  })
  const ask = (message: ToWorker & { id: number }) =>
    new Promise<LookupResult>((resolve) => {
      pending.set(message.id, resolve)
      child.send(message)
    })
  child.send({ type: 'init', ...setup } satisfies ToWorker)
  await ready
  return {
    logs,
    lookups: (scope, count) => ask({ type: 'lookups', id: nextId++, scope, count }),
    advance: async (ms) => {
      await ask({ type: 'advance', id: nextId++, ms })
    },
    kill: () => killed(child),
  }
}

function killed(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGKILL')
  })
}
