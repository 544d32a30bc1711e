/**
 * A DPoP-bound token is useless as a Bearer token, and the Azure SDK sends what a TokenCredential gives
 * it as `Bearer`: the adapter refuses a DPoP source up front, and any DPoP token a source hands it.
 */
import { describe, expect, it } from 'vitest'
import { toTokenCredential } from '../../src/attach/azure.js'
import type { TokenSource } from '../../src/attach/source.js'
import { TokenClient } from '../../src/client.js'
import { createDpopKey } from '../../src/dpop/key.js'
import { attachDpopSession, DpopSession } from '../../src/dpop/session.js'
import { ConfigurationError } from '../../src/errors.js'
import { AccessToken } from '../../src/token.js'

const NOW = Date.now()
const token = (tokenType: 'Bearer' | 'DPoP' | undefined) =>
  new AccessToken({
    accessToken: 'tok-1',
    requestedAt: NOW - 1000,
    expiresAt: NOW + 3_600_000,
    refreshAt: NOW + 3_000_000,
    scope: 'orders',
    tenant: undefined,
    ...(tokenType === undefined ? {} : { tokenType }),
  })

describe('asTokenCredential and DPoP', () => {
  it('refuses a DPoP client, naming the option', () => {
    const client = new TokenClient({
      tokenEndpoint: 'http://127.0.0.1:1/token',
      clientId: 'app',
      credential: { clientSecret: 'not-a-real-secret' },
      dpop: true,
    })
    expect(() => client.asTokenCredential()).toThrow(ConfigurationError)
    expect(() => client.asTokenCredential()).toThrow(/dpop/)
  })

  it('refuses any source with a DPoP session', () => {
    const source: TokenSource = { getToken: async () => token('DPoP') }
    attachDpopSession(source, new DpopSession(createDpopKey({}), { now: () => Date.now() }))
    expect(() => toTokenCredential(source)).toThrow(ConfigurationError)
  })

  it('refuses a DPoP token handed over by a source of its own, and passes Bearer tokens', async () => {
    const dpop = toTokenCredential({ getToken: async () => token('DPoP') })
    await expect(dpop.getToken('orders')).rejects.toThrow(ConfigurationError)
    const bearer = toTokenCredential({ getToken: async () => token('Bearer') })
    await expect(bearer.getToken('orders')).resolves.toMatchObject({ token: 'tok-1' })
    const untyped = toTokenCredential({ getToken: async () => token(undefined) })
    await expect(untyped.getToken('orders')).resolves.toMatchObject({ token: 'tok-1' })
  })
})
