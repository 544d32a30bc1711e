import { createHash } from 'node:crypto'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type AuthorityError, ConfigurationError } from '../../src/errors.js'
import { requestManagedIdentityToken } from '../../src/managed-identity/request.js'
import { type GeneratedCertificate, generateCertificate } from '../../src/testing/x509/certificate.js'
import { useLoopbackGuard } from '../helpers/loopback-guard.js'
import { fakeTime, type IdentityServer, type Reply, startIdentityServer, tokenBody } from './server.js'

useLoopbackGuard()

const SECRET = 'service-fabric-secret-9a8b7c'
let serverCertificate: GeneratedCertificate
let otherCertificate: GeneratedCertificate

beforeAll(async () => {
  ;[serverCertificate, otherCertificate] = await Promise.all([
    generateCertificate({ commonName: 'SFManagedIdentityTokenService', ipAddresses: ['127.0.0.1'] }),
    generateCertificate({ commonName: 'SFManagedIdentityTokenService', ipAddresses: ['127.0.0.1'] }),
  ])
})

let server: IdentityServer
afterEach(async () => server?.close())

async function serviceFabric(replies: Reply[], thumbprint = serverCertificate.thumbprintHex) {
  server = await startIdentityServer(replies, {
    key: serverCertificate.privateKeyPem,
    cert: serverCertificate.certificatePem,
  })
  return {
    IDENTITY_ENDPOINT: `${server.origin}/metadata/identity/oauth2/token`,
    IDENTITY_HEADER: SECRET,
    IDENTITY_SERVER_THUMBPRINT: thumbprint,
  }
}

describe('Service Fabric', () => {
  it('sends GET ?api-version=2019-07-01-preview&resource=… with the secret header over https to the pinned server', async () => {
    const time = fakeTime()
    const environment = await serviceFabric([{ body: tokenBody(time.now, 3600) }])
    const token = await requestManagedIdentityToken({
      resource: 'https://vault.azure.net/.default',
      environment,
      clock: time.clock,
    })
    const [request] = server.seen
    expect(request?.method).toBe('GET')
    expect(request?.path).toBe('/metadata/identity/oauth2/token')
    expect([...(request?.query ?? [])]).toEqual([
      ['api-version', '2019-07-01-preview'],
      ['resource', 'https://vault.azure.net'],
    ])
    expect(request?.headers.secret).toBe(SECRET)
    expect(token.source).toBe('service-fabric')
  })

  it('accepts the thumbprint in lower case with colons', async () => {
    const time = fakeTime()
    const pretty = serverCertificate.thumbprintHex.toLowerCase().match(/../g)?.join(':') ?? ''
    const environment = await serviceFabric([{ body: tokenBody(time.now, 3600) }], pretty)
    await expect(
      requestManagedIdentityToken({ resource: 'https://vault.azure.net', environment, clock: time.clock }),
    ).resolves.toBeDefined()
  })

  it('refuses a server presenting another certificate, before the secret is sent', async () => {
    const environment = await serviceFabric([{ body: {} }], otherCertificate.thumbprintHex)
    const error = await requestManagedIdentityToken({
      resource: 'https://vault.azure.net',
      environment,
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as ConfigurationError).path).toBe('IDENTITY_SERVER_THUMBPRINT')
    expect((error as ConfigurationError).message).toContain(serverCertificate.thumbprintHex)
    expect(server.seen).toHaveLength(0)
  })

  it('asks to bypass a revoked token by its SHA-256 (token_sha256_to_refresh) and sends capabilities', async () => {
    const time = fakeTime()
    const environment = await serviceFabric([{ body: tokenBody(time.now, 3600) }])
    await requestManagedIdentityToken({
      resource: 'https://vault.azure.net',
      environment,
      clock: time.clock,
      revokedAccessToken: 'revoked-token',
      clientCapabilities: ['cp1'],
    })
    const query = server.seen[0]?.query
    expect(query?.get('token_sha256_to_refresh')).toBe(
      createHash('sha256').update('revoked-token').digest('hex'),
    )
    expect(query?.get('xms_cc')).toBe('cp1')
  })

  it('reads its { error: { code, message, correlationId } } form', async () => {
    const environment = await serviceFabric([
      {
        status: 401,
        body: {
          error: {
            correlationId: 'sf-7',
            code: 'SecretHeaderNotFound',
            message: 'Secret is not found in the request headers.',
          },
        },
      },
    ])
    const error = (await requestManagedIdentityToken({
      resource: 'https://vault.azure.net',
      environment,
    }).catch((e: unknown) => e)) as AuthorityError
    expect(error.error).toBe('SecretHeaderNotFound')
    expect(error.correlationId).toBe('sf-7')
    expect(error.hint).toMatch(/IDENTITY_HEADER/)
  })

  it('refuses a user-assigned identity: it is chosen in the cluster', async () => {
    const environment = await serviceFabric([{ body: {} }])
    const error = await requestManagedIdentityToken({
      resource: 'https://vault.azure.net',
      identity: { clientId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' },
      environment,
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as ConfigurationError).message).toMatch(/cluster/)
    expect(server.seen).toHaveLength(0)
  })
})
