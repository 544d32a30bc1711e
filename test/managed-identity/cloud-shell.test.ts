import { afterEach, describe, expect, it } from 'vitest'
import { AuthorityError, ConfigurationError } from '../../src/errors.js'
import { requestManagedIdentityToken } from '../../src/managed-identity/request.js'
import { useLoopbackGuard } from '../helpers/loopback-guard.js'
import { fakeTime, type IdentityServer, type Reply, startIdentityServer, tokenBody } from './server.js'

useLoopbackGuard()

let server: IdentityServer
afterEach(async () => server?.close())

async function cloudShell(replies: Reply[]) {
  server = await startIdentityServer(replies)
  return { MSI_ENDPOINT: `${server.origin}/oauth2/token` }
}

describe('Cloud Shell', () => {
  it('POSTs resource=… as a form to MSI_ENDPOINT with Metadata: true', async () => {
    const time = fakeTime()
    const environment = await cloudShell([{ body: tokenBody(time.now, 3600) }])
    const token = await requestManagedIdentityToken({
      resource: 'https://management.core.windows.net/.default',
      environment,
      clock: time.clock,
    })
    const [request] = server.seen
    expect(request?.method).toBe('POST')
    expect(request?.path).toBe('/oauth2/token')
    expect([...(request?.query ?? [])]).toEqual([])
    expect(request?.headers.metadata).toBe('true')
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect(request?.body).toBe('resource=https%3A%2F%2Fmanagement.core.windows.net')
    expect(token.source).toBe('cloud-shell')
  })

  it('sends client capabilities as xms_cc in the query', async () => {
    const time = fakeTime()
    const environment = await cloudShell([{ body: tokenBody(time.now, 3600) }])
    await requestManagedIdentityToken({
      resource: 'https://vault.azure.net',
      clientCapabilities: ['cp1'],
      environment,
      clock: time.clock,
    })
    expect(server.seen[0]?.query.get('xms_cc')).toBe('cp1')
  })

  it('reads its { error: { code, message } } form', async () => {
    const environment = await cloudShell([
      { status: 400, body: { error: { code: 'BadRequest', message: 'Resource not supported' } } },
    ])
    const error = (await requestManagedIdentityToken({
      resource: 'https://vault.azure.net',
      environment,
    }).catch((e: unknown) => e)) as AuthorityError
    expect(error).toBeInstanceOf(AuthorityError)
    expect(error.error).toBe('BadRequest')
    expect(error.errorDescription).toBe('Resource not supported')
    expect(error.message).toContain('Cloud Shell')
  })

  it('refuses a user-assigned identity before sending anything', async () => {
    const environment = await cloudShell([{ body: {} }])
    const error = await requestManagedIdentityToken({
      resource: 'https://vault.azure.net',
      identity: { clientId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' },
      environment,
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as ConfigurationError).message).toMatch(/Cloud Shell/)
    expect(server.seen).toHaveLength(0)
  })
})
