/**
 * A scripted token endpoint on a real loopback socket: each scope answers from its own queue (the last
 * answer repeats), and every request moves the client's manual clock by {@link REQUEST_MS}, so request
 * durations are exact without anything waiting.
 */
import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/** How long each request takes, by the client's clock. */
export const REQUEST_MS = 250

export interface Answer {
  status: number
  headers?: Record<string, string>
  body: unknown
}

/** A token answer. */
export const tokenAnswer = (accessToken: string, expiresIn = 3600): Answer => ({
  status: 200,
  body: { token_type: 'Bearer', expires_in: expiresIn, access_token: accessToken },
})

/** An OAuth error answer. */
export const errorAnswer = (status: number, error: string, headers?: Record<string, string>): Answer => ({
  status,
  body: { error, error_description: `${error} (scripted)` },
  ...(headers && { headers }),
})

export async function startAuthority(script: Record<string, Answer[]>, clock: { advance(ms: number): void }) {
  const served = new Map<string, number>()
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const scope = new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('scope') ?? ''
    const index = served.get(scope) ?? 0
    served.set(scope, index + 1)
    const answers = script[scope] ?? [errorAnswer(400, 'invalid_scope')]
    const answer = answers[Math.min(index, answers.length - 1)] as Answer
    clock.advance(REQUEST_MS)
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
    res.end(JSON.stringify(answer.body))
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    /** Requests received for `scope`. */
    served: (scope: string) => served.get(scope) ?? 0,
    async close() {
      server.closeAllConnections()
      server.close()
      await once(server, 'close')
    },
  }
}
