/**
 * End to end: tokens minted by the local authority (v1 and v2, two tenants, rolled keys), fetched by
 * TokenClient and checked by oauth-client-credentials/verify against the authority's JWKS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TokenClient } from '../../src/index.js'
import { EXAMPLE, type LocalAuthority, startLocalAuthority } from '../../src/testing/index.js'
import { createTokenVerifier, TokenVerificationError } from '../../src/verify/index.js'

const FABRIKAM = 'a3d2c1b0-9e8f-4a7b-8c6d-5e4f3a2b1c0d'
const ORDERS = { appId: 'e8f7d6c5-b4a3-4291-8f0e-1d2c3b4a5f6e', uri: 'https://orders.contoso.com/api' }
const WORKER = { appId: '0c9b8a7f-6e5d-4c3b-9a1f-0e9d8c7b6a5f', secret: 'TEST-ONLY~fixture.secret_1' }

let authority: LocalAuthority
let registryAuthority: LocalAuthority

beforeAll(async () => {
  authority = await startLocalAuthority({ issuer: 'local' })
  registryAuthority = await startLocalAuthority({
    issuer: 'local',
    registryFile: new URL('../fixtures/testing/registry.json', import.meta.url).pathname,
  })
})
afterAll(async () => {
  await authority.close()
  await registryAuthority.close()
})

function adminClient(target = authority) {
  const { appId, secret } = EXAMPLE.clients.admin
  return new TokenClient({
    authorityHost: target.url,
    tenant: EXAMPLE.tenantId,
    clientId: appId,
    credential: { clientSecret: secret },
  })
}

function verifierFor(target: LocalAuthority, options: { tenants?: string[]; requiredRoles?: string[] } = {}) {
  return createTokenVerifier({
    ...(options.tenants ? { tenants: options.tenants } : { tenant: EXAMPLE.tenantId }),
    authorityHost: target.url,
    audience: [EXAMPLE.api.uri, EXAMPLE.api.appId, ORDERS.uri, ORDERS.appId],
    ...(options.requiredRoles ? { requiredRoles: options.requiredRoles } : {}),
    jwks: { cooldownMs: 0 },
  })
}

describe('verifying local-authority tokens', () => {
  it('accepts a v1 token (aud = App ID URI) with its role', async () => {
    authority.apis.update(EXAMPLE.api.uri, { accessTokenAcceptedVersion: 1 })
    const token = await adminClient().getToken(EXAMPLE.api.uri, { forceRefresh: true })
    const verified = await verifierFor(authority, { requiredRoles: ['Admin'] }).verify(
      `Bearer ${token.accessToken}`,
    )
    expect(verified).toMatchObject({
      version: '1.0',
      tenantId: EXAMPLE.tenantId,
      appId: EXAMPLE.clients.admin.appId,
      appOnly: true,
    })
    expect(verified.roles).toEqual(['Admin'])
    expect(verified.claims.aud).toBe(EXAMPLE.api.uri)
  })

  it('accepts a v2 token (aud = application id)', async () => {
    authority.apis.update(EXAMPLE.api.uri, { accessTokenAcceptedVersion: 2 })
    const token = await adminClient().getToken(EXAMPLE.api.uri, { forceRefresh: true })
    const verified = await verifierFor(authority).verify(token.accessToken)
    expect(verified.version).toBe('2.0')
    expect(verified.claims.aud).toBe(EXAMPLE.api.appId)
  })

  it('refuses a reader token on a route that requires Admin, naming the role', async () => {
    const { appId, secret } = EXAMPLE.clients.reader
    const client = new TokenClient({
      authorityHost: authority.url,
      tenant: EXAMPLE.tenantId,
      clientId: appId,
      credential: { clientSecret: secret },
    })
    const token = await client.getToken(EXAMPLE.api.uri)
    const error = await verifierFor(authority, { requiredRoles: ['Admin'] })
      .verify(token.accessToken)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TokenVerificationError)
    expect(error).toMatchObject({ reason: 'roles', status: 403 })
    expect((error as TokenVerificationError).challenge).toContain('Admin')
  })

  it('keeps verifying after the authority rolls its signing key', async () => {
    const verifier = verifierFor(authority)
    const before = await adminClient().getToken(EXAMPLE.api.uri, { forceRefresh: true })
    await verifier.verify(before.accessToken)
    await authority.signingKeys.roll()
    const after = await adminClient().getToken(EXAMPLE.api.uri, { forceRefresh: true })
    expect(after.accessToken.split('.')[0]).not.toBe(before.accessToken.split('.')[0])
    await expect(verifier.verify(after.accessToken)).resolves.toMatchObject({ tenantId: EXAMPLE.tenantId })
    await expect(verifier.verify(before.accessToken)).resolves.toMatchObject({ tenantId: EXAMPLE.tenantId })
  })

  it('checks tokens of a multi-tenant client against the allowed tenants', async () => {
    const perTenant = new TokenClient({
      authorityHost: registryAuthority.url,
      tenant: EXAMPLE.tenantId,
      clientId: WORKER.appId,
      credential: { clientSecret: WORKER.secret },
    })
    const contoso = await perTenant.getToken(ORDERS.uri)
    const fabrikam = await perTenant.getToken(ORDERS.uri, { tenant: 'fabrikam.onmicrosoft.com' })
    expect(fabrikam.claims?.tid).toBe(FABRIKAM)
    expect(fabrikam.claims?.roles).toBeUndefined() // granted without admin consent in fabrikam
    const both = verifierFor(registryAuthority, { tenants: [EXAMPLE.tenantId, FABRIKAM] })
    await expect(both.verify(contoso.accessToken)).resolves.toMatchObject({
      tenantId: EXAMPLE.tenantId,
      roles: ['Orders.Read'],
    })
    await expect(both.verify(fabrikam.accessToken)).resolves.toMatchObject({ tenantId: FABRIKAM })
    const contosoOnly = verifierFor(registryAuthority, { tenants: [EXAMPLE.tenantId] })
    await expect(contosoOnly.verify(fabrikam.accessToken)).rejects.toMatchObject({ reason: 'tenant' })
  })
})
