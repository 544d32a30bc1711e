import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  EXAMPLE,
  type LocalAuthority,
  type LocalAuthorityOptions,
  startLocalAuthority,
} from '../../../src/testing/index.js'
import { post, secretForm, secretResourceForm } from '../helpers.js'

const { admin, reader, unconsented } = EXAMPLE.clients
const SCOPE = `${EXAMPLE.api.uri}/.default`
let authority: LocalAuthority

beforeAll(async () => {
  authority = await startLocalAuthority()
})
afterAll(() => authority.close())

async function verify(token: string, version: 'v1' | 'v2') {
  const keys = createRemoteJWKSet(new URL(authority.jwksUrl(EXAMPLE.tenantId, version)))
  return jwtVerify(token, keys, { algorithms: ['RS256'] })
}

describe('v2 token endpoint with a secret', () => {
  it('answers 200 with numeric expires_in and ext_expires_in, no scope and no refresh_token', async () => {
    const res = await post(
      authority.tokenEndpoint(EXAMPLE.tenantId),
      secretForm(admin.appId, admin.secret, SCOPE),
    )
    expect(res.status).toBe(200)
    expect(Object.keys(res.json)).toEqual(['token_type', 'expires_in', 'ext_expires_in', 'access_token'])
    expect(res.json).toMatchObject({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 })
    expect(typeof res.json.access_token).toBe('string')
  })

  it('sends Entra’s cache headers, a JSON content type and an x-ms-request-id', async () => {
    const res = await post(
      authority.tokenEndpoint(EXAMPLE.tenantDomain),
      secretForm(admin.appId, admin.secret, SCOPE),
    )
    expect(res.headers['cache-control']).toBe('no-store, no-cache')
    expect(res.headers.pragma).toBe('no-cache')
    expect(res.headers['content-type']).toMatch(/^application\/json/)
    expect(res.headers['x-ms-request-id']).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('issues a v1 token (the API accepts v1) whose signature verifies against the JWKS endpoint', async () => {
    const res = await post(
      authority.tokenEndpoint(EXAMPLE.tenantId),
      secretForm(admin.appId, admin.secret, SCOPE),
    )
    const { payload, protectedHeader } = await verify(String(res.json.access_token), 'v2')
    expect(protectedHeader).toEqual({
      typ: 'JWT',
      alg: 'RS256',
      x5t: protectedHeader.kid,
      kid: authority.signingKeys.current.kid,
    })
    const sp = authority.clients.servicePrincipalId(admin.appId)
    expect(payload).toMatchObject({
      aud: EXAMPLE.api.uri,
      iss: `https://sts.windows.net/${EXAMPLE.tenantId}/`,
      idp: `https://sts.windows.net/${EXAMPLE.tenantId}/`,
      appid: admin.appId,
      appidacr: '1',
      idtyp: 'app',
      oid: sp,
      sub: sp,
      tid: EXAMPLE.tenantId,
      roles: ['Admin'],
      ver: '1.0',
    })
    expect(Object.keys(payload)).toEqual(expect.arrayContaining(['iat', 'nbf', 'exp', 'aio', 'rh', 'uti']))
    expect(payload).not.toHaveProperty('azp')
  })

  it('reads the time from a clock given as { now() }, like the client', async () => {
    const fixed = Date.UTC(2030, 0, 1, 12, 0, 0)
    const claims = await claimsIssuedWith({ clock: { now: () => fixed } })
    expect(claims.exp).toBe(fixed / 1000 + 3600)
  })

  it('back-dates iat and nbf by 300 s and sets exp one second past expires_in', async () => {
    const fixed = Date.UTC(2030, 0, 1, 12, 0, 0)
    const claims = await claimsIssuedWith({ now: () => fixed })
    expect(claims.iat).toBe(fixed / 1000 - 300)
    expect(claims.nbf).toBe(fixed / 1000 - 300)
    expect(claims.exp).toBe(fixed / 1000 + 3600)
  })

  it('issues v2 claims (aud = API GUID, azp/azpacr, v2 issuer, no idp, header without x5t) when the API accepts v2', async () => {
    authority.apis.update(EXAMPLE.api.uri, { accessTokenAcceptedVersion: 2 })
    try {
      const res = await post(
        authority.tokenEndpoint(EXAMPLE.tenantId, 'v1'),
        secretResourceForm(admin.appId, admin.secret, EXAMPLE.api.uri),
      )
      const { payload, protectedHeader } = await verify(String(res.json.access_token), 'v1')
      expect(protectedHeader).toEqual({ typ: 'JWT', alg: 'RS256', kid: authority.signingKeys.current.kid })
      expect(payload).toMatchObject({
        aud: EXAMPLE.api.appId,
        iss: `https://login.microsoftonline.com/${EXAMPLE.tenantId}/v2.0`,
        azp: admin.appId,
        azpacr: '1',
        idtyp: 'app',
        ver: '2.0',
        roles: ['Admin'],
      })
      expect(payload).not.toHaveProperty('idp')
      expect(payload).not.toHaveProperty('appid')
    } finally {
      authority.apis.update(EXAMPLE.api.uri, { accessTokenAcceptedVersion: null })
    }
  })

  it('puts roles in the token only when they are granted and admin-consented', async () => {
    const roles = async (clientId: string, secret: string) => {
      const res = await post(authority.tokenEndpoint(EXAMPLE.tenantId), secretForm(clientId, secret, SCOPE))
      expect(res.status).toBe(200)
      return (await verify(String(res.json.access_token), 'v2')).payload.roles
    }
    expect(await roles(reader.appId, reader.secret)).toEqual(['ReadOnly'])
    expect(await roles(unconsented.appId, unconsented.secret)).toBeUndefined()
    authority.clients.setAdminConsent(unconsented.appId, EXAMPLE.api.uri, true)
    expect(await roles(unconsented.appId, unconsented.secret)).toEqual(['ReadOnly'])
    authority.clients.setAdminConsent(unconsented.appId, EXAMPLE.api.uri, false)
  })

  it('accepts the secret through HTTP Basic with id and secret form-urlencoded', async () => {
    const basic = Buffer.from(
      `${encodeURIComponent(admin.appId)}:${encodeURIComponent(admin.secret)}`,
    ).toString('base64')
    const res = await post(
      authority.tokenEndpoint(EXAMPLE.tenantId),
      { grant_type: 'client_credentials', scope: SCOPE },
      { headers: { authorization: `Basic ${basic}` } },
    )
    expect(res.status).toBe(200)
    expect(authority.requests.last()).toMatchObject({ basicAuth: true, clientId: admin.appId })
  })

  it('accepts the API by application id GUID and by App ID URI in any case', async () => {
    for (const scope of [`${EXAMPLE.api.appId}/.default`, `${EXAMPLE.api.uri.toUpperCase()}/.default`]) {
      const res = await post(
        authority.tokenEndpoint(EXAMPLE.tenantId),
        secretForm(admin.appId, admin.secret, scope),
      )
      expect(res.status).toBe(200)
    }
  })

  it('keeps a trailing slash of the resource in the v1 aud (https://database.windows.net//.default)', async () => {
    authority.apis.add({
      appId: '022907d3-0f1b-48f7-badc-1ba6abab6d66',
      appIdUris: ['https://database.windows.net/'],
    })
    const res = await post(
      authority.tokenEndpoint(EXAMPLE.tenantId),
      secretForm(admin.appId, admin.secret, 'https://database.windows.net//.default'),
    )
    expect(res.status).toBe(200)
    const { payload } = await verify(String(res.json.access_token), 'v2')
    expect(payload.aud).toBe('https://database.windows.net/')
    expect(payload.roles).toBeUndefined()
  })

  it('lets an app ask for a token for itself by its GUID', async () => {
    const res = await post(
      authority.tokenEndpoint(EXAMPLE.tenantId),
      secretForm(admin.appId, admin.secret, `${admin.appId}/.default`),
    )
    expect(res.status).toBe(200)
    expect((await verify(String(res.json.access_token), 'v2')).payload.aud).toBe(admin.appId)
  })

  it('adds refresh_in when the API registration sets it, with the registered lifetime', async () => {
    authority.apis.update(EXAMPLE.api.uri, { tokenLifetimeSeconds: 86399, refreshInSeconds: 43200 })
    try {
      const res = await post(
        authority.tokenEndpoint(EXAMPLE.tenantId),
        secretForm(admin.appId, admin.secret, SCOPE),
      )
      expect(res.json).toMatchObject({ expires_in: 86399, ext_expires_in: 86399, refresh_in: 43200 })
    } finally {
      authority.apis.update(EXAMPLE.api.uri, { tokenLifetimeSeconds: 3599, refreshInSeconds: null })
    }
  })
})

describe('v1 token endpoint', () => {
  it('answers with every number as a string plus expires_on, not_before and resource', async () => {
    const res = await post(
      authority.tokenEndpoint(EXAMPLE.tenantId, 'v1'),
      secretResourceForm(admin.appId, admin.secret, EXAMPLE.api.uri),
    )
    expect(res.status).toBe(200)
    expect(Object.keys(res.json)).toEqual([
      'token_type',
      'expires_in',
      'ext_expires_in',
      'expires_on',
      'not_before',
      'resource',
      'access_token',
    ])
    expect(res.json).toMatchObject({
      token_type: 'Bearer',
      expires_in: '3599',
      ext_expires_in: '3599',
      resource: EXAMPLE.api.uri,
    })
    const claims = decodeProtectedHeader(String(res.json.access_token))
    expect(claims.alg).toBe('RS256')
    const { payload } = await verify(String(res.json.access_token), 'v1')
    expect(res.json.expires_on).toBe(String(payload.exp))
    expect(res.json.not_before).toBe(String(payload.nbf))
    expect(Number(res.json.expires_on) - Number(res.json.not_before)).toBe(3900)
  })

  it('sends refresh_in as a string on v1', async () => {
    authority.apis.update(EXAMPLE.api.uri, { refreshInSeconds: 1800 })
    try {
      const res = await post(
        authority.tokenEndpoint(EXAMPLE.tenantId, 'v1'),
        secretResourceForm(admin.appId, admin.secret, EXAMPLE.api.uri),
      )
      expect(res.json.refresh_in).toBe('1800')
    } finally {
      authority.apis.update(EXAMPLE.api.uri, { refreshInSeconds: null })
    }
  })
})

/** The claims of a token that an authority started with `options` issues to the admin daemon. */
async function claimsIssuedWith(options: LocalAuthorityOptions): Promise<Record<string, number>> {
  const clocked = await startLocalAuthority(options)
  try {
    const res = await post(
      clocked.tokenEndpoint(EXAMPLE.tenantId),
      secretForm(admin.appId, admin.secret, SCOPE),
    )
    const [, body] = String(res.json.access_token).split('.')
    return JSON.parse(Buffer.from(body ?? '', 'base64url').toString()) as Record<string, number>
  } finally {
    await clocked.close()
  }
}
