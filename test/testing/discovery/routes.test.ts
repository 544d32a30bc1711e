import { X509Certificate } from 'node:crypto'
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXAMPLE, type LocalAuthority, startLocalAuthority } from '../../../src/testing/index.js'
import { get, post, secretForm } from '../helpers.js'

const { admin } = EXAMPLE.clients
const SCOPE = `${EXAMPLE.api.uri}/.default`
let authority: LocalAuthority

beforeAll(async () => {
  authority = await startLocalAuthority()
})
afterAll(() => authority.close())

async function token(): Promise<string> {
  const res = await post(
    authority.tokenEndpoint(EXAMPLE.tenantId),
    secretForm(admin.appId, admin.secret, SCOPE),
  )
  return String(res.json.access_token)
}

describe('OpenID metadata', () => {
  it('serves v2 metadata whose endpoints point at the local authority under the tenant GUID', async () => {
    const res = await get(authority.metadataUrl(EXAMPLE.tenantDomain))
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({
      token_endpoint: `${authority.url}/${EXAMPLE.tenantId}/oauth2/v2.0/token`,
      jwks_uri: `${authority.url}/${EXAMPLE.tenantId}/discovery/v2.0/keys`,
      authorization_endpoint: `${authority.url}/${EXAMPLE.tenantId}/oauth2/v2.0/authorize`,
      issuer: `https://login.microsoftonline.com/${EXAMPLE.tenantId}/v2.0`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    })
  })

  it('serves v1 metadata with the sts.windows.net issuer and v1 endpoints', async () => {
    const res = await get(authority.metadataUrl(EXAMPLE.tenantId, 'v1'))
    expect(res.json).toMatchObject({
      token_endpoint: `${authority.url}/${EXAMPLE.tenantId}/oauth2/token`,
      jwks_uri: `${authority.url}/${EXAMPLE.tenantId}/discovery/keys`,
      issuer: `https://sts.windows.net/${EXAMPLE.tenantId}/`,
    })
  })

  it('serves the {tenantid} issuer for the organizations alias', async () => {
    const res = await get(`${authority.url}/organizations/v2.0/.well-known/openid-configuration`)
    expect(res.json.issuer).toBe('https://login.microsoftonline.com/{tenantid}/v2.0')
  })

  it('answers invalid_tenant AADSTS90002 for an unknown tenant', async () => {
    const res = await get(authority.metadataUrl('fabrikam.onmicrosoft.com'))
    expect(res.status).toBe(400)
    expect(res.json).toMatchObject({ error: 'invalid_tenant', error_codes: [90002] })
  })

  it('names the local authority as issuer of metadata and tokens with issuer: "local"', async () => {
    const local = await startLocalAuthority({ issuer: 'local' })
    try {
      const metadata = await get(local.metadataUrl(EXAMPLE.tenantId))
      expect(metadata.json.issuer).toBe(`${local.url}/${EXAMPLE.tenantId}/v2.0`)
      const res = await post(
        local.tokenEndpoint(EXAMPLE.tenantId),
        secretForm(admin.appId, admin.secret, SCOPE),
      )
      const [, payload] = String(res.json.access_token).split('.')
      expect(JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()).iss).toBe(
        `${local.url}/${EXAMPLE.tenantId}/`,
      )
    } finally {
      await local.close()
    }
  })

  it('uses the China cloud issuers when cloud is AzureChina', async () => {
    const china = await startLocalAuthority({ cloud: 'AzureChina' })
    try {
      expect((await get(china.metadataUrl(EXAMPLE.tenantId))).json.issuer).toBe(
        `https://login.partner.microsoftonline.cn/${EXAMPLE.tenantId}/v2.0`,
      )
      expect((await get(china.metadataUrl(EXAMPLE.tenantId, 'v1'))).json.issuer).toBe(
        `https://sts.chinacloudapi.cn/${EXAMPLE.tenantId}/`,
      )
    } finally {
      await china.close()
    }
  })
})

describe('JWKS', () => {
  it('publishes RSA signing keys with kid = x5t = SHA-1 of the x5c certificate', async () => {
    const res = await get(authority.jwksUrl(EXAMPLE.tenantId, 'v1'))
    const key = (res.json.keys as Array<Record<string, unknown>>)[0] ?? {}
    expect(key).toMatchObject({ kty: 'RSA', use: 'sig', e: 'AQAB' })
    expect(key.x5t).toBe(key.kid)
    const certificate = new X509Certificate(Buffer.from(String((key.x5c as string[])[0]), 'base64'))
    expect(Buffer.from(certificate.fingerprint.replaceAll(':', ''), 'hex').toString('base64url')).toBe(
      key.kid,
    )
    expect(key).not.toHaveProperty('issuer')
  })

  it('names the issuer on v2 keys', async () => {
    const res = await get(authority.jwksUrl(EXAMPLE.tenantId))
    expect((res.json.keys as Array<Record<string, unknown>>)[0]?.issuer).toBe(
      `https://login.microsoftonline.com/${EXAMPLE.tenantId}/v2.0`,
    )
  })

  it('publishes old and new keys after a roll, signs with the new one, and drops the old on retire', async () => {
    const before = await token()
    const oldKid = authority.signingKeys.current.kid
    const fresh = await authority.signingKeys.roll()
    const jwks = (await get(authority.jwksUrl('common'))).json as { keys: Array<{ kid: string }> }
    expect(jwks.keys.map((k) => k.kid)).toEqual([oldKid, fresh.kid])
    const after = await token()
    expect(decodeProtectedHeader(after).kid).toBe(fresh.kid)
    const keySet = createLocalJWKSet(jwks as Parameters<typeof createLocalJWKSet>[0])
    await expect(jwtVerify(before, keySet)).resolves.toBeDefined()
    await expect(jwtVerify(after, keySet)).resolves.toBeDefined()
    authority.signingKeys.retire()
    const retired = (await get(authority.jwksUrl('common'))).json as { keys: Array<{ kid: string }> }
    expect(retired.keys.map((k) => k.kid)).toEqual([fresh.kid])
  })
})

describe('instance discovery', () => {
  it('answers MSAL’s instance discovery for the local authority’s own host', async () => {
    const authorize = `${authority.url}/${EXAMPLE.tenantId}/oauth2/v2.0/authorize`
    const res = await get(
      `${authority.url}/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(authorize)}`,
    )
    expect(res.status).toBe(200)
    const host = new URL(authority.url).host
    expect(res.json).toEqual({
      tenant_discovery_endpoint: `${authority.url}/${EXAMPLE.tenantId}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [
        { preferred_network: host, preferred_cache: host, aliases: [host, `localhost:${authority.port}`] },
      ],
    })
  })

  it('answers invalid_instance AADSTS50049 for a host it does not serve', async () => {
    const res = await get(
      `${authority.url}/common/discovery/instance?api-version=1.1&authorization_endpoint=https://evil.example/x/oauth2/v2.0/authorize`,
    )
    expect(res.status).toBe(400)
    expect(res.json).toMatchObject({ error: 'invalid_instance', error_codes: [50049] })
  })
})

describe('unknown paths', () => {
  it('answers 404 and logs the request as route "unknown"', async () => {
    const res = await get(`${authority.url}/${EXAMPLE.tenantId}/oauth2/v2.0/nothing`)
    expect(res.status).toBe(404)
    expect(authority.requests.last()?.route).toBe('unknown')
  })
})
