import { Agent, type Dispatcher } from 'undici'
import { describe, expect, it } from 'vitest'
import { authorizationOf, connectionFor } from '../../src/attach/bound.js'
import { createAuthorizedFetch } from '../../src/attach/fetch.js'
import type { TokenSource } from '../../src/attach/source.js'
import { ConfigurationError } from '../../src/errors.js'
import type { GetTokenOptions } from '../../src/options.js'
import { AccessToken } from '../../src/token.js'

function token(
  accessToken: string,
  certificateThumbprint?: string,
  tokenType: 'Bearer' | 'mtls_pop' = 'Bearer',
) {
  return new AccessToken({
    accessToken,
    requestedAt: 1_000,
    expiresAt: 3_601_000,
    refreshAt: 3_301_000,
    scope: 'https://graph.microsoft.com/.default',
    tenant: undefined,
    tokenType,
    certificateThumbprint,
  })
}

const agent = new Agent()

/** A source handing out `tokens` in turn, with a connection for the thumbprints in `connected`. */
function source(tokens: AccessToken[], connected: Record<string, Dispatcher>) {
  const calls: Array<GetTokenOptions | undefined> = []
  const tokenSource: TokenSource = {
    getToken: async (_what, options) => {
      calls.push(options)
      return tokens[Math.min(calls.length - 1, tokens.length - 1)] as AccessToken
    },
    certificateDispatcher: (t) => (t.certificateThumbprint ? connected[t.certificateThumbprint] : undefined),
  }
  return { tokenSource, calls }
}

describe('tokens requested over mutual TLS, attached', () => {
  it('are presented under their own scheme', () => {
    expect(authorizationOf(token('t1'))).toBe('Bearer t1')
    expect(authorizationOf(token('t2', 'x5t', 'mtls_pop'))).toBe('mtls_pop t2')
  })

  it("go over the source's connection presenting their certificate; unbound tokens over none", async () => {
    const { tokenSource } = source([], { A: agent })
    expect((await connectionFor(tokenSource, 'x', token('t', 'A'), undefined)).dispatcher).toBe(agent)
    expect((await connectionFor(tokenSource, 'x', token('t'), undefined)).dispatcher).toBeUndefined()
  })

  it('are replaced (forceRefresh) when their certificate was rotated out, so token and certificate rotate together', async () => {
    const { tokenSource, calls } = source([token('new', 'B')], { B: agent })
    const connection = await connectionFor(tokenSource, 'x', token('old', 'A'), undefined)
    expect([connection.token.accessToken, connection.dispatcher, connection.replaced]).toEqual([
      'new',
      agent,
      true,
    ])
    expect(calls).toEqual([{ forceRefresh: true }])
  })

  it('are never sent when the source names no connection for them', async () => {
    const bare: TokenSource = { getToken: async () => token('t', 'A') }
    await expect(connectionFor(bare, 'x', token('t', 'A'), undefined)).rejects.toThrow(ConfigurationError)
    let sent = 0
    const fetchApi = createAuthorizedFetch(bare, {
      scope: 'read',
      origins: ['https://api.example.test'],
      fetch: async () => {
        sent++
        return new Response('')
      },
    })
    await expect(fetchApi('https://api.example.test/orders')).rejects.toThrow(
      /names no connection presenting that certificate/,
    )
    expect(sent).toBe(0)
  })

  it('refuse a request naming its own dispatcher (it would not present the certificate); otherwise pass theirs to fetch', async () => {
    const { tokenSource } = source([token('t', 'A', 'mtls_pop')], { A: agent })
    const seen: Array<RequestInit | undefined> = []
    const fetchApi = createAuthorizedFetch(tokenSource, {
      scope: 'read',
      origins: ['https://api.example.test'],
      fetch: async (_input, init) => {
        seen.push(init)
        return new Response('')
      },
    })
    await fetchApi('https://api.example.test/orders')
    expect((seen[0] as { dispatcher?: unknown }).dispatcher).toBe(agent)
    expect(new Headers(seen[0]?.headers).get('authorization')).toBe('mtls_pop t')
    const own = { dispatcher: new Agent() } as unknown as RequestInit
    await expect(fetchApi('https://api.example.test/orders', own)).rejects.toThrow(/names its own dispatcher/)
    expect(seen).toHaveLength(1)
  })
})
