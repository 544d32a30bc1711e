/**
 * Interop with an implementation nobody here wrote: panva's certified oidc-provider, DPoP on with
 * nonces required. Our client answers its nonce challenge, gets a DPoP-bound RFC 9068 token
 * (`cnf.jkt` = our key's thumbprint), and `authorizedFetch` calls an HTTPS API that `/verify` guards
 * with the provider's keys (the proof checked: htm, htu, ath, jkt, jti).
 */
import express from 'express'
import { Agent, fetch as undiciFetch } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TokenClient } from '../../src/index.js'
import { createGuard, createTokenVerifier } from '../../src/verify/index.js'
import { useLoopbackGuard } from '../helpers/loopback-guard.js'
import {
  CLIENT_ID,
  CLIENT_SECRET,
  RESOURCE,
  type RunningProvider,
  startDpopProvider,
} from '../helpers/oidc-provider-dpop.js'
import { startTlsApi, type TlsApi } from '../verify/tls-support.js'

useLoopbackGuard()

let provider: RunningProvider
let api: TlsApi
let agent: Agent

beforeAll(async () => {
  provider = await startDpopProvider()
  const verifier = createTokenVerifier({
    issuer: provider.issuer,
    jwksUri: provider.jwksUri,
    audience: RESOURCE,
    algorithms: ['ES256'],
    dpop: {},
  })
  const app = express()
  app.use('/api', createGuard(verifier).middleware())
  app.get('/api/orders', (req, res) => {
    res.json({ client: req.auth?.claims.client_id, jkt: req.auth?.binding?.jkt ?? null })
  })
  api = await startTlsApi(app)
  agent = new Agent({ connect: { ca: api.certificate.certificatePem } })
})
afterAll(async () => {
  await agent.close()
  await Promise.all([api.close(), provider.close()])
})

describe('oidc-provider (dPoP feature, nonces required)', () => {
  it.each(['ES256', 'EdDSA', 'PS256'] as const)(
    'issues a DPoP-bound token to our %s client after its nonce challenge, which our API then accepts with a proof',
    async (algorithm) => {
      provider.statuses.length = 0
      const client = new TokenClient({
        tokenEndpoint: provider.tokenEndpoint,
        clientId: CLIENT_ID,
        credential: { clientSecret: CLIENT_SECRET },
        dpop: { algorithm },
      })
      const token = await client.getToken({ scope: 'read', resource: RESOURCE })
      const thumbprint = (client.describe().dpop as { thumbprint: string }).thumbprint
      expect(token.tokenType).toBe('DPoP')
      expect(token.claims?.cnf).toEqual({ jkt: thumbprint })
      expect(provider.statuses).toEqual([400, 200])
      const call = client.authorizedFetch({
        scope: 'read',
        resource: RESOURCE,
        origins: [api.origin],
        fetch: (input, init) =>
          undiciFetch(
            input as string,
            { ...init, dispatcher: agent } as never,
          ) as unknown as Promise<Response>,
      })
      const res = await call(`${api.origin}/api/orders`)
      expect([res.status, await res.json()]).toEqual([200, { client: CLIENT_ID, jkt: thumbprint }])
      await client.close()
    },
  )

  it('a client without DPoP is refused by the provider that requires DPoP of it (RFC 9449 §5)', async () => {
    const bearer = new TokenClient({
      tokenEndpoint: provider.tokenEndpoint,
      clientId: CLIENT_ID,
      credential: { clientSecret: CLIENT_SECRET },
    })
    // the provider requires DPoP for this client: it refuses the request (RFC 9449 §5)
    await expect(bearer.getToken({ scope: 'read', resource: RESOURCE })).rejects.toMatchObject({
      code: 'ERR_AUTHORITY_REJECTED',
    })
    await bearer.close()
  })
})
