/**
 * The token request's DPoP step on a real loopback server (docs/sender-constrained.md §6): a proof
 * per attempt, one retry after `use_dpop_nonce` with a fresh proof and a fresh client assertion, and
 * a server that asks for a nonce forever gets two requests, then a typed error.
 */
import { once } from 'node:events'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { decodeJwt } from 'jose'
import { afterEach, describe, expect, it } from 'vitest'
import { AuthorityError, TokenClient } from '../src/index.js'
import { useLoopbackGuard } from './helpers/loopback-guard.js'
import { fakeJwt } from './helpers/token-endpoint.js'

useLoopbackGuard()

interface Seen {
  dpop: string | undefined
  assertion: string | null
}

let server: Server | undefined
afterEach(async () => {
  server?.closeAllConnections()
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
  server = undefined
})

async function tokenServer(answer: (n: number, res: ServerResponse) => void) {
  const seen: Seen[] = []
  server = createServer((req: IncomingMessage, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString()
    })
    req.on('end', () => {
      const form = new URLSearchParams(body)
      seen.push({ dpop: req.headers.dpop as string | undefined, assertion: form.get('client_assertion') })
      answer(seen.length, res)
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth/token`, seen }
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}
const nonceAnswer = (res: ServerResponse, nonce: string) =>
  json(res, 400, { error: 'use_dpop_nonce', error_description: 'nonce required' }, { 'dpop-nonce': nonce })
const dpopToken = (res: ServerResponse, nonce?: string) =>
  json(
    res,
    200,
    { access_token: fakeJwt({ sub: 'x' }), token_type: 'DPoP', expires_in: 3600 },
    nonce ? { 'dpop-nonce': nonce } : {},
  )

let assertions = 0
const client = (tokenEndpoint: string) =>
  new TokenClient({
    tokenEndpoint,
    clientId: 'worker',
    credential: { clientAssertion: () => `assertion-${++assertions}` },
    dpop: true,
  })

describe('DPoP token requests', () => {
  it('retry once after use_dpop_nonce with the nonce, a fresh proof and a fresh client assertion', async () => {
    const { url, seen } = await tokenServer((n, res) => (n === 1 ? nonceAnswer(res, 'n-1') : dpopToken(res)))
    const token = await client(url).getToken('orders.read')
    expect(token.tokenType).toBe('DPoP')
    expect(seen).toHaveLength(2)
    const [first, second] = seen.map((s) => decodeJwt(String(s.dpop)))
    expect(first).toMatchObject({ htm: 'POST', htu: url })
    expect(first?.nonce).toBeUndefined()
    expect(second).toMatchObject({ htm: 'POST', htu: url, nonce: 'n-1' })
    expect(first?.jti).not.toBe(second?.jti)
    expect(seen[0]?.assertion).not.toBe(seen[1]?.assertion)
  })

  it('a server asking for a nonce forever gets two requests, then an AuthorityError saying so', async () => {
    const { url, seen } = await tokenServer((n, res) => nonceAnswer(res, `n-${n}`))
    const error = await client(url)
      .getToken('orders.read')
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthorityError)
    expect(error).toMatchObject({ error: 'use_dpop_nonce', status: 400 })
    expect((error as AuthorityError).hint).toMatch(/DPoP-Nonce|retry/)
    expect(seen).toHaveLength(2)
  })

  it("keeps the nonce a success hands out for the next request's proof", async () => {
    const { url, seen } = await tokenServer((_n, res) => dpopToken(res, 'rolled-1'))
    const c = client(url)
    await c.getToken('a')
    await c.getToken('b')
    expect(seen.map((s) => decodeJwt(String(s.dpop)).nonce)).toEqual([undefined, 'rolled-1'])
  })

  it('refuses a Bearer answer to a DPoP request: the token would not be bound', async () => {
    const { url } = await tokenServer((_n, res) =>
      json(res, 200, { access_token: fakeJwt({}), token_type: 'Bearer', expires_in: 3600 }),
    )
    await expect(client(url).getToken('a')).rejects.toMatchObject({
      code: 'ERR_TOKEN_RESPONSE_INVALID',
      field: 'token_type',
    })
  })
})
