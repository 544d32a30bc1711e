import { TokenClient } from 'oauth-client-credentials'
import { EXAMPLE, type LocalAuthority, startLocalAuthority } from 'oauth-client-credentials/testing'
import { afterAll, beforeAll, expect, it } from 'vitest'

let authority: LocalAuthority
beforeAll(async () => {
  authority = await startLocalAuthority() // 127.0.0.1, a free port, the example registration
})
afterAll(() => authority.close())

it('gets a token with the Admin role, once', async () => {
  const client = new TokenClient({
    authorityHost: authority.url, // http is allowed for loopback hosts
    tenant: EXAMPLE.tenantId,
    clientId: EXAMPLE.clients.admin.appId,
    credential: { clientSecret: EXAMPLE.clients.admin.secret },
  })
  const token = await client.getToken('api://myapis/mywebapi')
  expect(token.claims?.roles).toEqual(['Admin'])
  await client.getToken('api://myapis/mywebapi')
  expect(authority.counters.token).toBe(1) // the second call came from the cache
})

it('survives a throttled authority', async () => {
  authority.faults.add({ kind: 'status429', retryAfter: 1 })
  const client = new TokenClient({
    authorityHost: authority.url,
    tenant: EXAMPLE.tenantId,
    clientId: EXAMPLE.clients.reader.appId,
    credential: { clientSecret: EXAMPLE.clients.reader.secret },
  })
  const token = await client.getToken('api://myapis/mywebapi')
  expect(token.claims?.roles).toEqual(['ReadOnly'])
})
