/**
 * A managed identity wired into `TokenClient`: as the identity (`managedIdentity`) and as an app's
 * credential (`credential: { managedIdentity }`), against loopback IMDS and token endpoint stand-ins.
 * Nothing here goes near 169.254.169.254: every client names a 127.0.0.1 IMDS.
 */
import { inspect } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { TokenClient } from '../src/client.js'
import { ConfigurationError } from '../src/errors.js'
import { useLoopbackGuard } from './helpers/loopback-guard.js'
import {
  type IdentityServer,
  type SeenRequest,
  startIdentityServer,
  tokenBody,
} from './managed-identity/server.js'

useLoopbackGuard()

const TENANT = 'f6aba1d9-da41-4ea3-8f30-4970725586a8'
const APP = '55b2a7ec-73f3-45c2-af08-21ecc33dc40e'
const MI_CLIENT = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'
const servers: IdentityServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

/** An IMDS stand-in: the probe (no Metadata header) gets 400, token requests a token. */
async function imds(): Promise<IdentityServer & { tokens: () => SeenRequest[] }> {
  const server = await startIdentityServer((request) =>
    request.headers.metadata === undefined
      ? { status: 400, body: { error: 'invalid_request' } }
      : { body: tokenBody(Date.now()) },
  )
  servers.push(server)
  return { ...server, tokens: () => server.seen.filter((seen) => seen.headers.metadata === 'true') }
}

describe('managedIdentity: the identity of the client', () => {
  it('serves a cache hit without asking the endpoint again, and drops /.default', async () => {
    const endpoint = await imds()
    const client = new TokenClient({ managedIdentity: {}, imdsBaseUrl: endpoint.origin })
    const first = await client.getToken('https://vault.azure.net/.default')
    const second = await client.getToken('https://vault.azure.net')
    expect(second).toBe(first)
    expect(first.accessToken).toBe('mi-access-token-0123456789')
    expect(endpoint.tokens()).toHaveLength(1)
    expect(endpoint.tokens()[0]?.query.get('resource')).toBe('https://vault.azure.net')
  })

  it('sends one request for N concurrent callers', async () => {
    const endpoint = await imds()
    const client = new TokenClient({ managedIdentity: { clientId: MI_CLIENT }, imdsBaseUrl: endpoint.origin })
    const tokens = await Promise.all(
      Array.from({ length: 8 }, () => client.getToken('https://vault.azure.net')),
    )
    expect(new Set(tokens).size).toBe(1)
    expect(endpoint.tokens()).toHaveLength(1)
    expect(endpoint.tokens()[0]?.query.get('client_id')).toBe(MI_CLIENT)
  })

  it('asks again on forceRefresh', async () => {
    const endpoint = await imds()
    const client = new TokenClient({ managedIdentity: {}, imdsBaseUrl: endpoint.origin })
    await client.getToken('https://vault.azure.net')
    await client.getToken('https://vault.azure.net', { forceRefresh: true })
    expect(endpoint.tokens()).toHaveLength(2)
  })

  it('says in describe() which source and identity it uses, and never the token', async () => {
    const endpoint = await imds()
    const client = new TokenClient({ managedIdentity: { clientId: MI_CLIENT }, imdsBaseUrl: endpoint.origin })
    await client.getToken('https://vault.azure.net')
    expect(client.describe()).toMatchObject({
      credential: 'managed-identity',
      managedIdentity: { source: 'imds', identity: `clientId ${MI_CLIENT}` },
      cachedTokens: 1,
    })
    expect(client.clientId).toBe(MI_CLIENT)
    expect(inspect(client)).not.toContain('mi-access-token')
  })

  it('refuses a per-call tenant and the options of an app registration', async () => {
    const endpoint = await imds()
    const client = new TokenClient({ managedIdentity: {}, imdsBaseUrl: endpoint.origin })
    await expect(client.getToken('https://vault.azure.net', { tenant: TENANT })).rejects.toMatchObject({
      path: 'tenant',
    })
    for (const extra of [{ tenant: TENANT }, { clientId: APP }, { credential: { clientSecret: 's' } }]) {
      expect(() => new TokenClient({ managedIdentity: {}, imdsBaseUrl: endpoint.origin, ...extra })).toThrow(
        ConfigurationError,
      )
    }
    expect(() => new TokenClient({ managedIdentity: { clientId: 'x', objectId: MI_CLIENT } })).toThrow(
      /managedIdentity/,
    )
    expect(endpoint.seen).toHaveLength(0)
  })
})

describe('credential: { managedIdentity }: the secretless app', () => {
  it("sends the identity's exchange token as the client assertion, fetched once for many app tokens", async () => {
    const endpoint = await imds()
    const authority = await startIdentityServer(() => ({
      body: { access_token: 'app-token-abcdefghij', token_type: 'Bearer', expires_in: 3599 },
    }))
    servers.push(authority)
    const client = new TokenClient({
      tenant: TENANT,
      clientId: APP,
      authorityHost: authority.origin,
      credential: { managedIdentity: { clientId: MI_CLIENT } },
      imdsBaseUrl: endpoint.origin,
    })
    await client.getToken('api://myapis/one')
    await client.getToken('api://myapis/two')
    expect(endpoint.tokens()).toHaveLength(1)
    expect(endpoint.tokens()[0]?.query.get('resource')).toBe('api://AzureADTokenExchange')
    expect(authority.seen).toHaveLength(2)
    for (const seen of authority.seen) {
      const form = new URLSearchParams(seen.body)
      expect(form.get('client_assertion')).toBe('mi-access-token-0123456789')
      expect(form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
      expect(form.get('client_id')).toBe(APP)
    }
    expect(client.describe()).toMatchObject({ credential: 'managed-identity', tenant: TENANT })
  })

  it('on AADSTS700027 gets the identity a new exchange token and sends it once more', async () => {
    const endpoint = await imds()
    const refused = {
      status: 401,
      body: {
        error: 'invalid_client',
        error_description: 'AADSTS700027: assertion refused.',
        error_codes: [700027],
      },
    }
    const granted = { body: { access_token: 'app-token-abcdefghij', token_type: 'Bearer', expires_in: 3599 } }
    const authority = await startIdentityServer([refused, granted])
    servers.push(authority)
    const client = new TokenClient({
      tenant: TENANT,
      clientId: APP,
      authorityHost: authority.origin,
      credential: { managedIdentity: {} },
      imdsBaseUrl: endpoint.origin,
    })
    expect((await client.getToken('api://myapis/one')).accessToken).toBe('app-token-abcdefghij')
    expect(authority.seen).toHaveLength(2)
    expect(endpoint.tokens()).toHaveLength(2)
  })

  it('takes the audience the federated credential names', async () => {
    const endpoint = await imds()
    const authority = await startIdentityServer(() => ({
      body: { access_token: 'app-token-abcdefghij', token_type: 'Bearer', expires_in: 3599 },
    }))
    servers.push(authority)
    const client = new TokenClient({
      tenant: TENANT,
      clientId: APP,
      authorityHost: authority.origin,
      credential: { managedIdentity: {}, audience: 'api://AzureADTokenExchangeChina' },
      imdsBaseUrl: endpoint.origin,
    })
    await client.getToken('api://myapis/one', { tenant: 'fabrikam.onmicrosoft.com' })
    expect(endpoint.tokens()[0]?.query.get('resource')).toBe('api://AzureADTokenExchangeChina')
    expect(authority.seen[0]?.path).toBe('/fabrikam.onmicrosoft.com/oauth2/v2.0/token')
  })
})
