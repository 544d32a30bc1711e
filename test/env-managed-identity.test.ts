/**
 * `fromEnvironment()` choosing a managed identity: only when the environment names no secret, certificate
 * or federated token file, and either names a managed-identity source or sets AZURE_CLIENT_ID alone
 * (a user-assigned identity over IMDS). The source is detected from the environment given, and
 * `describe()` names it. Every endpoint is a 127.0.0.1 stand-in.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { TokenClient } from '../src/client.js'
import { type Environment, optionsFromEnvironment } from '../src/env.js'
import { ConfigurationError } from '../src/errors.js'
import { useLoopbackGuard } from './helpers/loopback-guard.js'
import { type IdentityServer, startIdentityServer, tokenBody } from './managed-identity/server.js'

useLoopbackGuard()

const TENANT = 'f6aba1d9-da41-4ea3-8f30-4970725586a8'
const MI_CLIENT = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'
const servers: IdentityServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

async function server(): Promise<IdentityServer> {
  const started = await startIdentityServer((request) =>
    request.path.startsWith('/metadata') && request.headers.metadata === undefined
      ? { status: 400, body: { error: 'invalid_request' } }
      : { body: tokenBody(Date.now()) },
  )
  servers.push(started)
  return started
}

describe('optionsFromEnvironment: a managed identity', () => {
  it('picks App Service from IDENTITY_ENDPOINT + IDENTITY_HEADER, system-assigned', async () => {
    const endpoint = await server()
    const env: Environment = {
      IDENTITY_ENDPOINT: `${endpoint.origin}/msi/token`,
      IDENTITY_HEADER: 'app-service-header-not-real',
    }
    const client = TokenClient.fromEnvironment({}, env)
    expect(client.describe()).toMatchObject({
      credential: 'managed-identity',
      managedIdentity: { source: 'app-service', identity: 'system-assigned' },
    })
    await client.getToken('https://vault.azure.net/.default')
    expect(endpoint.seen).toHaveLength(1)
    expect(endpoint.seen[0]?.headers['x-identity-header']).toBe('app-service-header-not-real')
    expect(endpoint.seen[0]?.query.get('client_id')).toBeNull()
  })

  it('takes AZURE_CLIENT_ID as the user-assigned identity when a source is present', async () => {
    const endpoint = await server()
    const env: Environment = {
      AZURE_CLIENT_ID: MI_CLIENT,
      AZURE_TENANT_ID: TENANT,
      IDENTITY_ENDPOINT: `${endpoint.origin}/msi/token`,
      IDENTITY_HEADER: 'app-service-header-not-real',
    }
    expect(optionsFromEnvironment(env)).toMatchObject({ managedIdentity: { clientId: MI_CLIENT } })
    const client = TokenClient.fromEnvironment({}, env)
    await client.getToken('https://vault.azure.net')
    expect(endpoint.seen[0]?.query.get('client_id')).toBe(MI_CLIENT)
  })

  it('picks Cloud Shell from MSI_ENDPOINT and Azure Arc from IDENTITY_ENDPOINT + IMDS_ENDPOINT', () => {
    const cloudShell = TokenClient.fromEnvironment(
      {},
      { MSI_ENDPOINT: 'http://127.0.0.1:50342/oauth2/token' },
    )
    expect(cloudShell.describe()).toMatchObject({ managedIdentity: { source: 'cloud-shell' } })
    const arc = TokenClient.fromEnvironment(
      {},
      {
        IDENTITY_ENDPOINT: 'http://127.0.0.1:40342/metadata/identity/oauth2/token',
        IMDS_ENDPOINT: 'http://127.0.0.1:40342',
      },
    )
    expect(arc.describe()).toMatchObject({ managedIdentity: { source: 'azure-arc' } })
  })

  it('picks Azure ML from MSI_ENDPOINT + MSI_SECRET, and Service Fabric with IDENTITY_SERVER_THUMBPRINT', () => {
    const ml = TokenClient.fromEnvironment(
      {},
      { MSI_ENDPOINT: 'http://127.0.0.1:50342/token', MSI_SECRET: 'ml-secret-not-real' },
    )
    expect(ml.describe()).toMatchObject({ managedIdentity: { source: 'azure-ml' } })
    const fabric = TokenClient.fromEnvironment(
      {},
      {
        IDENTITY_ENDPOINT: 'https://127.0.0.1:2377/metadata/identity/oauth2/token',
        IDENTITY_HEADER: 'fabric-header-not-real',
        IDENTITY_SERVER_THUMBPRINT: 'A'.repeat(40),
      },
    )
    expect(fabric.describe()).toMatchObject({ managedIdentity: { source: 'service-fabric' } })
  })

  it('takes AZURE_CLIENT_ID alone as a user-assigned identity over IMDS (AZURE_POD_IDENTITY_AUTHORITY_HOST)', async () => {
    const endpoint = await server()
    const env: Environment = {
      AZURE_CLIENT_ID: MI_CLIENT,
      AZURE_POD_IDENTITY_AUTHORITY_HOST: endpoint.origin,
    }
    const client = TokenClient.fromEnvironment({}, env)
    expect(client.describe()).toMatchObject({
      managedIdentity: {
        source: 'imds',
        endpoint: `${endpoint.origin}/metadata/identity/oauth2/token`,
        identity: `clientId ${MI_CLIENT}`,
      },
    })
    await client.getToken('https://vault.azure.net')
    const tokenRequests = endpoint.seen.filter((seen) => seen.headers.metadata === 'true')
    expect(tokenRequests.map((seen) => seen.query.get('client_id'))).toEqual([MI_CLIENT])
    expect(optionsFromEnvironment({ AZURE_CLIENT_ID: MI_CLIENT })).toMatchObject({
      managedIdentity: { clientId: MI_CLIENT },
    })
  })

  it('keeps an app credential first: a secret, certificate or federated file wins over a source', () => {
    const source = { IDENTITY_ENDPOINT: 'http://127.0.0.1:41000/msi/token', IDENTITY_HEADER: 'h' }
    const app = { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: MI_CLIENT }
    expect(optionsFromEnvironment({ ...app, ...source, AZURE_CLIENT_SECRET: 'Xq8~not-real' })).toMatchObject({
      credential: { clientSecret: 'Xq8~not-real' },
    })
    expect(
      optionsFromEnvironment({ ...app, ...source, AZURE_FEDERATED_TOKEN_FILE: '/var/run/token' }),
    ).toMatchObject({ credential: { federatedTokenFile: '/var/run/token' } })
    expect(
      optionsFromEnvironment({ ...app, ...source, AZURE_FEDERATED_TOKEN_FILE: '/t' }),
    ).not.toHaveProperty('managedIdentity')
  })

  it('still names the missing credential when AZURE_TENANT_ID and AZURE_CLIENT_ID come without a source', () => {
    expect(() => optionsFromEnvironment({ AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: MI_CLIENT })).toThrow(
      /AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH or AZURE_FEDERATED_TOKEN_FILE/,
    )
  })

  it('names AZURE_CLIENT_ID when it is not a GUID, and does not carry AZURE_AUTHORITY_HOST over', () => {
    const env = { AZURE_CLIENT_ID: 'not-a-guid', MSI_ENDPOINT: 'http://127.0.0.1:50342/oauth2/token' }
    expect(() => optionsFromEnvironment(env)).toThrow(ConfigurationError)
    expect(() => optionsFromEnvironment(env)).toThrow(/AZURE_CLIENT_ID/)
    const chosen = optionsFromEnvironment({
      MSI_ENDPOINT: 'http://127.0.0.1:50342/oauth2/token',
      AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.us',
    })
    expect(chosen).not.toHaveProperty('authorityHost')
  })

  it('takes a managedIdentity override over everything the environment says', () => {
    const options = optionsFromEnvironment(
      { AZURE_CLIENT_ID: 'ignored', MSI_ENDPOINT: 'http://127.0.0.1:50342/oauth2/token' },
      { managedIdentity: { objectId: MI_CLIENT } },
    )
    expect(options.managedIdentity).toEqual({ objectId: MI_CLIENT })
    expect(options).not.toHaveProperty('clientId')
  })

  it('names a malformed source variable, never its value', () => {
    const error = (() => {
      try {
        TokenClient.fromEnvironment(
          {},
          { IDENTITY_ENDPOINT: 'ftp://127.0.0.1/x', IDENTITY_HEADER: 'hdr-value' },
        )
      } catch (caught) {
        return caught
      }
      return undefined
    })()
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as ConfigurationError).path).toBe('IDENTITY_ENDPOINT')
    expect(String((error as Error).message)).not.toContain('hdr-value')
  })
})
