import { createRemoteJWKSet, jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  EXAMPLE,
  type GeneratedCertificate,
  generateCertificate,
  type LocalAuthority,
  startLocalAuthority,
} from '../../../src/testing/index.js'
import {
  type Answer,
  type AssertionOptions,
  assertionForm,
  clientAssertion,
  ERROR_KEYS,
  post,
} from '../helpers.js'

// Test-only certificates and keys, generated for this run.
const CERT_APP = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d'
const SNI_APP = 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e'
const SCOPE = `${EXAMPLE.api.uri}/.default`
let authority: LocalAuthority
let registered: GeneratedCertificate
let stranger: GeneratedCertificate
let issuingCa: GeneratedCertificate
let sniLeaf: GeneratedCertificate
let endpoint: string

beforeAll(async () => {
  ;[authority, registered, stranger, issuingCa] = await Promise.all([
    startLocalAuthority(),
    generateCertificate({ commonName: 'daemon-cert' }),
    generateCertificate({ commonName: 'stranger' }),
    generateCertificate({ commonName: 'Contoso Issuing CA' }),
  ])
  sniLeaf = await generateCertificate({ commonName: 'daemon.contoso.com', issuer: issuingCa })
  authority.clients.add({
    appId: CERT_APP,
    displayName: 'cert-daemon',
    certificates: [{ pem: registered.certificatePem }],
  })
  authority.clients.grant(CERT_APP, EXAMPLE.api.uri, ['Admin'])
  authority.clients.add({
    appId: SNI_APP,
    displayName: 'sni-daemon',
    subjectNames: [{ subject: 'CN=daemon.contoso.com', issuerPem: issuingCa.certificatePem }],
  })
  endpoint = authority.tokenEndpoint(EXAMPLE.tenantId)
})
afterAll(() => authority.close())

async function ask(
  options: Partial<AssertionOptions> = {},
  clientId = CERT_APP,
  url = endpoint,
): Promise<Answer> {
  const assertion = await clientAssertion({ clientId, audience: url, certificate: registered, ...options })
  return post(url, assertionForm(clientId, assertion, SCOPE))
}

function expectRefusal(res: Answer, status: number, error: string, code: number): void {
  expect(res.status).toBe(status)
  expect(Object.keys(res.json)).toEqual(ERROR_KEYS)
  expect(res.json).toMatchObject({ error, error_codes: [code] })
}

describe('certificate client assertions', () => {
  it('accepts PS256 with x5t#S256 (what MSAL sends) and issues a token with appidacr "2"', async () => {
    const res = await ask({ alg: 'PS256', thumbprint: 'x5t#S256' })
    expect(res.status).toBe(200)
    const keys = createRemoteJWKSet(new URL(authority.jwksUrl(EXAMPLE.tenantId)))
    const { payload } = await jwtVerify(String(res.json.access_token), keys)
    expect(payload).toMatchObject({ appid: CERT_APP, appidacr: '2', roles: ['Admin'] })
  })

  it('accepts RS256 with x5t (SHA-1)', async () => {
    expect((await ask({ alg: 'RS256', thumbprint: 'x5t' })).status).toBe(200)
  })

  it('accepts PS256 with x5t and RS256 with x5t#S256', async () => {
    expect((await ask({ alg: 'PS256', thumbprint: 'x5t' })).status).toBe(200)
    expect((await ask({ alg: 'RS256', thumbprint: 'x5t#S256' })).status).toBe(200)
  })

  it('accepts thumbprints in standard base64 as well as base64url', async () => {
    expect((await ask({ thumbprint: 'x5t', standardBase64: true })).status).toBe(200)
    expect((await ask({ thumbprint: 'x5t#S256', standardBase64: true })).status).toBe(200)
  })

  it('accepts aud naming the same tenant by domain when the GUID endpoint is called', async () => {
    const res = await ask({ audience: authority.tokenEndpoint(EXAMPLE.tenantDomain) })
    expect(res.status).toBe(200)
  })

  it('refuses a certificate that is not registered with AADSTS700027 printing its SHA-1 thumbprint in hex', async () => {
    const res = await ask({ certificate: stranger, thumbprint: 'x5t' })
    expectRefusal(res, 401, 'invalid_client', 700027)
    expect(res.json.error_description).toContain(
      `Thumbprint of key used by client: '${stranger.thumbprintHex}'`,
    )
  })

  it('refuses a registered thumbprint whose signature was made by another key with AADSTS700027', async () => {
    const res = await ask({ signWith: stranger })
    expectRefusal(res, 401, 'invalid_client', 700027)
    expect(res.json.error_description).toContain('Client assertion failed signature validation.')
  })

  it('refuses an assertion without any thumbprint with AADSTS700027', async () => {
    expectRefusal(await ask({ thumbprint: 'none' }), 401, 'invalid_client', 700027)
  })

  it('refuses an expired assertion with AADSTS700024', async () => {
    const now = Math.floor(Date.now() / 1000) - 3600
    const res = await ask({ now, lifetimeSeconds: 600 })
    expectRefusal(res, 401, 'invalid_client', 700024)
    expect(res.json.error_description).toContain('not within its valid time range')
  })

  it('refuses a not-yet-valid assertion with AADSTS700024', async () => {
    const now = Math.floor(Date.now() / 1000)
    expectRefusal(await ask({ nbf: now + 3600, lifetimeSeconds: 7200 }), 401, 'invalid_client', 700024)
  })

  it('tolerates a small clock skew on exp', async () => {
    const now = Math.floor(Date.now() / 1000) - 660
    expect((await ask({ now, lifetimeSeconds: 600 })).status).toBe(200)
  })

  it('refuses an aud naming another endpoint (v1 path, other host, other tenant) with AADSTS700023', async () => {
    const wrong = [
      authority.tokenEndpoint(EXAMPLE.tenantId, 'v1'),
      `https://login.microsoftonline.com/${EXAMPLE.tenantId}/oauth2/v2.0/token`,
      authority.tokenEndpoint('fabrikam.onmicrosoft.com'),
    ]
    for (const audience of wrong) expectRefusal(await ask({ audience }), 401, 'invalid_client', 700023)
  })

  it('refuses an aud array with AADSTS50027', async () => {
    expectRefusal(await ask({ audience: [endpoint] }), 400, 'invalid_request', 50027)
  })

  it('refuses an assertion whose sub is not the client id', async () => {
    const res = await ask({ subject: EXAMPLE.clients.admin.appId })
    expect(res.status).toBe(401)
    expect(res.json.error).toBe('invalid_client')
  })

  it('refuses a malformed assertion with AADSTS50027', async () => {
    expectRefusal(
      await post(endpoint, assertionForm(CERT_APP, 'not.a-jwt', SCOPE)),
      400,
      'invalid_request',
      50027,
    )
  })

  it('refuses an HS256 assertion as an unsupported algorithm with AADSTS700027', async () => {
    const body = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url')
    const jwt = `${body({ alg: 'HS256', typ: 'JWT' })}.${body({ iss: CERT_APP, sub: CERT_APP, aud: endpoint, exp: 4e9 })}.c2ln`
    const res = await post(endpoint, assertionForm(CERT_APP, jwt, SCOPE))
    expectRefusal(res, 401, 'invalid_client', 700027)
    expect(res.json.error_description).toContain('Unsupported asymmetric signing algorithm')
  })

  it('refuses a missing client_assertion_type with AADSTS900144', async () => {
    const assertion = await clientAssertion({
      clientId: CERT_APP,
      audience: endpoint,
      certificate: registered,
    })
    const { client_assertion_type: _dropped, ...form } = assertionForm(CERT_APP, assertion, SCOPE)
    expectRefusal(await post(endpoint, form), 400, 'invalid_request', 900144)
  })

  it('checks aud against the v1 endpoint URL when the v1 endpoint is called', async () => {
    const v1 = authority.tokenEndpoint(EXAMPLE.tenantId, 'v1')
    const assertion = await clientAssertion({ clientId: CERT_APP, audience: v1, certificate: registered })
    const res = await post(v1, {
      grant_type: 'client_credentials',
      client_id: CERT_APP,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
      resource: EXAMPLE.api.uri,
    })
    expect(res.status).toBe(200)
  })
})

describe('subject-name/issuer (x5c) apps', () => {
  it('accepts a certificate sent in x5c whose subject and issuer are trusted', async () => {
    const res = await ask({ certificate: sniLeaf, x5c: [sniLeaf, issuingCa] }, SNI_APP)
    expect(res.status).toBe(200)
  })

  it('refuses the same certificate without x5c with AADSTS700027 key not found', async () => {
    const res = await ask({ certificate: sniLeaf }, SNI_APP)
    expectRefusal(res, 401, 'invalid_client', 700027)
    expect(res.json.error_description).toContain('The key was not found')
  })

  it('refuses an x5c certificate with the trusted subject from another issuer', async () => {
    const impostor = await generateCertificate({ commonName: 'daemon.contoso.com' })
    expectRefusal(
      await ask({ certificate: impostor, x5c: [impostor] }, SNI_APP),
      401,
      'invalid_client',
      700027,
    )
  })

  it('accepts a certificate uploaded at run time', async () => {
    const fresh = await generateCertificate({ commonName: 'rotated' })
    expectRefusal(await ask({ certificate: fresh }), 401, 'invalid_client', 700027)
    authority.clients.addCertificate(CERT_APP, fresh.certificatePem)
    expect((await ask({ certificate: fresh })).status).toBe(200)
  })

  it('accepts a subject name trusted at run time, of any issuer when none is given', async () => {
    const app = 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d70'
    const leaf = await generateCertificate({ commonName: 'worker.contoso.com' })
    authority.clients.add({ appId: app, displayName: 'sni-runtime' })
    expectRefusal(await ask({ certificate: leaf, x5c: [leaf] }, app), 401, 'invalid_client', 700027)
    const trusted = authority.clients.trustSubject(app, { subject: 'worker.contoso.com' })
    expect(trusted.issuer).toBeUndefined()
    expect((await ask({ certificate: leaf, x5c: [leaf] }, app)).status).toBe(200)
  })
})
