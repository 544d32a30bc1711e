/**
 * The leak suite for the API side of bound tokens (oauth-client-credentials/verify): whatever a DPoP
 * proof or a certificate-bound token did wrong, no refusal — result, error (message, stack, hint,
 * cause), challenge, JSON body, HTTP answer over TLS — and nothing printed on the console holds the
 * access token, the proof, the proof's private key (even when a client put it in the proof's header by
 * mistake), or a client certificate's key. And a storm of requests that need a nonce is answered with
 * one nonce, stores nothing and fetches the keys once.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { type GeneratedCertificate, generateCertificate } from '../../src/testing/index.js'
import {
  type AuthorizeResult,
  type CallOptions,
  createGuard,
  createTokenVerifier,
  type DpopOptions,
  type Guard,
} from '../../src/verify/index.js'
import { createReplayCache } from '../../src/verify/replay-cache.js'
import {
  certificateBinding,
  createDpopKey,
  type DpopKey,
  dpopBinding,
  GENERIC_AUDIENCE,
  GENERIC_ISSUER,
  makeProof,
  type ProofOptions,
  rfc9068Claims,
} from '../verify/dpop-support.js'
import {
  clock,
  createTestKey,
  type JwksServer,
  mint,
  NOW,
  startJwksServer,
  type TestKey,
} from '../verify/support.js'
import { startTlsApi, tlsClient } from '../verify/tls-support.js'
import { errorRenderings, renderings } from './exposure.js'
import { baseSecrets, expectNoLeak, type Secrets } from './secrets.js'

const URL_ = 'https://api.example.test/orders'

let signer: TestKey
let jwks: JwksServer
let key: DpopKey
let thief: DpopKey
let forger: DpopKey
let bound: GeneratedCertificate
let other: GeneratedCertificate
const printed: string[] = []

beforeAll(async () => {
  ;[signer, key, thief, forger, bound, other] = await Promise.all([
    createTestKey('as-1'),
    createDpopKey(),
    createDpopKey('PS256'),
    createDpopKey(),
    generateCertificate({ commonName: 'bound client' }),
    generateCertificate({ commonName: 'other client' }),
  ])
  jwks = await startJwksServer([signer])
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation(
      (...args: unknown[]) => void printed.push(args.map(String).join(' ')),
    )
  }
})
afterEach(() => jwks.requests.clear())
afterAll(async () => {
  vi.restoreAllMocks()
  await jwks.close()
})

function guardWith(dpop: DpopOptions = {}): Guard {
  return createGuard(
    createTokenVerifier({
      issuer: GENERIC_ISSUER,
      jwksUri: `${jwks.origin}/jwks`,
      audience: GENERIC_AUDIENCE,
      now: clock,
      dpop,
    }),
  )
}

/** The secrets of one scenario: the base ones, every key of the test, and the token and proofs sent. */
function secretsOf(token: string, proofs: readonly string[]): Secrets {
  const secrets = baseSecrets().addToken('access token', token)
  for (const [i, proof] of proofs.entries()) secrets.addToken(`DPoP proof ${i + 1}`, proof)
  const keys = [
    ['proof key', key],
    ['thief key', thief],
    ['forger key', forger],
  ] as const
  for (const [name, dpopKey] of keys) {
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const) {
      secrets.add(`${name} private ${member}`, dpopKey.privateJwk[member])
    }
  }
  for (const [name, certificate] of [
    ['bound', bound],
    ['other', other],
  ] as const) {
    const lines = certificate.privateKeyPem.split('\n').filter((line) => !line.startsWith('-----'))
    for (const [i, line] of lines.entries()) secrets.add(`${name} certificate key line ${i + 1}`, line)
  }
  return secrets
}

/** The headers of any result, as a framework reads them. */
const headersOf = (result: AuthorizeResult): Record<string, string | undefined> =>
  result.ok ? (result.headers ?? {}) : result.headers

function outputsOf(result: AuthorizeResult): Record<string, string[]> {
  return {
    'the result (inspect, JSON, String)': renderings(result),
    'the error, its stack and causes': result.ok ? [] : errorRenderings(result.error),
    'the challenge and body': result.ok
      ? []
      : [String(headersOf(result)['www-authenticate']), JSON.stringify(result.body)],
    'the console': printed,
  }
}

const boundToken = (binding: Record<string, unknown>) =>
  mint(signer, rfc9068Claims(binding), { typ: 'at+jwt' })
const proof = (token: string, options: Partial<ProofOptions> = {}, by = key) =>
  makeProof(by, { htm: 'GET', htu: URL_, accessToken: token, ...options })

interface Scenario {
  name: string
  /** Makes the proofs (the last one is sent; earlier ones are sent first, e.g. to be replayed). */
  proofs: (token: string) => Promise<string[]>
  scheme?: string
  dpop?: DpopOptions
}

const SCENARIOS: Scenario[] = [
  {
    name: 'a replayed proof',
    proofs: async (t) => {
      const p = await proof(t)
      return [p, p]
    },
  },
  { name: 'a proof for another method', proofs: async (t) => [await proof(t, { htm: 'POST' })] },
  { name: 'a proof for another URL', proofs: async (t) => [await proof(t, { htu: `${URL_}/1` })] },
  {
    name: 'a proof holding its own private key in the jwk header',
    proofs: async (t) => [await proof(t, { header: { jwk: key.privateJwk } })],
  },
  { name: "a proof by the thief's key", proofs: async (t) => [await proof(t, {}, thief)] },
  {
    name: 'a proof signed by another key than its jwk',
    proofs: async (t) => [await proof(t, { signWith: forger.privateKey })],
  },
  { name: 'a proof for another token', proofs: async (t) => [await proof(`${t}x`)] },
  { name: 'a stale proof', proofs: async (t) => [await proof(t, { iat: NOW / 1000 - 3600 })] },
  { name: 'a proof of the wrong typ', proofs: async (t) => [await proof(t, { header: { typ: 'JWT' } })] },
  { name: 'a proof without the nonce', proofs: async (t) => [await proof(t)], dpop: { nonce: true } },
  {
    name: 'a proof with a made-up nonce',
    proofs: async (t) => [await proof(t, { nonce: 'x'.repeat(40) })],
    dpop: { nonce: true },
  },
  {
    name: 'the bound token as Bearer, with a proof',
    proofs: async (t) => [await proof(t)],
    scheme: 'Bearer',
  },
  { name: 'no proof at all', proofs: async () => [] },
]

describe('DPoP refusals hold no token, proof or private key', () => {
  it.each(SCENARIOS)('$name', async (scenario) => {
    const guard = guardWith(scenario.dpop)
    const token = await boundToken(dpopBinding(key))
    const proofs = await scenario.proofs(token)
    const results: AuthorizeResult[] = []
    for (const dpop of proofs.length === 0 ? [undefined] : proofs) {
      const request: CallOptions['request'] = { method: 'GET', url: URL_, dpop }
      results.push(await guard.authorize(`${scenario.scheme ?? 'DPoP'} ${token}`, { request }))
    }
    const refused = results.at(-1)!
    expect(refused.ok).toBe(false)
    expectNoLeak(secretsOf(token, proofs), outputsOf(refused))
  })
})

describe('certificate-binding refusals hold no token or key, over real TLS too', () => {
  it('by authorize: no certificate, another certificate', async () => {
    const token = await boundToken(certificateBinding(bound.der))
    for (const peerCertificate of [undefined, other.x509]) {
      const refused = await guardWith().authorize(`mtls_pop ${token}`, { request: { peerCertificate } })
      expect(refused.ok).toBe(false)
      expectNoLeak(secretsOf(token, []), outputsOf(refused))
    }
  })

  it('by the middleware over mutual TLS: the 401 answer holds nothing of the token or the keys', async () => {
    const protect = guardWith().middleware()
    const api = await startTlsApi(async (req, res) => {
      if (await protect(req, res)) res.end('ok')
    })
    const client = tlsClient(api, other)
    try {
      const token = await boundToken(certificateBinding(bound.der))
      const reply = await client.send('/orders', { headers: { authorization: `Bearer ${token}` } })
      expect(reply.status).toBe(401)
      expectNoLeak(secretsOf(token, []), {
        'the HTTP answer': [JSON.stringify(reply.headers), JSON.stringify(reply.body)],
        'the console': printed,
      })
    } finally {
      await client.close()
      await api.close()
    }
  })
})

describe('a nonce challenge storm', () => {
  it('is answered with one nonce, remembers no proof, and fetches the keys once', async () => {
    const replay = createReplayCache({ max: 100, now: clock })
    const guard = guardWith({ nonce: true, replayCache: replay })
    const token = await boundToken(dpopBinding(key))
    const nonces = new Set<string | undefined>()
    for (let i = 0; i < 300; i++) {
      const nonce = i % 2 === 0 ? undefined : `guess-${i}`
      const dpop = await proof(token, { nonce })
      const result = await guard.authorize(`DPoP ${token}`, { request: { method: 'GET', url: URL_, dpop } })
      expect(result).toMatchObject({ ok: false, status: 401, body: { error: 'use_dpop_nonce' } })
      nonces.add(headersOf(result)['dpop-nonce'])
    }
    expect(nonces.size).toBe(1)
    expect(replay.size).toBe(0)
    expect(jwks.total()).toBe(1)
  })

  it('with valid nonces and fresh jtis, keeps the replay cache within its bound', async () => {
    const replay = createReplayCache({ max: 50, now: clock })
    const guard = guardWith({ nonce: true, replayCache: replay })
    const token = await boundToken(dpopBinding(key))
    const nonce = await nonceOf(guard, token)
    for (let i = 0; i < 200; i++) {
      const dpop = await proof(token, { nonce })
      const result = await guard.authorize(`DPoP ${token}`, { request: { method: 'GET', url: URL_, dpop } })
      expect(result.ok).toBe(true)
    }
    expect(replay.size).toBe(50)
  })
})

/** The nonce a guard hands out, from the challenge to a proof without one. */
async function nonceOf(guard: Guard, token: string): Promise<string | undefined> {
  const result = await guard.authorize(`DPoP ${token}`, {
    request: { method: 'GET', url: URL_, dpop: await proof(token) },
  })
  return headersOf(result)['dpop-nonce']
}
