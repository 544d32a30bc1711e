import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { TokenVerificationError } from '../../src/errors.js'
import { createTokenVerifier, type TokenVerifierOptions } from '../../src/verify/index.js'
import {
  API_APP_ID,
  APP_ID_URI,
  CLIENT_APP_ID,
  CLIENT_SP_OID,
  clock,
  createTestKey,
  type JwksServer,
  mint,
  NOW,
  OTHER_TENANT,
  rejectionOf,
  startJwksServer,
  TENANT,
  type TestKey,
  v1Claims,
  v2Claims,
} from './support.js'

let key: TestKey
let _stranger: TestKey
let server: JwksServer

beforeAll(async () => {
  ;[key, _stranger] = await Promise.all([createTestKey('key-1'), createTestKey('not-published')])
  server = await startJwksServer([key])
})
afterAll(() => server.close())
beforeEach(() => server.requests.clear())

function verifierWith(options: Partial<TokenVerifierOptions> = {}) {
  return createTokenVerifier({
    tenant: TENANT,
    audience: [APP_ID_URI, API_APP_ID],
    jwksUri: server.jwksUri(),
    now: clock,
    ...options,
  } as TokenVerifierOptions)
}

async function rejection(promise: Promise<unknown>): Promise<TokenVerificationError> {
  const error = await rejectionOf(promise)
  expect(error).toBeInstanceOf(TokenVerificationError)
  return error as TokenVerificationError
}

describe('valid tokens', () => {
  it('accepts an Entra v1 app token and reports its caller, tenant, roles and version', async () => {
    const auth = await verifierWith().verify(await mint(key, v1Claims()))
    expect(auth).toMatchObject({
      appId: CLIENT_APP_ID,
      tenantId: TENANT,
      roles: ['Orders.Read'],
      version: '1.0',
      appOnly: true,
    })
    expect(auth.claims).toMatchObject({
      aud: APP_ID_URI,
      iss: `https://sts.windows.net/${TENANT}/`,
      oid: CLIENT_SP_OID,
    })
  })

  it('accepts an Entra v2 app token, taking the caller from azp', async () => {
    const auth = await verifierWith().verify(await mint(key, v2Claims()))
    expect(auth).toMatchObject({ appId: CLIENT_APP_ID, tenantId: TENANT, version: '2.0', appOnly: true })
    expect(auth.claims.aud).toBe(API_APP_ID)
  })

  it('accepts the token inside an Authorization header value', async () => {
    const token = await mint(key, v2Claims())
    await expect(verifierWith().verify(`Bearer ${token}`)).resolves.toMatchObject({ version: '2.0' })
  })

  it('reports roles as an empty list when the token has no roles claim (no role granted)', async () => {
    const auth = await verifierWith().verify(await mint(key, v2Claims({ roles: undefined })))
    expect(auth.roles).toEqual([])
  })

  it('recognises an app-only token by oid = sub without scp when idtyp is absent', async () => {
    const verifier = verifierWith()
    const appOnly = await verifier.verify(await mint(key, v2Claims({ idtyp: undefined })))
    const delegated = await verifier.verify(
      await mint(key, v2Claims({ idtyp: undefined, sub: 'user-subject', scp: 'Orders.Read' })),
    )
    expect([appOnly.appOnly, delegated.appOnly]).toEqual([true, false])
  })

  it('fetches the JWKS once for many tokens', async () => {
    const verifier = verifierWith()
    const tokens = await Promise.all([mint(key, v1Claims()), mint(key, v2Claims()), mint(key, v2Claims())])
    await Promise.all(tokens.map((token) => verifier.verify(token)))
    await verifier.verify(tokens[0] ?? '')
    expect(server.total()).toBe(1)
  })
})

describe('lifetime', () => {
  it('refuses a token that expired more than the tolerance ago, as expired', async () => {
    const exp = NOW / 1000 - 301
    const error = await rejection(verifierWith().verify(await mint(key, v2Claims({ exp }))))
    expect([error.reason, error.status]).toEqual(['expired', 401])
    expect(error.challenge).toBe(
      `Bearer error="invalid_token", error_description="token expired at ${new Date(exp * 1000).toISOString()}"`,
    )
  })

  it('accepts a token expired less than the tolerance ago (default 300 s)', async () => {
    const token = await mint(key, v2Claims({ exp: NOW / 1000 - 299 }))
    await expect(verifierWith().verify(token)).resolves.toMatchObject({ version: '2.0' })
  })

  it('refuses a token whose nbf is beyond the tolerance in the future, as not_yet_valid', async () => {
    const token = await mint(key, v2Claims({ nbf: NOW / 1000 + 301 }))
    expect((await rejection(verifierWith().verify(token))).reason).toBe('not_yet_valid')
  })

  it('accepts a future nbf within the tolerance, and honours a custom clockToleranceSec', async () => {
    const token = await mint(key, v2Claims({ nbf: NOW / 1000 + 60 }))
    await expect(verifierWith().verify(token)).resolves.toBeDefined()
    expect((await rejection(verifierWith({ clockToleranceSec: 0 }).verify(token))).reason).toBe(
      'not_yet_valid',
    )
  })

  it('reads the time from the injected clock', async () => {
    const token = await mint(key, v2Claims())
    const later = verifierWith({ now: () => NOW + 2 * 3600 * 1000 })
    expect((await rejection(later.verify(token))).reason).toBe('expired')
  })

  it('reads the time from a clock given as { now() }, like the client', async () => {
    const token = await mint(key, v2Claims())
    const later = verifierWith({ now: undefined, clock: { now: () => NOW + 2 * 3600 * 1000 } })
    expect((await rejection(later.verify(token))).reason).toBe('expired')
  })

  it('refuses a token without exp as malformed', async () => {
    const token = await mint(key, v2Claims({ exp: undefined }))
    expect((await rejection(verifierWith().verify(token))).reason).toBe('malformed')
  })
})

describe('audience', () => {
  it('refuses a token for another audience', async () => {
    const error = await rejection(
      verifierWith().verify(await mint(key, v2Claims({ aud: 'api://someone-else' }))),
    )
    expect([error.reason, error.message]).toEqual(['audience', 'audience api://someone-else is not accepted'])
  })

  it('accepts v1 with the App ID URI and v2 with the GUID when both are configured', async () => {
    const verifier = verifierWith({ audience: [APP_ID_URI, API_APP_ID] })
    await expect(verifier.verify(await mint(key, v1Claims({ aud: APP_ID_URI })))).resolves.toBeDefined()
    await expect(verifier.verify(await mint(key, v2Claims({ aud: API_APP_ID })))).resolves.toBeDefined()
  })

  it('refuses the GUID audience when only the App ID URI is configured', async () => {
    const error = await rejection(verifierWith({ audience: APP_ID_URI }).verify(await mint(key, v2Claims())))
    expect(error.reason).toBe('audience')
  })

  it('compares audiences exactly: a trailing slash is another audience', async () => {
    const token = await mint(key, v1Claims({ aud: `${APP_ID_URI}/` }))
    expect((await rejection(verifierWith().verify(token))).reason).toBe('audience')
  })
})

describe('issuer', () => {
  it('refuses a v1 token that carries the v2 issuer', async () => {
    const token = await mint(key, v1Claims({ iss: `https://login.microsoftonline.com/${TENANT}/v2.0` }))
    const error = await rejection(verifierWith().verify(token))
    expect(error.reason).toBe('issuer')
    expect(error.message).toContain('v1.0 token')
  })

  it('refuses a v2 token that carries the v1 issuer', async () => {
    const token = await mint(key, v2Claims({ iss: `https://sts.windows.net/${TENANT}/` }))
    expect((await rejection(verifierWith().verify(token))).reason).toBe('issuer')
  })

  it("refuses an issuer naming another tenant than the token's tid", async () => {
    const token = await mint(key, v2Claims({ iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0` }))
    expect((await rejection(verifierWith().verify(token))).reason).toBe('issuer')
  })

  it('expects the AzureChina issuers when cloud is AzureChina', async () => {
    const verifier = verifierWith({ cloud: 'AzureChina' })
    const v1 = await mint(key, v1Claims({ iss: `https://sts.chinacloudapi.cn/${TENANT}/` }))
    const v2 = await mint(key, v2Claims({ iss: `https://login.partner.microsoftonline.cn/${TENANT}/v2.0` }))
    await expect(verifier.verify(v1)).resolves.toBeDefined()
    await expect(verifier.verify(v2)).resolves.toBeDefined()
    expect((await rejection(verifier.verify(await mint(key, v2Claims())))).reason).toBe('issuer')
  })

  it('with an emulator authorityHost, expects its issuers and fetches keys from its tenant JWKS path', async () => {
    const verifier = verifierWith({ authorityHost: server.origin, jwksUri: undefined })
    const v2 = await mint(key, v2Claims({ iss: `${server.origin}/${TENANT}/v2.0` }))
    const v1 = await mint(key, v1Claims({ iss: `${server.origin}/${TENANT}/` }))
    await expect(verifier.verify(v2)).resolves.toBeDefined()
    await expect(verifier.verify(v1)).resolves.toBeDefined()
    expect([...server.requests.keys()]).toEqual([`/${TENANT}/discovery/v2.0/keys`])
  })

  it('takes a per-version v1 issuer template, keeping the default v2 issuer', async () => {
    const verifier = verifierWith({
      authorityHost: server.origin,
      issuer: { v1: 'https://sts.windows.net/{tenantid}/' },
    })
    await expect(verifier.verify(await mint(key, v1Claims()))).resolves.toBeDefined()
    await expect(
      verifier.verify(await mint(key, v2Claims({ iss: `${server.origin}/${TENANT}/v2.0` }))),
    ).resolves.toBeDefined()
  })

  it('takes an issuer function of tenant and version', async () => {
    const verifier = verifierWith({
      issuer: ({ tenantId, version }) => `https://issuer.test/${tenantId}/${version}`,
    })
    await expect(
      verifier.verify(await mint(key, v2Claims({ iss: `https://issuer.test/${TENANT}/2.0` }))),
    ).resolves.toBeDefined()
    expect((await rejection(verifier.verify(await mint(key, v2Claims())))).reason).toBe('issuer')
  })

  it('with one fixed issuer and no tenant, accepts exactly that issuer', async () => {
    const iss = `https://login.microsoftonline.com/${TENANT}/v2.0`
    const verifier = verifierWith({ tenant: undefined, issuer: iss })
    await expect(verifier.verify(await mint(key, v2Claims()))).resolves.toBeDefined()
    expect((await rejection(verifier.verify(await mint(key, v1Claims())))).reason).toBe('issuer')
  })
})
