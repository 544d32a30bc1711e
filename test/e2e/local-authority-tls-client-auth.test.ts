/**
 * RFC 8705 mutual-TLS client authentication in generic mode against the local authority, started with
 * https (docs/sender-constrained.md §7): a generic client (`tokenEndpoint`, `authMethod:
 * 'tls_client_auth'` or `'self_signed_tls_client_auth'`) presents its certificate in the handshake, sends
 * no secret and no assertion, and gets a token bound to that certificate (`cnf.x5t#S256`, RFC 8705 §3),
 * which `/verify` accepts only over a connection presenting the same certificate.
 */
import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { Agent, request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AuthorityError, TokenClient } from '../../src/index.js'
import {
  EXAMPLE,
  type GeneratedCertificate,
  generateCertificate,
  type LocalAuthority,
  startLocalAuthority,
} from '../../src/testing/index.js'
import { createGuard, createTokenVerifier } from '../../src/verify/index.js'
import { useLoopbackGuard } from '../helpers/loopback-guard.js'
import { serveJwks } from '../helpers/oidc-provider-mtls.js'
import { startTlsApi, type TlsApi, tlsClient } from '../verify/tls-support.js'

useLoopbackGuard()

const SCOPE = `${EXAMPLE.api.uri}/.default`
let authority: LocalAuthority
let api: TlsApi
let certificate: GeneratedCertificate
let other: GeneratedCertificate
let jwks: { url: string; close(): Promise<void> }
const closing: Array<{ close(): Promise<void> }> = []

beforeAll(async () => {
  authority = await startLocalAuthority({ https: true, issuer: 'local' })
  ;[certificate, other] = await Promise.all([
    generateCertificate({ commonName: 'orders-worker' }),
    generateCertificate({ commonName: 'someone else' }),
  ])
  const keys = await request(authority.jwksUrl(EXAMPLE.tenantId), {
    dispatcher: new Agent({ connect: { ca: authority.caPem } }),
  })
  jwks = await serveJwks(await keys.body.json())
  const verifier = createTokenVerifier({
    tenant: EXAMPLE.tenantId,
    authorityHost: authority.url,
    jwksUri: jwks.url,
    audience: [EXAMPLE.api.uri, EXAMPLE.api.appId],
  })
  const protect = createGuard(verifier).middleware()
  api = await startTlsApi(async (req: IncomingMessage, res: ServerResponse) => {
    const auth = await protect(req, res)
    if (!auth) return
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ caller: auth.appId, x5tS256: auth.binding?.x5tS256 ?? null }))
  })
}, 60_000)

afterAll(async () => {
  await Promise.all(closing.map((c) => c.close()))
  await Promise.all([authority?.close(), api?.close(), jwks?.close()])
})

/** A fresh app with `registered` as its certificate, and a generic client presenting `presented`. */
function genericClient(
  method: 'tls_client_auth' | 'self_signed_tls_client_auth',
  presented: GeneratedCertificate,
  registered: GeneratedCertificate = presented,
) {
  const appId = randomUUID()
  authority.clients.add({ appId, displayName: `generic-${method}` })
  authority.clients.addCertificate(appId, registered.certificatePem)
  authority.clients.grant(appId, EXAMPLE.api.uri, ['ReadOnly'])
  const client = new TokenClient({
    tokenEndpoint: authority.tokenEndpoint(EXAMPLE.tenantId),
    clientId: appId,
    authMethod: method,
    credential: {
      certificate: { privateKey: presented.privateKeyPem, certificate: presented.certificatePem },
    },
    mtls: { ca: [authority.caPem as string, api.certificate.certificatePem] },
  })
  closing.push(client)
  return { appId, client }
}

describe.each(['tls_client_auth', 'self_signed_tls_client_auth'] as const)(
  '%s in generic mode against the local authority',
  (method) => {
    it('presents the certificate, sends no secret or assertion, and gets a token bound to it', async () => {
      const { appId, client } = genericClient(method, certificate)
      authority.requests.clear()
      const token = await client.getToken(SCOPE)
      const sent = authority.requests.last()
      expect(sent?.status).toBe(200)
      expect(Object.keys(sent?.form ?? {}).sort()).toEqual(['client_id', 'grant_type', 'scope'])
      expect(token.tokenType).toBe('Bearer')
      expect(token.certificateThumbprint).toBe(certificate.thumbprintSha256)
      expect(token.claims?.cnf).toEqual({ 'x5t#S256': certificate.thumbprintSha256 })
      expect(token.claims?.roles).toEqual(['ReadOnly'])
      expect(token.claims?.azp ?? token.claims?.appid).toBe(appId)
    })

    it('calls an API guarded by /verify over the same certificate; the token over another is refused', async () => {
      const { appId, client } = genericClient(method, certificate)
      const fetchApi = client.authorizedFetch({ scope: SCOPE, origins: [api.origin] })
      const res = await fetchApi(`${api.origin}/orders`)
      expect([res.status, await res.json()]).toEqual([
        200,
        { caller: appId, x5tS256: certificate.thumbprintSha256 },
      ])
      const token = await client.getToken(SCOPE)
      const withToken = { headers: { authorization: `Bearer ${token.accessToken}` } }
      const none = tlsClient(api)
      const another = tlsClient(api, other)
      closing.push(none, another)
      expect((await none.send('/orders', withToken)).status).toBe(401)
      expect((await another.send('/orders', withToken)).status).toBe(401)
    })

    it('is refused for a certificate not registered on the app (AADSTS700027)', async () => {
      const { client } = genericClient(method, other, certificate)
      const attempt = client.getToken(SCOPE)
      await expect(attempt).rejects.toBeInstanceOf(AuthorityError)
      await expect(attempt).rejects.toMatchObject({ aadstsCodes: [700027] })
    })
  },
)
