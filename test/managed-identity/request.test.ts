import { afterEach, describe, expect, it } from 'vitest'
import { AuthorityError, ConfigurationError, TransportError } from '../../src/errors.js'
import { requestManagedIdentityToken } from '../../src/managed-identity/request.js'
import { VERSION } from '../../src/version.js'
import { useLoopbackGuard } from '../helpers/loopback-guard.js'
import { fakeTime, type IdentityServer, type Reply, startIdentityServer, tokenBody } from './server.js'

const guard = useLoopbackGuard()

let server: IdentityServer
afterEach(async () => server?.close())

async function appService(replies: Reply[]) {
  server = await startIdentityServer(replies)
  return { IDENTITY_ENDPOINT: `${server.origin}/msi/token`, IDENTITY_HEADER: 'h' }
}

describe('requestManagedIdentityToken', () => {
  it('sends its user-agent', async () => {
    const time = fakeTime()
    const environment = await appService([{ body: tokenBody(time.now) }])
    await requestManagedIdentityToken({ resource: 'https://vault.azure.net', environment, clock: time.clock })
    expect(server.seen[0]?.headers['user-agent']).toBe(
      `oauth-client-credentials/${VERSION} node/${process.versions.node}`,
    )
  })

  it.each([
    [{ resource: 'User.Read' }, 'resource'],
    [{ resource: '' }, 'resource'],
    [{ resource: 'https://vault.azure.net', clientCapabilities: ['cp1,cp2'] }, 'clientCapabilities[0]'],
    [{ resource: 'https://vault.azure.net', connectTimeoutMs: 0 }, 'connectTimeoutMs'],
    [{ resource: 'https://vault.azure.net', timeoutMs: 1.5 }, 'timeoutMs'],
    [{ resource: 'https://vault.azure.net', maxResponseBytes: -1 }, 'maxResponseBytes'],
    [{ resource: 'https://vault.azure.net', identity: { clientId: 'x', objectId: 'y' } }, 'managedIdentity'],
  ])('refuses bad options before sending anything (%#)', async (options, path) => {
    const environment = await appService([{ body: {} }])
    const error = await requestManagedIdentityToken({ ...options, environment } as Parameters<
      typeof requestManagedIdentityToken
    >[0]).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as ConfigurationError).path).toBe(path)
    expect(server.seen).toHaveLength(0)
  })

  it('rejects with the signal’s reason when aborted, before or while waiting to retry', async () => {
    const environment = await appService([{ status: 503, body: {} }])
    const reason = new Error('shutting down')
    await expect(
      requestManagedIdentityToken({
        resource: 'https://vault.azure.net',
        environment,
        signal: AbortSignal.abort(reason),
      }),
    ).rejects.toBe(reason)
    expect(server.seen).toHaveLength(0)
    const controller = new AbortController()
    const waiting = requestManagedIdentityToken({
      resource: 'https://vault.azure.net',
      environment,
      signal: controller.signal,
      sleep: async (_ms, signal) => {
        controller.abort(reason)
        signal?.throwIfAborted()
      },
    })
    await expect(waiting).rejects.toBe(reason)
    expect(server.seen).toHaveLength(1)
  })

  it('reads at most maxResponseBytes of an answer', async () => {
    const environment = await appService([{ body: 'x'.repeat(5000) }])
    const error = await requestManagedIdentityToken({
      resource: 'https://vault.azure.net',
      environment,
      maxResponseBytes: 1000,
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TransportError)
    expect((error as TransportError).reason).toBe('body_too_large')
  })

  it('never follows a redirect: the answer is an error and nothing else is contacted', async () => {
    const environment = await appService([
      { status: 307, headers: { location: 'http://192.0.2.1/steal' }, body: {} },
    ])
    const error = await requestManagedIdentityToken({
      resource: 'https://vault.azure.net',
      environment,
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthorityError)
    expect((error as AuthorityError).status).toBe(307)
    expect(server.seen).toHaveLength(1)
    expect(guard.refused).toEqual([])
  })

  it('uses a given source as it is, without reading the environment', async () => {
    const time = fakeTime()
    const environment = await appService([{ body: tokenBody(time.now) }])
    const { AppServiceSource } = await import('../../src/managed-identity/app-service.js')
    const source = new AppServiceSource(environment.IDENTITY_ENDPOINT, 'h')
    const token = await requestManagedIdentityToken({
      resource: 'https://vault.azure.net',
      source,
      environment: { MSI_ENDPOINT: 'bad' },
      clock: time.clock,
    })
    expect(token.source).toBe('app-service')
  })
})
