import { afterEach, describe, expect, it } from 'vitest'
import { ConfigurationError } from '../../src/errors.js'
import { requestManagedIdentityToken } from '../../src/managed-identity/request.js'
import { useLoopbackGuard } from '../helpers/loopback-guard.js'
import { fakeTime, type IdentityServer, startIdentityServer, tokenBody } from './server.js'

useLoopbackGuard()

const MSI_SECRET = 'azure-ml-msi-secret-0b0e5c1a'
const DEFAULT_ID = 'c0ffee00-0000-4000-8000-000000000000'
const USER_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'

let server: IdentityServer
afterEach(async () => server?.close())

async function azureMl(withDefault = true) {
  const time = fakeTime()
  server = await startIdentityServer([{ body: tokenBody(time.now, 3600) }])
  const environment = {
    MSI_ENDPOINT: `${server.origin}/msi/token/`,
    MSI_SECRET,
    ...(withDefault ? { DEFAULT_IDENTITY_CLIENT_ID: DEFAULT_ID } : {}),
  }
  return { time, environment }
}

describe('Azure Machine Learning', () => {
  it('sends GET {MSI_ENDPOINT}?api-version=2017-09-01&resource=…&clientid=DEFAULT_IDENTITY_CLIENT_ID with Metadata and secret', async () => {
    const { time, environment } = await azureMl()
    const token = await requestManagedIdentityToken({
      resource: 'https://storage.azure.com/',
      environment,
      clock: time.clock,
    })
    const [request] = server.seen
    expect(request?.method).toBe('GET')
    expect(request?.path).toBe('/msi/token/')
    expect([...(request?.query ?? [])]).toEqual([
      ['api-version', '2017-09-01'],
      ['resource', 'https://storage.azure.com/'],
      ['clientid', DEFAULT_ID],
    ])
    expect(request?.headers.metadata).toBe('true')
    expect(request?.headers.secret).toBe(MSI_SECRET)
    expect(token.source).toBe('azure-ml')
  })

  it('names a user-assigned identity by clientid (the 2017 spelling)', async () => {
    const { time, environment } = await azureMl()
    await requestManagedIdentityToken({
      resource: 'https://storage.azure.com/',
      identity: { clientId: USER_ID },
      environment,
      clock: time.clock,
    })
    expect(server.seen[0]?.query.getAll('clientid')).toEqual([USER_ID])
  })

  it('sends no clientid for the system identity when DEFAULT_IDENTITY_CLIENT_ID is unset', async () => {
    const { time, environment } = await azureMl(false)
    await requestManagedIdentityToken({
      resource: 'https://storage.azure.com/',
      environment,
      clock: time.clock,
    })
    expect(server.seen[0]?.query.has('clientid')).toBe(false)
  })

  it('refuses objectId before sending anything, pointing at clientId', async () => {
    const { environment } = await azureMl()
    const error = await requestManagedIdentityToken({
      resource: 'https://storage.azure.com/',
      identity: { objectId: USER_ID },
      environment,
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as ConfigurationError).hint).toMatch(/managedIdentity\.clientId/)
    expect(server.seen).toHaveLength(0)
  })
})
