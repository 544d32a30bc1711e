/**
 * Runs `oauth-client-credentials emulator` in-process, as a user would in another shell, and reads its
 * banner: the `export AZURE_…` lines are evaluated by a real POSIX shell.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterEach, expect, vi } from 'vitest'
import { runEmulator } from '../../src/cli/emulator.js'
import { captureIo } from '../cli/io.js'

const running: Array<() => Promise<unknown>> = []

/** Stops, after each test, every emulator the test started. */
export function stopEmulatorsAfterEach(): void {
  afterEach(async () => {
    for (const stop of running.splice(0)) await stop()
  })
}

/** Starts the emulator with `argv` and waits for its banner. */
export async function startEmulator(argv: string[] = []) {
  const run = captureIo()
  let stop!: () => void
  const stopped = new Promise<void>((resolve) => {
    stop = resolve
  })
  const exit = runEmulator(argv, run.io, stopped)
  running.push(() => {
    stop()
    return exit
  })
  await vi.waitFor(() => expect(run.stdout).toContain('Ctrl-C'), { timeout: 10_000 })
  return {
    run,
    stop,
    exit,
    /** The banner's `export …` line for a client. */
    exportLine: (appId: string) =>
      run.stdout.split('\n').find((text) => text.startsWith('export ') && text.includes(appId)) ?? '',
  }
}

/** The AZURE_* variables a POSIX shell has after running `line` (what a user gets by pasting it). */
export async function shellEnvironment(line: string): Promise<Record<string, string>> {
  const { stdout } = await promisify(execFile)('sh', ['-c', `${line}\nexec env`], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
  })
  const entries = stdout
    .split('\n')
    .filter((entry) => entry.startsWith('AZURE_'))
    .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)])
  return Object.fromEntries(entries)
}
