/**
 * The command as a real process: plain Node runs `bin.ts` (type stripping, `.js` imports resolved to
 * `.ts` by the fleet tests' hook), with real pipes for its standard streams.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { once } from 'node:events'
import type { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { fakeJwt } from '../helpers/token-endpoint.js'

const BIN = fileURLToPath(new URL('../../src/cli/bin.ts', import.meta.url))
const REGISTER = new URL('../redis/helpers/register.mjs', import.meta.url).href
const TOKEN = fakeJwt({ aud: 'api://myapis/mywebapi', roles: ['Admin'], exp: 1_900_000_000 })

function startCli(args: string[]): ChildProcessWithoutNullStreams {
  const execArgv = ['--disable-warning=ExperimentalWarning', '--import', REGISTER]
  return spawn(process.execPath, [...execArgv, BIN, ...args], {
    env: { PATH: process.env.PATH, NO_COLOR: '1' },
  })
}

function collect(stream: Readable): () => string {
  const chunks: Buffer[] = []
  stream.on('data', (chunk: Buffer) => chunks.push(chunk))
  return () => Buffer.concat(chunks).toString('utf8')
}

/** Closes our end of one of the child's output pipes, so its next write there meets EPIPE. */
async function closeReader(stream: Readable): Promise<void> {
  stream.destroy()
  await once(stream, 'close')
}

describe('oauth-client-credentials (the process)', () => {
  it('prints the decoded token and exits 0', async () => {
    const child = startCli(['decode', '-'])
    const exited = once(child, 'exit')
    const stdout = collect(child.stdout)
    child.stdin.end(TOKEN)
    expect(await exited).toEqual([0, null])
    expect(stdout()).toContain('api://myapis/mywebapi')
  })

  it('exits 0 without a stack trace when the reader of its output has gone (EPIPE, as in `| head -1`)', async () => {
    const child = startCli(['decode', '-'])
    const exited = once(child, 'exit')
    const stderr = collect(child.stderr)
    // the token is sent only once the pipe is closed: every line decode prints meets a closed pipe
    await closeReader(child.stdout)
    child.stdin.end(TOKEN)
    expect(await exited).toEqual([0, null])
    expect(stderr()).toBe('')
  })

  it('keeps its exit code when standard error has no reader either', async () => {
    const child = startCli(['decode', '-'])
    const exited = once(child, 'exit')
    await closeReader(child.stdout)
    await closeReader(child.stderr)
    child.stdin.end('not a token')
    expect(await exited).toEqual([2, null])
  })
})
