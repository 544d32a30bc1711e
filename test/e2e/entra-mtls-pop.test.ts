/**
 * Entra mTLS proof of possession (docs/entra.md §12) end to end over real loopback TLS: the local
 * authority, started with https, serves the `mtlsauth`-shaped endpoint on its own host (it asks every
 * client for a certificate); the client presents its registered certificate as the credential (no
 * assertion), asks for `token_type=mtls_pop`, gets a token bound to the certificate (`cnf.x5t#S256`),
 * and attaches it as `mtls_pop …` over a connection presenting the same certificate to an API protected
 * by `/verify`, which refuses the token over any connection without that certificate.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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
import { serveJwks } from '../helpers/oidc-provider-mtls.js'
import { startTlsApi, type TlsApi, tlsClient } from '../verify/tls-support.js'

const APP = EXAMPLE.clients.admin.appId
let authority: LocalAuthority
let api: TlsApi
let registered: GeneratedCertificate
let unregistered: GeneratedCertificate
let jwks: { url: string; close(): Promise<void> }
const closing: Array<{ close(): Promise<void> }> = []

beforeAll(async () => {
  authority = await startLocalAuthority({ https: true, issuer: 'local' })
  ;[registered, unregistered] = await Promise.all([
    generateCertificate({ commonName: 'orders-worker' }),
    generateCertificate({ commonName: 'not registered' }),
  ])
  authority.clients.addCertificate(APP, registered.certificatePem)
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
    const scheme = req.headers.authorization?.split(' ')[0]
    res.end(JSON.stringify({ scheme, x5tS256: auth.binding?.x5tS256 ?? null }))
  })
}, 60_000)

afterAll(async () => {
  await Promise.all(closing.map((c) => c.close()))
  await Promise.all([authority?.close(), api?.close(), jwks?.close()])
})

function popClient(certificate: GeneratedCertificate) {
  const client = new TokenClient({
    tenant: EXAMPLE.tenantId,
    clientId: APP,
    authorityHost: authority.url,
    credential: {
      certificate: { privateKey: certificate.privateKeyPem, certificate: certificate.certificatePem },
    },
    mtlsProofOfPossession: true,
    mtls: { ca: [authority.caPem as string, api.certificate.certificatePem] },
  })
  closing.push(client)
  return client
}

describe('Entra mTLS PoP against the local authority', () => {
  it('sends the certificate in the handshake and token_type=mtls_pop, no assertion, to the tenant endpoint of the same host', async () => {
    authority.requests.clear()
    const token = await popClient(registered).getToken(EXAMPLE.api.uri)
    expect(token.tokenType).toBe('mtls_pop')
    expect(token.certificateThumbprint).toBe(registered.thumbprintSha256)
    expect(token.claims?.cnf).toEqual({ 'x5t#S256': registered.thumbprintSha256 })
    const sent = authority.requests.last()
    expect(sent?.path).toBe(`/${EXAMPLE.tenantId}/oauth2/v2.0/token`)
    expect(sent?.form?.token_type).toBe('mtls_pop')
    expect(Object.keys(sent?.form ?? {}).sort()).toEqual(['client_id', 'grant_type', 'scope', 'token_type'])
  })

  it('attaches the token as mtls_pop over the same certificate (authorizedFetch and the interceptor)', async () => {
    const client = popClient(registered)
    const fetchApi = client.authorizedFetch({ resource: EXAMPLE.api.uri, origins: [api.origin] })
    const res = await fetchApi(`${api.origin}/orders`)
    const expected = { scheme: 'mtls_pop', x5tS256: registered.thumbprintSha256 }
    expect([res.status, await res.json()]).toEqual([200, expected])
    const agent = new Agent({ connect: { ca: api.certificate.certificatePem } }).compose(
      client.interceptor({ [api.origin]: EXAMPLE.api.uri }),
    )
    closing.push(agent)
    const viaInterceptor = await request(`${api.origin}/orders`, { dispatcher: agent })
    expect([viaInterceptor.statusCode, await viaInterceptor.body.json()]).toEqual([200, expected])
  })

  it('gets a token /verify refuses without its certificate, or with another one', async () => {
    const token = await popClient(registered).getToken(EXAMPLE.api.uri)
    const withToken = { headers: { authorization: `mtls_pop ${token.accessToken}` } }
    const none = tlsClient(api)
    const other = tlsClient(api, unregistered)
    closing.push(none, other)
    expect((await none.send('/orders', withToken)).status).toBe(401)
    expect((await other.send('/orders', withToken)).status).toBe(401)
  })

  it('is refused by the authority for a certificate not registered on the app (AADSTS700027)', async () => {
    const attempt = popClient(unregistered).getToken(EXAMPLE.api.uri)
    await expect(attempt).rejects.toBeInstanceOf(AuthorityError)
    await expect(attempt).rejects.toMatchObject({ aadstsCodes: [700027] })
  })
})

describe('a rotated certificate file', () => {
  it('rotates the token and the connection together: the next token is bound to the new certificate and sent over it', async () => {
    const rotated = await generateCertificate({ commonName: 'orders-worker (rotated)' })
    authority.clients.addCertificate(APP, rotated.certificatePem)
    const path = join(mkdtempSync(join(tmpdir(), 'mtls-rotation-')), 'client.pem')
    const write = (c: GeneratedCertificate) => writeFileSync(path, `${c.privateKeyPem}${c.certificatePem}`)
    write(registered)
    let now = Date.now()
    const client = new TokenClient({
      tenant: EXAMPLE.tenantId,
      clientId: APP,
      authorityHost: authority.url,
      credential: { certificatePath: path },
      mtlsProofOfPossession: true,
      mtls: { ca: [authority.caPem as string, api.certificate.certificatePem] },
      clock: { now: () => now },
    })
    closing.push(client)
    const fetchApi = client.authorizedFetch({ resource: EXAMPLE.api.uri, origins: [api.origin] })
    const before = await client.getToken(EXAMPLE.api.uri)
    expect(((await (await fetchApi(`${api.origin}/orders`)).json()) as { x5tS256: string }).x5tS256).toBe(
      registered.thumbprintSha256,
    )
    write(rotated)
    now += 31_000 // past the file's re-check interval
    const after = await client.getToken(EXAMPLE.api.uri, { forceRefresh: true })
    expect([before.certificateThumbprint, after.certificateThumbprint]).toEqual([
      registered.thumbprintSha256,
      rotated.thumbprintSha256,
    ])
    expect(after.claims?.cnf).toEqual({ 'x5t#S256': rotated.thumbprintSha256 })
    expect(((await (await fetchApi(`${api.origin}/orders`)).json()) as { x5tS256: string }).x5tS256).toBe(
      rotated.thumbprintSha256,
    )
    expect(client.certificateDispatcher(after)).toBeDefined()
    expect(client.certificateDispatcher(after)).not.toBe(client.certificateDispatcher(before))
  })
})
