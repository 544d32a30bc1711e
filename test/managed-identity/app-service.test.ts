import { inspect } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { AuthorityError, ConfigurationError } from '../../src/errors.js'
import { ManagedIdentityUnavailableError } from '../../src/managed-identity/errors.js'
import { requestManagedIdentityToken } from '../../src/managed-identity/request.js'
import { useLoopbackGuard } from '../helpers/loopback-guard.js'
import {
  closedPort,
  fakeTime,
  type IdentityServer,
  type Reply,
  startIdentityServer,
  tokenBody,
} from './server.js'

useLoopbackGuard()

const HEADER_SECRET = 'app-service-header-secret-5f1b2c3d'
const RESOURCE_ID =
  '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/worker'

const servers: IdentityServer[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close()
})

async function appService(replies: Reply[]) {
  const server = await startIdentityServer(replies)
  servers.push(server)
  const environment = { IDENTITY_ENDPOINT: `${server.origin}/msi/token`, IDENTITY_HEADER: HEADER_SECRET }
  return { server, environment }
}

describe('App Service / Functions', () => {
  it('sends GET {IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=… with X-IDENTITY-HEADER, and no probe', async () => {
    const time = fakeTime()
    const { server, environment } = await appService([{ body: tokenBody(time.now) }])
    const token = await requestManagedIdentityToken({
      resource: 'https://vault.azure.net/.default',
      environment,
      clock: time.clock,
    })
    expect(server.seen).toHaveLength(1)
    const [request] = server.seen
    expect(request?.method).toBe('GET')
    expect(request?.path).toBe('/msi/token')
    expect([...(request?.query ?? [])]).toEqual([
      ['api-version', '2019-08-01'],
      ['resource', 'https://vault.azure.net'],
    ])
    expect(request?.headers['x-identity-header']).toBe(HEADER_SECRET)
    expect(request?.headers.metadata).toBeUndefined()
    expect(token.source).toBe('app-service')
  })

  it('names a user-assigned identity by mi_res_id (not IMDS’s msi_res_id)', async () => {
    const time = fakeTime()
    const { server, environment } = await appService([{ body: tokenBody(time.now) }])
    await requestManagedIdentityToken({
      resource: 'https://vault.azure.net',
      identity: { resourceId: RESOURCE_ID },
      environment,
      clock: time.clock,
    })
    expect(server.seen[0]?.query.get('mi_res_id')).toBe(RESOURCE_ID)
    expect(server.seen[0]?.query.has('msi_res_id')).toBe(false)
  })

  it('honours Retry-After on 429, three retries at most', async () => {
    const time = fakeTime()
    const throttled: Reply = {
      status: 429,
      headers: { 'retry-after': '3' },
      body: { statusCode: 429, message: 'Too many requests' },
    }
    const { server, environment } = await appService([throttled])
    const error = (await requestManagedIdentityToken({
      resource: 'https://vault.azure.net',
      environment,
      clock: time.clock,
      sleep: time.sleep,
    }).catch((e: unknown) => e)) as AuthorityError
    expect(error).toBeInstanceOf(AuthorityError)
    expect(server.seen).toHaveLength(4)
    expect(time.waits).toEqual([3000, 3000, 3000])
  })

  it('waits 1 s between retries when no Retry-After is given, and returns the token that follows', async () => {
    const time = fakeTime()
    const { server, environment } = await appService([
      { status: 503, body: {} },
      { body: tokenBody(time.now + 5000) },
    ])
    await requestManagedIdentityToken({
      resource: 'https://vault.azure.net',
      environment,
      clock: time.clock,
      sleep: time.sleep,
    })
    expect(server.seen).toHaveLength(2)
    expect(time.waits).toEqual([1000])
  })

  it('reports a refused secret with the variable to check, and never the secret', async () => {
    const { environment } = await appService([
      { status: 401, body: { statusCode: 401, message: 'Unauthorized', correlationId: 'c-1' } },
    ])
    const error = (await requestManagedIdentityToken({
      resource: 'https://vault.azure.net',
      environment,
    }).catch((e: unknown) => e)) as AuthorityError
    expect(error.correlationId).toBe('c-1')
    expect(error.hint).toMatch(/IDENTITY_HEADER/)
    expect(`${inspect(error)} ${JSON.stringify(error)} ${error.message}`).not.toContain(HEADER_SECRET)
  })

  it('is unavailable at once when nothing listens on IDENTITY_ENDPOINT', async () => {
    const port = await closedPort()
    const error = await requestManagedIdentityToken({
      resource: 'https://vault.azure.net',
      environment: {
        IDENTITY_ENDPOINT: `http://127.0.0.1:${port}/msi/token`,
        IDENTITY_HEADER: HEADER_SECRET,
      },
      signal: AbortSignal.timeout(1500),
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ManagedIdentityUnavailableError)
    expect((error as ManagedIdentityUnavailableError).tried).toEqual([
      { source: 'app-service', url: `http://127.0.0.1:${port}/msi/token`, outcome: 'refused' },
    ])
    expect((error as ManagedIdentityUnavailableError).hint).toMatch(/environment names/)
  })

  it('checks the identity before sending anything', async () => {
    const { server, environment } = await appService([{ body: {} }])
    const error = await requestManagedIdentityToken({
      resource: 'https://vault.azure.net',
      identity: { clientId: 'nope' },
      environment,
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigurationError)
    expect(server.seen).toHaveLength(0)
  })
})
