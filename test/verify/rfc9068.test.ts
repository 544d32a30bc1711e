/**
 * Generic RFC 9068 JWT access tokens: `createTokenVerifier({ issuer, jwksUri, audience })` for any
 * server. `typ` must be `at+jwt`; iss, exp, aud, sub, client_id, iat and jti are required (§2.2); the
 * Entra-only `ver` and `tid` rules do not apply.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ConfigurationError, TokenVerificationError } from '../../src/errors.js'
import { createTokenVerifier, type TokenVerifierOptions } from '../../src/verify/index.js'
import { checkAccessTokenType, checkRequiredClaims } from '../../src/verify/rfc9068.js'
import { GENERIC_AUDIENCE, GENERIC_CLIENT, GENERIC_ISSUER, rfc9068Claims } from './dpop-support.js'
import {
  API_APP_ID,
  clock,
  createTestKey,
  type JwksServer,
  mint,
  NOW,
  rejectionOf,
  startJwksServer,
  TENANT,
  type TestKey,
  v2Claims,
} from './support.js'

let key: TestKey
let jwks: JwksServer

beforeAll(async () => {
  key = await createTestKey('generic-1')
  jwks = await startJwksServer([key])
})
beforeEach(() => jwks.requests.clear())
afterAll(() => jwks.close())

const verifier = (options: Partial<TokenVerifierOptions> = {}) =>
  createTokenVerifier({
    issuer: GENERIC_ISSUER,
    jwksUri: `${jwks.origin}/jwks`,
    audience: GENERIC_AUDIENCE,
    now: clock,
    ...options,
  } as TokenVerifierOptions)
const mintAt = (claims = rfc9068Claims(), typ = 'at+jwt') => mint(key, claims, { typ })

async function refusal(promise: Promise<unknown>): Promise<TokenVerificationError> {
  const error = await rejectionOf(promise)
  expect(error).toBeInstanceOf(TokenVerificationError)
  return error as TokenVerificationError
}

describe('a generic RFC 9068 issuer', () => {
  it('accepts an at+jwt token without ver or tid, reporting its client', async () => {
    const auth = await verifier().verify(await mintAt())
    expect(auth).toMatchObject({ appId: GENERIC_CLIENT, appOnly: true })
    expect(auth.claims).toMatchObject({ iss: GENERIC_ISSUER, client_id: GENERIC_CLIENT })
  })

  it('reports the rfc9068 profile, no tenant or version, and a delegated token as not app-only', async () => {
    const auth = await verifier().verify(await mintAt(rfc9068Claims({ sub: 'alice' })))
    expect(auth).toMatchObject({
      profile: 'rfc9068',
      tenantId: undefined,
      version: undefined,
      appOnly: false,
    })
  })

  it('accepts typ application/at+jwt, in any case', async () => {
    await expect(
      verifier().verify(await mintAt(rfc9068Claims(), 'application/AT+JWT')),
    ).resolves.toBeDefined()
  })

  it('refuses any other typ (an ID token, a plain JWT) before fetching keys', async () => {
    for (const typ of ['JWT', 'id_token+jwt', 'dpop+jwt']) {
      const error = await refusal(verifier().verify(await mintAt(rfc9068Claims(), typ)))
      expect([error.reason, error.message]).toEqual([
        'malformed',
        `typ ${typ} is not at+jwt: not an access token`,
      ])
    }
    expect(jwks.total()).toBe(0)
  })

  it.each(['iss', 'exp', 'aud', 'sub', 'client_id', 'iat', 'jti'])(
    'refuses a token without %s',
    async (claim) => {
      const error = await refusal(verifier().verify(await mintAt(rfc9068Claims({ [claim]: undefined }))))
      expect([error.reason, error.message]).toEqual(['malformed', `token has no ${claim} claim`])
    },
  )

  it('compares the issuer exactly and names the expected one only in the hint', async () => {
    const error = await refusal(verifier().verify(await mintAt(rfc9068Claims({ iss: `${GENERIC_ISSUER}/` }))))
    expect([error.reason, error.message, error.hint]).toEqual([
      'issuer',
      `issuer ${GENERIC_ISSUER}/ is not accepted`,
      `expected ${GENERIC_ISSUER}`,
    ])
  })

  it('checks audience and lifetime as for Entra tokens', async () => {
    expect((await refusal(verifier().verify(await mintAt(rfc9068Claims({ aud: 'other' }))))).reason).toBe(
      'audience',
    )
    const expired = rfc9068Claims({ exp: NOW / 1000 - 400 })
    expect((await refusal(verifier().verify(await mintAt(expired)))).reason).toBe('expired')
  })

  it('applies requiredRoles to the roles claim', async () => {
    const strict = verifier({ requiredRoles: ['orders.admin'] })
    expect((await refusal(strict.verify(await mintAt()))).reason).toBe('roles')
    await expect(
      strict.verify(await mintAt(rfc9068Claims({ roles: ['orders.admin'] }))),
    ).resolves.toMatchObject({
      roles: ['orders.admin'],
    })
  })

  it('keeps the Entra rules for an Entra issuer string, and when profile entra is asked for', async () => {
    const entraIssuer = `https://login.microsoftonline.com/${TENANT}/v2.0`
    const inferred = verifier({ issuer: entraIssuer, audience: API_APP_ID })
    await expect(inferred.verify(await mint(key, v2Claims()))).resolves.toMatchObject({ profile: 'entra' })
    const forced = verifier({ profile: 'entra' })
    expect((await refusal(forced.verify(await mintAt()))).message).toBe(
      'unsupported token version (ver missing)',
    )
  })

  it('refuses the Entra-only options with profile rfc9068', () => {
    for (const extra of [
      { tenant: TENANT },
      { cloud: 'AzureChina' },
      { authorityHost: 'http://127.0.0.1:1' },
    ]) {
      expect(() => verifier({ profile: 'rfc9068', ...extra } as Partial<TokenVerifierOptions>)).toThrow(
        ConfigurationError,
      )
    }
  })
})

describe('checkAccessTokenType and checkRequiredClaims', () => {
  it('name the problem', () => {
    expect(checkAccessTokenType(undefined)?.description).toBe(
      'typ missing is not at+jwt: not an access token',
    )
    expect(checkRequiredClaims(rfc9068Claims({ iat: '1' }))?.description).toBe('token has no iat claim')
    expect(checkRequiredClaims(rfc9068Claims())).toBeUndefined()
  })
})
