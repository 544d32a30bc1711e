/**
 * A scripted token endpoint on 127.0.0.1 for what the local authority does not do (redirects) and for
 * the command line (which takes no dispatcher): it records every request as received and answers what
 * the test says.
 */
import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export type FakeAnswer = { status: number; headers?: Record<string, string>; body?: string } | 'drop'

export interface FakeAuthority {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string
  /** Every request: path, headers and body, as received. */
  readonly seen: Array<{ path: string; headers: Record<string, string>; body: string }>
  /** Sets how the next requests are answered. */
  answer(reply: FakeAnswer | ((path: string) => FakeAnswer)): void
  close(): Promise<void>
}

export async function startFakeAuthority(): Promise<FakeAuthority> {
  const seen: FakeAuthority['seen'] = []
  let reply: FakeAnswer | ((path: string) => FakeAnswer) = { status: 500 }
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]))
    const path = req.url ?? ''
    seen.push({ path, headers, body: Buffer.concat(chunks).toString('utf8') })
    const answer = typeof reply === 'function' ? reply(path) : reply
    if (answer === 'drop') {
      req.socket.destroy()
      return
    }
    res.writeHead(answer.status, answer.headers).end(answer.body ?? '')
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    answer(next) {
      reply = next
    },
    async close() {
      server.closeAllConnections()
      server.close()
      await once(server, 'close')
    },
  }
}

/** An Entra-shaped error body (docs/entra.md §8). */
export function entraErrorBody(error: string, code: number, message: string): string {
  return JSON.stringify({
    error,
    error_description: `AADSTS${code}: ${message} Trace ID: 6c1f0e2d-0000-4000-8000-00000000a001 Correlation ID: 1d2e3f4a-0000-4000-8000-00000000a002 Timestamp: 2026-11-24 10:00:00Z`,
    error_codes: [code],
    timestamp: '2026-11-24 10:00:00Z',
    trace_id: '6c1f0e2d-0000-4000-8000-00000000a001',
    correlation_id: '1d2e3f4a-0000-4000-8000-00000000a002',
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  })
}

/** A closed port on 127.0.0.1: a connection to it is refused. */
export async function closedPort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  server.close()
  await once(server, 'close')
  return port
}
