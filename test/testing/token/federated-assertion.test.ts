import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXAMPLE, type LocalAuthority, startLocalAuthority } from '../../../src/testing/index.js'
import { type Answer, assertionForm, ERROR_KEYS, post } from '../helpers.js'

// A stand-in workload-identity issuer (a Kubernetes OIDC issuer) on loopback; test-only keys.
const FED_APP = 'c3d4e5f6-a7b8-4c9d-8e1f-2a3b4c5d6e7f'
const ISSUER = 'https://oidc.prod-aks.azure.com/00000000-aaaa-4bbb-8ccc-000000000001/'
const SUBJECT = 'system:serviceaccount:orders:worker'
const AUDIENCE = 'api://AzureADTokenExchange'
const SCOPE = `${EXAMPLE.api.uri}/.default`
let authority: LocalAuthority
let issuerServer: Server
let issuerKey: KeyObject
let otherKey: KeyObject
let jwksUrl: string

beforeAll(async () => {
  issuerKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
  otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
  const jwk = { ...issuerKey.export({ format: 'jwk' }), kid: 'k8s-1', use: 'sig', alg: 'RS256' }
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = jwk
  issuerServer = createServer((req, res) => {
    res.writeHead(req.url === '/openid/v1/jwks' ? 200 : 404, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ keys: [publicJwk] }))
  })
  await new Promise<void>((resolve) => issuerServer.listen(0, '127.0.0.1', resolve))
  const address = issuerServer.address()
  jwksUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/openid/v1/jwks`
  authority = await startLocalAuthority()
  authority.clients.add({
    appId: FED_APP,
    displayName: 'aks-worker',
    federatedCredentials: [{ issuer: ISSUER, subject: SUBJECT, audiences: [AUDIENCE], jwksUrl }],
  })
  authority.clients.grant(FED_APP, EXAMPLE.api.uri, ['ReadOnly'])
})
afterAll(async () => {
  await authority.close()
  issuerServer.closeAllConnections()
  await new Promise((resolve) => issuerServer.close(resolve))
})

async function serviceAccountToken(
  overrides: {
    iss?: string
    sub?: string
    /** `null`: no aud claim. */
    aud?: string | string[] | null
    exp?: number
    nbf?: number
    key?: KeyObject
  } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000)
  const jwt = new SignJWT({ 'kubernetes.io': { namespace: 'orders' } })
    .setProtectedHeader({ alg: 'RS256', kid: 'k8s-1' })
    .setIssuer(overrides.iss ?? ISSUER)
    .setSubject(overrides.sub ?? SUBJECT)
    .setIssuedAt(now)
    .setExpirationTime(overrides.exp ?? now + 3600)
  if (overrides.aud !== null) jwt.setAudience(overrides.aud ?? AUDIENCE)
  if (overrides.nbf !== undefined) jwt.setNotBefore(overrides.nbf)
  return jwt.sign(overrides.key ?? issuerKey)
}

async function exchange(token: string): Promise<Answer> {
  return post(authority.tokenEndpoint(EXAMPLE.tenantId), assertionForm(FED_APP, token, SCOPE))
}

function expectRefusal(res: Answer, status: number, error: string, code: number): void {
  expect(res.status).toBe(status)
  expect(Object.keys(res.json)).toEqual(ERROR_KEYS)
  expect(res.json).toMatchObject({ error, error_codes: [code] })
}

describe('federated credentials (workload identity)', () => {
  it('exchanges a matching issuer token verified against the issuer JWKS for an access token with appidacr "2"', async () => {
    const res = await exchange(await serviceAccountToken())
    expect(res.status).toBe(200)
    const [, payload] = String(res.json.access_token).split('.')
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>
    expect(claims).toMatchObject({ appid: FED_APP, appidacr: '2', roles: ['ReadOnly'] })
  })

  it.each([
    ['issuer', { iss: 'https://token.actions.githubusercontent.com' }],
    ['subject', { sub: 'system:serviceaccount:orders:other' }],
    ['audience', { aud: 'api://SomethingElse' }],
  ])(
    'refuses a token whose %s matches no federated credential with AADSTS70021',
    async (_what, overrides) => {
      const res = await exchange(await serviceAccountToken(overrides))
      expectRefusal(res, 400, 'unauthorized_client', 70021)
      expect(res.json.error_description).toContain(
        'No matching federated identity record found for presented assertion',
      )
    },
  )

  it('accepts an aud array that holds the credential audience', async () => {
    expect((await exchange(await serviceAccountToken({ aud: ['api://Other', AUDIENCE] }))).status).toBe(200)
  })

  it('refuses a token without aud with AADSTS70021', async () => {
    expectRefusal(await exchange(await serviceAccountToken({ aud: null })), 400, 'unauthorized_client', 70021)
  })

  it('refuses an issuer token that is not yet valid with AADSTS700024', async () => {
    const nbf = Math.floor(Date.now() / 1000) + 3600
    expectRefusal(await exchange(await serviceAccountToken({ nbf })), 401, 'invalid_client', 700024)
  })

  it('exchanges tokens for a federated credential added at run time', async () => {
    const app = 'e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a8b'
    authority.clients.add({ appId: app })
    const subject = 'system:serviceaccount:billing:worker'
    const token = await serviceAccountToken({ sub: subject })
    const ask = () => post(authority.tokenEndpoint(EXAMPLE.tenantId), assertionForm(app, token, SCOPE))
    expect((await ask()).json.error_codes).toEqual([70021])
    const added = authority.clients.addFederatedCredential(app, { issuer: ISSUER, subject, jwksUrl })
    expect(added.audiences).toEqual([AUDIENCE])
    expect((await ask()).status).toBe(200)
  })

  it('refuses a matching token signed by a key the issuer does not publish with AADSTS700027', async () => {
    expectRefusal(await exchange(await serviceAccountToken({ key: otherKey })), 401, 'invalid_client', 700027)
  })

  it('refuses an expired issuer token with AADSTS700024', async () => {
    const exp = Math.floor(Date.now() / 1000) - 3600
    expectRefusal(await exchange(await serviceAccountToken({ exp })), 401, 'invalid_client', 700024)
  })

  it('answers AADSTS50166 when the issuer keys cannot be fetched', async () => {
    const app = 'd4e5f6a7-b8c9-4d0e-9f1a-2b3c4d5e6f7a'
    authority.clients.add({
      appId: app,
      federatedCredentials: [
        { issuer: ISSUER, subject: SUBJECT, jwksUrl: jwksUrl.replace('/openid/v1/jwks', '/missing') },
      ],
    })
    const res = await post(
      authority.tokenEndpoint(EXAMPLE.tenantId),
      assertionForm(app, await serviceAccountToken(), SCOPE),
    )
    expect(res.json.error_codes).toEqual([50166])
  })
})
