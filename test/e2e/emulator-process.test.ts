/**
 * End to end (issue 13, finding 3): `oauth-client-credentials emulator` as its own process. Request
 * targets that are no URL path (`//[`, `http://[`, `//x:99999/` …) once ended the process with an
 * unhandled rejection; now each gets an answer and the emulator goes on serving.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXAMPLE } from '../../src/testing/index.js'
import { rawRequest, statusOf } from '../testing/helpers.js'

const BIN = fileURLToPath(new URL('../../src/cli/bin.ts', import.meta.url))
const REGISTER = new URL('../redis/helpers/register.mjs', import.meta.url).href

let child: ChildProcess
let port: number
let output = ''

beforeAll(async () => {
  child = spawn(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', '--import', REGISTER, BIN, 'emulator', '--port', '0'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
  )
  child.stdout?.on('data', (chunk: Buffer) => void (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => void (output += chunk.toString()))
  port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the emulator exited (${code}): ${output}`)))
    child.stdout?.on('data', () => {
      const match = /listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(output)
      if (match) resolve(Number(match[1]))
    })
  })
}, 60_000)

afterAll(async () => {
  if (child.exitCode === null) {
    child.kill('SIGTERM')
    await once(child, 'exit')
  }
})

describe('the emulator process', () => {
  it('answers malformed request targets and keeps running', async () => {
    const metadata = `/${EXAMPLE.tenantId}/v2.0/.well-known/openid-configuration`
    for (const target of ['//', '//[', 'http://[', '//x:99999/', '*', '/%']) {
      const answer = await rawRequest(port, `GET ${target} HTTP/1.1\r\nhost: 127.0.0.1`)
      expect(statusOf(answer)).toBeGreaterThanOrEqual(400)
      expect(statusOf(await rawRequest(port, `GET ${metadata} HTTP/1.1\r\nhost: 127.0.0.1`))).toBe(200)
    }
    expect(child.exitCode).toBeNull()
    expect(output).not.toMatch(/Unhandled|TypeError/)
  })
})
