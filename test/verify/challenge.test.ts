import { describe, expect, it } from 'vitest'
import { TokenVerificationError } from '../../src/errors.js'
import { clip, quoteHeaderValue, rejectMissingToken, rejectToken } from '../../src/verify/challenge.js'
import { formatBearerChallenge, formatDpopChallenge } from '../../src/verify/index.js'

describe('quoteHeaderValue', () => {
  it('escapes double quotes and backslashes as quoted-pairs', () => {
    expect(quoteHeaderValue('a "b" \\ c')).toBe('"a \\"b\\" \\\\ c"')
  })

  it('replaces control characters and non-ASCII, so a value cannot split the header', () => {
    expect(quoteHeaderValue('a\r\nb\tc é')).toBe('"a??b?c ?"')
  })
})

describe('formatBearerChallenge', () => {
  it('is the bare scheme when there is no realm and no error (a request without a token)', () => {
    expect(formatBearerChallenge({})).toBe('Bearer')
    expect(formatBearerChallenge({ realm: 'orders' })).toBe('Bearer realm="orders"')
  })

  it('lists realm, error and error_description in that order', () => {
    expect(formatBearerChallenge({ realm: 'r', error: 'invalid_token', description: 'token expired' })).toBe(
      'Bearer realm="r", error="invalid_token", error_description="token expired"',
    )
  })

  it('caps the description at 300 characters', () => {
    const challenge = formatBearerChallenge({ error: 'invalid_token', description: 'x'.repeat(1000) })
    expect(challenge).toBe(`Bearer error="invalid_token", error_description="${'x'.repeat(300)}"`)
  })
})

describe('rejectToken', () => {
  it('gives 403 insufficient_scope for roles and 401 invalid_token otherwise', () => {
    const roles = rejectToken({ reason: 'roles', description: 'this resource requires role A' })
    const audience = rejectToken({ reason: 'audience', description: 'audience x is not accepted' })
    expect(roles).toBeInstanceOf(TokenVerificationError)
    expect([roles.code, roles.status, roles.challenge]).toEqual([
      'ERR_TOKEN_REJECTED',
      403,
      'Bearer error="insufficient_scope", error_description="this resource requires role A"',
    ])
    expect([audience.status, audience.challenge]).toEqual([
      401,
      'Bearer error="invalid_token", error_description="audience x is not accepted"',
    ])
  })
})

describe('formatBearerChallenge without a description', () => {
  it('gives the error code alone', () => {
    expect(formatBearerChallenge({ error: 'invalid_token' })).toBe('Bearer error="invalid_token"')
  })
})

describe('clip', () => {
  it('keeps short strings, and cuts long ones at 80 characters followed by an ellipsis', () => {
    expect(clip('api://orders')).toBe('api://orders')
    expect(clip('x'.repeat(500))).toBe(`${'x'.repeat(80)}...`)
    expect(clip('abcdef', 3)).toBe('abc...')
  })

  it('shows other values as JSON, and what JSON cannot show as text', () => {
    expect(clip(['api://a', 'api://b'])).toBe('["api://a","api://b"]')
    expect(clip(42)).toBe('42')
    expect(clip(undefined)).toBe('undefined')
    expect(clip(Symbol('kid'))).toBe('Symbol(kid)')
  })
})

describe('DPoP challenges (RFC 9449 §7.1)', () => {
  it('formats the scheme, realm, error, description and algs', () => {
    expect(formatDpopChallenge({ algs: ['ES256', 'PS256'] })).toBe('DPoP algs="ES256 PS256"')
    expect(
      formatDpopChallenge({
        realm: 'orders',
        error: 'invalid_dpop_proof',
        description: 'bad "proof"',
        algs: ['ES256'],
      }),
    ).toBe(
      'DPoP realm="orders", error="invalid_dpop_proof", error_description="bad \\"proof\\"", algs="ES256"',
    )
    expect(formatDpopChallenge({})).toBe('DPoP')
  })

  it('answers proof and nonce rejections with DPoP challenges and their RFC 9449 codes', () => {
    const algs = { dpopAlgorithms: ['ES256'] }
    const proof = rejectToken({ reason: 'dpop_proof', description: 'the DPoP proof was already used' }, algs)
    const nonce = rejectToken(
      { reason: 'dpop_nonce', description: 'a nonce is required', dpopNonce: 'n-1' },
      algs,
    )
    expect([proof.status, proof.challenge]).toEqual([
      401,
      'DPoP error="invalid_dpop_proof", error_description="the DPoP proof was already used", algs="ES256"',
    ])
    expect([nonce.challenge, nonce.dpopNonce]).toEqual([
      'DPoP error="use_dpop_nonce", error_description="a nonce is required", algs="ES256"',
      'n-1',
    ])
  })

  it('answers a binding rejection of a DPoP-bound token with DPoP invalid_token, of any other with Bearer', () => {
    const dpop = rejectToken({ reason: 'binding', description: 'another key', scheme: 'DPoP' })
    const certificate = rejectToken({ reason: 'binding', description: 'another certificate' })
    expect(dpop.challenge).toBe('DPoP error="invalid_token", error_description="another key"')
    expect(certificate.challenge).toBe(
      'Bearer error="invalid_token", error_description="another certificate"',
    )
  })

  it('offers DPoP next to Bearer for a request without a token, when the verifier speaks DPoP', () => {
    expect(rejectMissingToken('no token', { realm: 'orders' }).challenge).toBe('Bearer realm="orders"')
    expect(rejectMissingToken('no token', { realm: 'orders', dpopAlgorithms: ['ES256'] }).challenge).toBe(
      'Bearer realm="orders", DPoP realm="orders", algs="ES256"',
    )
  })
})
