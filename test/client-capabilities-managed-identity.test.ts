/**
 * `clientCapabilities` with a managed identity as the identity: `xms_cc` in the endpoint's query
 * (docs/managed-identity.md §Requests), left out with `enableCae: false`. IMDS is a 127.0.0.1 stand-in.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { TokenClient } from '../src/client.js'
import { useLoopbackGuard } from './helpers/loopback-guard.js'
import { type IdentityServer, startIdentityServer, tokenBody } from './managed-identity/server.js'

useLoopbackGuard()

describe('clientCapabilities with a managed identity', () => {
  const servers: IdentityServer[] = []
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()))
  })

  it('sends xms_cc=cp1 in the query, and none with enableCae: false', async () => {
    const server = await startIdentityServer((request) =>
      request.headers.metadata === undefined
        ? { status: 400, body: { error: 'invalid_request' } }
        : { body: tokenBody(Date.now()) },
    )
    servers.push(server)
    const mi = new TokenClient({
      managedIdentity: {},
      imdsBaseUrl: server.origin,
      clientCapabilities: ['cp1'],
    })
    await mi.getToken('https://vault.azure.net')
    await mi.getToken('https://vault.azure.net', { enableCae: false })
    const sent = server.seen
      .filter((seen) => seen.headers.metadata === 'true')
      .map((seen) => seen.query.get('xms_cc'))
    expect(sent).toEqual(['cp1', null])
  })
})
