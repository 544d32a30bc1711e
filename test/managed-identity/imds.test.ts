import { afterEach, describe, expect, it } from 'vitest'
import { AuthorityError } from '../../src/errors.js'
import { ManagedIdentityUnavailableError } from '../../src/managed-identity/errors.js'
import { requestManagedIdentityToken } from '../../src/managed-identity/request.js'
import { useLoopbackGuard } from '../helpers/loopback-guard.js'
import {
  closedPort,
  fakeTime,
  type IdentityServer,
  type Reply,
  startIdentityServer,
  startSilentPort,
  tokenBody,
} from './server.js'

useLoopbackGuard()

const CLIENT_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'
const OBJECT_ID = 'f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9'
const RESOURCE_ID =
  '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/worker'
/** What a real IMDS answers to the probe (no Metadata header). */
const PROBE_ANSWER: Reply = {
  status: 400,
  body: { error: 'invalid_request', error_description: 'Required metadata header not specified' },
}

const servers: IdentityServer[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close()
})

/** An IMDS stand-in: the probe gets IMDS's 400, token requests get `replies` in turn (the last repeats). */
async function imds(replies: Reply[]) {
  let tokenRequests = 0
  const server = await startIdentityServer((request) =>
    request.headers.metadata === undefined
      ? PROBE_ANSWER
      : (replies[Math.min(tokenRequests++, replies.length - 1)] ?? 'silent'),
  )
  servers.push(server)
  const tokenRequestsSeen = () => server.seen.filter((r) => r.headers.metadata === 'true')
  return { server, tokenRequestsSeen }
}

describe('IMDS', () => {
  it('probes without the Metadata header, then sends the documented token request', async () => {
    const time = fakeTime()
    const { server } = await imds([{ body: tokenBody(time.now) }])
    const token = await requestManagedIdentityToken({
      resource: 'https://vault.azure.net/.default',
      environment: {},
      imdsBaseUrl: server.origin,
      clock: time.clock,
      himdsInstalled: () => false,
    })
    expect(server.seen).toHaveLength(2)
    const [probe, request] = server.seen
    expect(probe?.method).toBe('GET')
    expect(probe?.path).toBe('/metadata/identity/oauth2/token')
    expect(probe?.headers.metadata).toBeUndefined()
    expect(request?.method).toBe('GET')
    expect(request?.path).toBe('/metadata/identity/oauth2/token')
    expect([...(request?.query ?? [])]).toEqual([
      ['api-version', '2018-02-01'],
      ['resource', 'https://vault.azure.net'],
    ])
    expect(request?.headers.metadata).toBe('true')
    expect(request?.headers.accept).toBe('application/json')
    expect(token.accessToken).toBe('mi-access-token-0123456789')
    expect(token.source).toBe('imds')
    expect(token.expiresAt).toBe(time.now + 86_399_000)
    expect(token.refreshAt).toBe(time.now + 43_199_500)
  })

  it('reads its base URL from AZURE_POD_IDENTITY_AUTHORITY_HOST, and the option wins over it', async () => {
    const time = fakeTime()
    const viaVariable = await imds([{ body: tokenBody(time.now) }])
    const other = await imds([{ body: tokenBody(time.now) }])
    const common = {
      resource: 'https://vault.azure.net',
      clock: time.clock,
      himdsInstalled: () => false,
      probe: false,
    }
    await requestManagedIdentityToken({
      ...common,
      environment: { AZURE_POD_IDENTITY_AUTHORITY_HOST: viaVariable.server.origin },
    })
    expect(viaVariable.tokenRequestsSeen()).toHaveLength(1)
    await requestManagedIdentityToken({
      ...common,
      environment: { AZURE_POD_IDENTITY_AUTHORITY_HOST: viaVariable.server.origin },
      imdsBaseUrl: `${other.server.origin}/`,
    })
    expect(viaVariable.tokenRequestsSeen()).toHaveLength(1)
    expect(other.tokenRequestsSeen()).toHaveLength(1)
  })

  it.each([
    [{ clientId: CLIENT_ID }, 'client_id', CLIENT_ID],
    [{ objectId: OBJECT_ID }, 'object_id', OBJECT_ID],
    [{ resourceId: RESOURCE_ID }, 'msi_res_id', RESOURCE_ID],
  ])('names a user-assigned identity %o by %s', async (identity, name, value) => {
    const time = fakeTime()
    const { server, tokenRequestsSeen } = await imds([{ body: tokenBody(time.now) }])
    await requestManagedIdentityToken({
      resource: 'https://vault.azure.net',
      identity,
      environment: {},
      imdsBaseUrl: server.origin,
      clock: time.clock,
      himdsInstalled: () => false,
    })
    expect(tokenRequestsSeen()[0]?.query.get(name)).toBe(value)
  })

  it('sends client capabilities as xms_cc', async () => {
    const time = fakeTime()
    const { server, tokenRequestsSeen } = await imds([{ body: tokenBody(time.now) }])
    await requestManagedIdentityToken({
      resource: 'https://management.azure.com/',
      clientCapabilities: ['cp1', 'cp2'],
      environment: {},
      imdsBaseUrl: server.origin,
      clock: time.clock,
      himdsInstalled: () => false,
    })
    const query = tokenRequestsSeen()[0]?.query
    expect(query?.get('xms_cc')).toBe('cp1,cp2')
    expect(query?.get('resource')).toBe('https://management.azure.com/')
  })
})

describe('IMDS retries (fake clock, request counts)', () => {
  const ask = (origin: string, time: ReturnType<typeof fakeTime>) =>
    requestManagedIdentityToken({
      resource: 'https://vault.azure.net',
      environment: {},
      imdsBaseUrl: origin,
      clock: time.clock,
      sleep: time.sleep,
      himdsInstalled: () => false,
    })

  it('retries a 410 every 10 s for 70 s, then gives up with the error', async () => {
    const time = fakeTime()
    const { server, tokenRequestsSeen } = await imds([
      { status: 410, body: { error: 'gone', error_description: 'IMDS is upgrading' } },
    ])
    const error = await ask(server.origin, time).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthorityError)
    expect((error as AuthorityError).status).toBe(410)
    expect((error as AuthorityError).retryable).toBe(true)
    expect(tokenRequestsSeen()).toHaveLength(8)
    expect(time.waits).toEqual(Array(7).fill(10_000))
    expect(time.waits.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(70_000)
  })

  it('gets the token once a 410 ends', async () => {
    const time = fakeTime()
    const gone: Reply = { status: 410, body: {} }
    const { server, tokenRequestsSeen } = await imds([
      gone,
      gone,
      gone,
      { body: tokenBody(time.now + 60_000) },
    ])
    const token = await ask(server.origin, time)
    expect(token.accessToken).toBe('mi-access-token-0123456789')
    expect(tokenRequestsSeen()).toHaveLength(4)
    expect(time.waits).toEqual([10_000, 10_000, 10_000])
  })

  it('retries a 429 three times with exponential backoff (1 s, 2 s, 4 s), ignoring Retry-After', async () => {
    const time = fakeTime()
    const { server, tokenRequestsSeen } = await imds([
      { status: 429, headers: { 'retry-after': '60' }, body: 'Too Many Requests' },
    ])
    const error = (await ask(server.origin, time).catch((e: unknown) => e)) as AuthorityError
    expect(error.status).toBe(429)
    expect(error.retryAfterMs).toBe(60_000)
    expect(tokenRequestsSeen()).toHaveLength(4)
    expect(time.waits).toEqual([1000, 2000, 4000])
  })

  it('retries a 500 and returns the token that follows', async () => {
    const time = fakeTime()
    const { server, tokenRequestsSeen } = await imds([
      { status: 500, body: {} },
      { body: tokenBody(time.now + 10_000) },
    ])
    await expect(ask(server.origin, time)).resolves.toMatchObject({ source: 'imds' })
    expect(tokenRequestsSeen()).toHaveLength(2)
    expect(time.waits).toEqual([1000])
  })

  it('does not retry a 400 (identity not found)', async () => {
    const time = fakeTime()
    const { server, tokenRequestsSeen } = await imds([
      { status: 400, body: { error: 'invalid_request', error_description: 'Identity not found' } },
    ])
    const error = (await ask(server.origin, time).catch((e: unknown) => e)) as AuthorityError
    expect(error.error).toBe('invalid_request')
    expect(tokenRequestsSeen()).toHaveLength(1)
    expect(time.waits).toEqual([])
  })
})

describe('IMDS unavailable: said within 1.5 s', () => {
  /** Fails with the abort's TimeoutError instead of our error if we took 1.5 s or more. */
  const ask = (port: number) =>
    requestManagedIdentityToken({
      resource: 'https://vault.azure.net',
      environment: { AZURE_POD_IDENTITY_AUTHORITY_HOST: `http://127.0.0.1:${port}` },
      signal: AbortSignal.timeout(1500),
      himdsInstalled: () => false,
    }).catch((e: unknown) => e)

  it('on a closed port: connection refused', async () => {
    const port = await closedPort()
    const error = (await ask(port)) as ManagedIdentityUnavailableError
    expect(error).toBeInstanceOf(ManagedIdentityUnavailableError)
    expect(error.code).toBe('ERR_MANAGED_IDENTITY_UNAVAILABLE')
    expect(error.retryable).toBe(true)
    expect(error.tried).toEqual([
      { source: 'imds', url: `http://127.0.0.1:${port}/metadata/identity/oauth2/token`, outcome: 'refused' },
    ])
    expect(error.hint).toContain(`imds at http://127.0.0.1:${port}/metadata/identity/oauth2/token`)
  })

  it('on a port that accepts and never answers: the probe gives up', async () => {
    const silent = await startSilentPort()
    try {
      const error = (await ask(silent.port)) as ManagedIdentityUnavailableError
      expect(error).toBeInstanceOf(ManagedIdentityUnavailableError)
      expect(error.tried[0]?.outcome).toBe('timeout')
      expect(silent.accepted()).toBe(1)
    } finally {
      await silent.close()
    }
  })

  it('without a probe, a silent endpoint is a timeout of a live endpoint, not "unavailable"', async () => {
    const silent = await startSilentPort()
    try {
      const error = await requestManagedIdentityToken({
        resource: 'https://vault.azure.net',
        environment: {},
        imdsBaseUrl: `http://127.0.0.1:${silent.port}`,
        probe: false,
        timeoutMs: 200,
        himdsInstalled: () => false,
      }).catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'ERR_TOKEN_REQUEST_FAILED', reason: 'timeout', retryable: true })
    } finally {
      await silent.close()
    }
  })
})
