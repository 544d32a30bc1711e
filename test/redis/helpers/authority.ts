/**
 * A fake token endpoint on a real loopback socket (node:http, port 0): counts the token requests and
 * answers each with a new token. It can hold the next requests unanswered (a slow authority, or one
 * whose caller dies waiting) and change the token lifetime.
 */
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'

export const TENANT = 'contoso.onmicrosoft.com'
export const CLIENT_ID = '55b2a7ec-73f3-45c2-af08-21ecc33dc40e'

export interface FakeAuthority {
  /** `http://127.0.0.1:PORT`, the authority host. */
  readonly url: string
  /** How many token requests arrived. */
  readonly count: number
  /** The access tokens answered, in order. */
  readonly issued: readonly string[]
  /** `expires_in` of the next answers, s. */
  expiresInSec: number
  /** Leaves the next `n` requests unanswered (until their client goes away). */
  hold(n: number): void
  close(): Promise<void>
}

/** Starts the fake authority. */
export async function startAuthority(): Promise<FakeAuthority> {
  const issued: string[] = []
  let count = 0
  let held = 0
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== 'POST') {
      response.writeHead(405).end()
      return
    }
    request.resume()
    request.once('end', () => {
      count++
      if (held > 0) {
        held--
        return // never answered
      }
      const accessToken = `at-${count}-${randomBytes(12).toString('base64url')}`
      issued.push(accessToken)
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end(
        JSON.stringify({
          token_type: 'Bearer',
          expires_in: authority.expiresInSec,
          access_token: accessToken,
        }),
      )
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  const authority: FakeAuthority = {
    url: `http://127.0.0.1:${port}`,
    get count() {
      return count
    },
    issued,
    expiresInSec: 3599,
    hold(n) {
      held = n
    },
    close() {
      server.closeAllConnections()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
  return authority
}
