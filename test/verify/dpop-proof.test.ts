/**
 * The checks of a DPoP proof (RFC 9449 §4.3), one by one, on hand-made proofs and an injected clock.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Rejection } from '../../src/verify/challenge.js'
import {
  checkDpopProof,
  type DpopSettings,
  MAX_PROOF_CHARS,
  type ProofInput,
} from '../../src/verify/dpop-proof.js'
import { createRotatingNonce } from '../../src/verify/nonce.js'
import { createReplayCache } from '../../src/verify/replay-cache.js'
import { createDpopKey, type DpopKey, makeProof, type ProofOptions } from './dpop-support.js'
import { NOW } from './support.js'

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'
const URL_ = 'https://api.example.test/orders'

let key: DpopKey
let other: DpopKey
let rsaKey: DpopKey
let nowMs: number
let settings: DpopSettings

beforeAll(async () => {
  ;[key, other, rsaKey] = await Promise.all([createDpopKey(), createDpopKey(), createDpopKey('PS256')])
})
beforeEach(() => {
  nowMs = NOW
  const now = () => nowMs
  settings = {
    algorithms: ['ES256', 'PS256'],
    maxAgeSec: 300,
    clockToleranceSec: 5,
    now,
    nonce: undefined,
    replay: createReplayCache({ max: 100, now }),
  }
})

const proofFor = (options: Partial<ProofOptions> = {}, signer = key) =>
  makeProof(signer, { htm: 'GET', htu: URL_, accessToken: TOKEN, ...options })

async function check(proof: ProofInput['proof'], input: Partial<ProofInput> = {}) {
  return checkDpopProof({ token: TOKEN, jkt: key.jkt, method: 'GET', url: URL_, proof, ...input }, settings)
}

function expectRefused(rejection: Rejection | undefined, reason: string, description: RegExp | string) {
  expect(rejection?.reason).toBe(reason)
  expect(rejection?.description).toMatch(description)
}

describe('a valid proof', () => {
  it('passes: signed by its jwk, for this method, URL and token, fresh, by the bound key', async () => {
    expect(await check(await proofFor())).toBeUndefined()
  })

  it('passes with an RSA-PSS key and a URL that differs only by query, fragment, default port and case', async () => {
    const proof = await proofFor({ htu: 'HTTPS://API.example.test:443/orders' }, rsaKey)
    const url = 'https://api.example.test/orders?page=2#top'
    expect(await check(proof, { jkt: rsaKey.jkt, url })).toBeUndefined()
  })
})

describe('the DPoP header', () => {
  it.each([
    ['is missing', undefined, /send a DPoP proof/],
    ['is empty (no value)', [], /send a DPoP proof/],
    ['is repeated', ['a.b.c', 'a.b.c'], /exactly one DPoP header/],
    ['holds two proofs joined by a comma', 'a.b.c, a.b.c', /does not hold one JWT/],
    ['is not a JWT', 'not-a-jwt', /does not hold one JWT/],
    ['is too long', `${'a'.repeat(MAX_PROOF_CHARS)}.b.c`, /longer than/],
  ])('is refused when it %s', async (_, proof, description) => {
    expectRefused(await check(proof as ProofInput['proof']), 'dpop_proof', description)
  })

  it('is refused with an operator hint when the request (method, url) was not passed', async () => {
    const rejection = await check(await proofFor(), { method: undefined })
    expectRefused(rejection, 'dpop_proof', 'the DPoP proof cannot be checked')
    expect(rejection?.hint).toContain('request: { method, url, dpop }')
  })
})

describe('the proof JWT', () => {
  it('must be typed dpop+jwt', async () => {
    expectRefused(
      await check(await proofFor({ header: { typ: 'JWT' } })),
      'dpop_proof',
      /typ must be dpop\+jwt/,
    )
  })

  it('must use an accepted algorithm', async () => {
    settings.algorithms = ['ES256']
    const proof = await proofFor({}, rsaKey)
    expectRefused(
      await check(proof, { jkt: rsaKey.jkt }),
      'dpop_proof',
      /alg is not accepted \(accepted: ES256\)/,
    )
  })

  it('must carry a public jwk: a private key in the header is refused before anything else', async () => {
    const proof = await proofFor({ header: { jwk: key.privateJwk } })
    expectRefused(await check(proof), 'dpop_proof', 'the DPoP proof jwk must be a public key')
  })

  it('must carry a jwk at all', async () => {
    expectRefused(await check(await proofFor({ header: { jwk: undefined } })), 'dpop_proof', /has no jwk/)
  })

  it('must be signed by the key of its jwk', async () => {
    const proof = await proofFor({ signWith: other.privateKey })
    expectRefused(await check(proof), 'dpop_proof', /signature does not verify/)
  })

  it('is refused when its signature was altered', async () => {
    const proof = await proofFor()
    const tampered = `${proof.slice(0, -4)}${proof.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`
    expectRefused(await check(tampered), 'dpop_proof', /signature does not verify|not a valid JWS/)
  })
})

describe('the request it names', () => {
  it('must be for the method of the request', async () => {
    expectRefused(
      await check(await proofFor({ htm: 'POST' })),
      'dpop_proof',
      'the DPoP proof is for POST requests, not GET',
    )
  })

  it.each([
    ['another path', 'https://api.example.test/orders/1'],
    ['another host', 'https://evil.example.test/orders'],
    ['another scheme', 'http://api.example.test/orders'],
    ['another port', 'https://api.example.test:8443/orders'],
    ['not a URL', 'orders'],
  ])('must be for the URL of the request, not %s', async (_, htu) => {
    expectRefused(
      await check(await proofFor({ htu })),
      'dpop_proof',
      'the DPoP proof htu does not name this URL',
    )
  })

  it.each(['jti', 'htm', 'htu', 'iat', 'ath'])('must carry %s', async (claim) => {
    expectRefused(
      await check(await proofFor({ claims: { [claim]: undefined } })),
      'dpop_proof',
      new RegExp(`no ${claim}`),
    )
  })

  it('refuses a jti longer than 256 characters', async () => {
    expectRefused(await check(await proofFor({ jti: 'j'.repeat(257) })), 'dpop_proof', /no jti/)
  })
})

describe('iat window', () => {
  it('accepts a proof exactly maxAgeSec old and refuses one a second older', async () => {
    expect(await check(await proofFor({ iat: NOW / 1000 - 300 }))).toBeUndefined()
    expectRefused(await check(await proofFor({ iat: NOW / 1000 - 301 })), 'dpop_proof', /more than 300 s ago/)
  })

  it('accepts a proof up to clockToleranceSec ahead and refuses one further ahead', async () => {
    expect(await check(await proofFor({ iat: NOW / 1000 + 5 }))).toBeUndefined()
    expectRefused(await check(await proofFor({ iat: NOW / 1000 + 6 })), 'dpop_proof', /in the future/)
  })

  it('reads the time from the injected clock', async () => {
    const proof = await proofFor()
    nowMs = NOW + 301_000
    expectRefused(await check(proof), 'dpop_proof', /more than 300 s ago/)
  })
})

describe('token and key', () => {
  it('refuses a proof made for another access token (ath)', async () => {
    expectRefused(
      await check(await proofFor({ accessToken: `${TOKEN}x` })),
      'dpop_proof',
      /ath is not the hash/,
    )
  })

  it('refuses a proof signed by another key than the token is bound to, as a binding failure', async () => {
    const rejection = await check(await proofFor({}, other))
    expectRefused(rejection, 'binding', /bound to another key/)
    expect(rejection?.scheme).toBe('DPoP')
  })
})

describe('replay', () => {
  it('refuses the same proof the second time', async () => {
    const proof = await proofFor()
    expect(await check(proof)).toBeUndefined()
    expectRefused(
      await check(proof),
      'dpop_proof',
      'the DPoP proof was already used (its jti was seen before)',
    )
  })

  it('refuses another proof reusing a jti of the same key, even for another URL', async () => {
    expect(await check(await proofFor({ jti: 'same' }))).toBeUndefined()
    const again = await proofFor({ jti: 'same', htu: `${URL_}/1` })
    expectRefused(await check(again, { url: `${URL_}/1` }), 'dpop_proof', /already used/)
  })

  it('records a jti only for a proof that passed every check', async () => {
    expectRefused(await check(await proofFor({ jti: 'late', htm: 'POST' })), 'dpop_proof', /POST/)
    expect(await check(await proofFor({ jti: 'late' }))).toBeUndefined()
  })

  it('scopes jti to the key: another key may use the same jti', async () => {
    expect(await check(await proofFor({ jti: 'shared' }))).toBeUndefined()
    expect(await check(await proofFor({ jti: 'shared' }, other), { jkt: other.jkt })).toBeUndefined()
  })
})

describe('nonce', () => {
  beforeEach(() => {
    settings.nonce = createRotatingNonce({ now: () => nowMs, secret: new Uint8Array(32).fill(7) })
  })

  it('asks for the current nonce when the proof has none', async () => {
    const rejection = await check(await proofFor())
    expectRefused(rejection, 'dpop_nonce', 'a nonce is required in the DPoP proof')
    expect(rejection?.dpopNonce).toBe(settings.nonce?.current())
  })

  it('refuses a nonce it did not hand out, handing out the current one', async () => {
    const rejection = await check(await proofFor({ nonce: 'made-up' }))
    expectRefused(rejection, 'dpop_nonce', 'the DPoP proof nonce is not current')
    expect(rejection?.dpopNonce).toBe(settings.nonce?.current())
  })

  it('accepts the current nonce', async () => {
    expect(await check(await proofFor({ nonce: settings.nonce?.current() }))).toBeUndefined()
  })
})
