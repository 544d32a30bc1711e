/**
 * After `close()`, a Node process with nothing else to do exits at once: a real process (plain Node,
 * type stripping) with a certificate-file client and a request pending at a loopback token endpoint
 * that never answers it. Without the close, the pending request would hold the process for minutes.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { fixtureClock, fixturePath } from './credentials/fixtures.js'
import { fakeJwt } from './helpers/token-endpoint.js'

const CHILD = fileURLToPath(new URL('./fixtures/lifecycle/close-child.ts', import.meta.url))
const REGISTER = new URL('./redis/helpers/register.mjs', import.meta.url).href

/** A token endpoint that answers the first `answered` requests and holds every later one. */
async function holdingEndpoint(answered: number) {
  const held: ServerResponse[] = []
  let seen = 0
  let onRequest = () => {}
  const server: Server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      seen++
      onRequest()
      if (seen > answered) {
        held.push(res)
        return
      }
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ token_type: 'Bearer', expires_in: 3600, access_token: fakeJwt({ aud: 'x' }) }))
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/token`,
    /** Resolves once `count` requests have arrived. */
    requests: (count: number) =>
      new Promise<void>((resolve) => {
        onRequest = () => seen >= count && resolve()
        onRequest()
      }),
    stop: () => {
      server.closeAllConnections()
      server.close()
    },
  }
}

let child: ChildProcessWithoutNullStreams | undefined
let stopEndpoint: (() => void) | undefined
afterEach(() => {
  if (child?.exitCode === null) child.kill('SIGKILL')
  stopEndpoint?.()
})

async function runChild(mode: 'refresh' | 'cold', answered: number, pending: number) {
  const endpoint = await holdingEndpoint(answered)
  stopEndpoint = endpoint.stop
  const now = String(fixtureClock().now())
  const args = ['--disable-warning=ExperimentalWarning', '--import', REGISTER, CHILD]
  child = spawn(process.execPath, [...args, endpoint.url, fixturePath('rsa.combined.pem'), mode, now], {
    env: { PATH: process.env.PATH },
  })
  const exited = once(child, 'exit')
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8')
  })
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8')
  })
  await endpoint.requests(pending) // the request the close must abort is at the endpoint, unanswered
  child.stdin.end() // → client.close()
  const [code, signal] = await exited
  return { code, signal, stdout, stderr }
}

describe('a process after client.close()', () => {
  it('exits at once with a background refresh pending (certificatePath client)', async () => {
    const result = await runChild('refresh', 1, 2)
    expect(result.stderr).toBe('')
    expect({ code: result.code, signal: result.signal }).toEqual({ code: 0, signal: null })
    expect(result.stdout).toBe('waiting\nclosed \n')
  }, 30_000)

  it('exits at once with a cold call pending, which rejects with ERR_CLIENT_CLOSED', async () => {
    const result = await runChild('cold', 0, 1)
    expect(result.stderr).toBe('')
    expect({ code: result.code, signal: result.signal }).toEqual({ code: 0, signal: null })
    expect(result.stdout).toBe('waiting\nclosed ERR_CLIENT_CLOSED\n')
  }, 30_000)
})
