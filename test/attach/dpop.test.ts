/**
 * DPoP in the attach layer, on a real loopback server: the headers a DPoP token is sent with, and a
 * resource server asking for a nonce forever gets two requests per call, never a loop.
 */
import { once } from 'node:events'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { decodeJwt } from 'jose'
import { Agent, request } from 'undici'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { isDpopNonceChallenge, tokenHeaders } from '../../src/attach/dpop.js'
import { createAuthorizedFetch } from '../../src/attach/fetch.js'
import { createAuthInterceptor } from '../../src/attach/interceptor.js'
import type { TokenSource } from '../../src/attach/source.js'
import { createDpopKey } from '../../src/dpop/key.js'
import { accessTokenHash } from '../../src/dpop/proof.js'
import { attachDpopSession, DpopSession } from '../../src/dpop/session.js'
import { AccessToken } from '../../src/token.js'
import { useLoopbackGuard } from '../helpers/loopback-guard.js'

useLoopbackGuard()

const NOW = Date.now()
const token = (tokenType: 'Bearer' | 'DPoP') =>
  new AccessToken({
    accessToken: 'tok-1',
    requestedAt: NOW - 1000,
    expiresAt: NOW + 3_600_000,
    refreshAt: NOW + 3_000_000,
    scope: 'orders',
    tenant: undefined,
    tokenType,
  })

function dpopSource(): TokenSource {
  const source: TokenSource = { getToken: async () => token('DPoP') }
  attachDpopSession(source, new DpopSession(createDpopKey({}), { now: () => Date.now() }))
  return source
}

let server: Server
let origin: string
const seen: IncomingHttpHeaders[] = []
beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.headers)
    // asks for a new nonce on every request, forever
    res.writeHead(401, {
      'www-authenticate': 'DPoP error="use_dpop_nonce", error_description="nonce required"',
      'dpop-nonce': `n-${seen.length}`,
    })
    res.end()
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})
beforeEach(() => {
  seen.length = 0
})

describe('tokenHeaders', () => {
  it('sends a Bearer token as Bearer, a DPoP token as DPoP with a proof naming the request and the token', async () => {
    expect(await tokenHeaders({}, token('Bearer'), { method: 'GET', url: 'https://a.test/x' })).toEqual({
      authorization: 'Bearer tok-1',
    })
    const headers = await tokenHeaders(dpopSource(), token('DPoP'), {
      method: 'put',
      url: 'https://a.test/x?y=1',
    })
    expect(headers.authorization).toBe('DPoP tok-1')
    expect(decodeJwt(String(headers.dpop))).toMatchObject({
      htm: 'PUT',
      htu: 'https://a.test/x',
      ath: accessTokenHash('tok-1'),
    })
  })

  it('refuses a DPoP token from a source without a DPoP key', async () => {
    await expect(
      tokenHeaders({}, token('DPoP'), { method: 'GET', url: 'https://a.test/' }),
    ).rejects.toMatchObject({
      code: 'ERR_CONFIG_INVALID',
    })
  })

  it('recognises the nonce challenge only in a DPoP challenge', () => {
    expect(isDpopNonceChallenge('Bearer realm="x", DPoP error="use_dpop_nonce"')).toBe(true)
    expect(isDpopNonceChallenge('Bearer error="use_dpop_nonce"')).toBe(false)
    expect(isDpopNonceChallenge(null)).toBe(false)
  })
})

describe('a resource server asking for a nonce forever', () => {
  it('authorizedFetch: one retry with its nonce, then the 401 is the answer', async () => {
    const api = createAuthorizedFetch(dpopSource(), { scope: 'orders', origins: [origin] })
    const res = await api(`${origin}/orders`)
    expect(res.status).toBe(401)
    expect(seen).toHaveLength(2)
    expect(decodeJwt(String(seen[1]?.dpop)).nonce).toBe('n-1')
  })

  it('the interceptor: the same', async () => {
    const source = dpopSource()
    const agent = new Agent().compose(createAuthInterceptor(source, { [origin]: 'orders' }))
    const res = await request(`${origin}/orders`, { dispatcher: agent })
    await res.body.dump()
    expect([res.statusCode, seen.length]).toEqual([401, 2])
    // the retry's proof replaces the first's on the handler's header list: one of each, with the nonce
    expect(seen.map((headers) => headers.authorization)).toEqual(['DPoP tok-1', 'DPoP tok-1'])
    expect(decodeJwt(String(seen[1]?.dpop)).nonce).toBe('n-1')
    await agent.close()
  })

  it.each([
    ['a plain object', () => ({ accept: 'application/json' })],
    ['a Headers', () => new Headers({ accept: 'application/json' })],
  ])(
    'authorizedFetch with headers given as %s: each attempt has one token and its own proof',
    async (_, given) => {
      const api = createAuthorizedFetch(dpopSource(), { scope: 'orders', origins: [origin] })
      const headers = given()
      await api(`${origin}/orders`, { headers })
      expect(seen.map((h) => [h.accept, h.authorization])).toEqual([
        ['application/json', 'DPoP tok-1'],
        ['application/json', 'DPoP tok-1'],
      ])
      expect(decodeJwt(String(seen[0]?.dpop)).nonce).toBeUndefined()
      expect(decodeJwt(String(seen[1]?.dpop)).nonce).toBe('n-1')
      expect(new Headers(headers).has('dpop')).toBe(false) // the caller's headers are left alone
    },
  )
})
