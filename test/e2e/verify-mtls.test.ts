/**
 * End to end over real loopback TLS with client certificates: a plain node:http-style handler behind
 * `guard.middleware()` on an HTTPS server that requests client certificates; Entra tokens bound to a
 * certificate (`cnf.x5t#S256`, Entra's mTLS PoP, docs/entra.md §12). The middleware reads the peer
 * certificate from the TLS socket: the token works only over a connection made with that certificate.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type GeneratedCertificate, generateCertificate } from '../../src/testing/index.js'
import { createGuard, createTokenVerifier } from '../../src/verify/index.js'
import { certificateBinding } from '../verify/dpop-support.js'
import {
  API_APP_ID,
  CLIENT_APP_ID,
  clock,
  createTestKey,
  type JwksServer,
  mint,
  startJwksServer,
  TENANT,
  type TestKey,
  v2Claims,
} from '../verify/support.js'
import { startTlsApi, type TlsApi, tlsClient } from '../verify/tls-support.js'

let signer: TestKey
let jwks: JwksServer
let api: TlsApi
let bound: GeneratedCertificate
let other: GeneratedCertificate
const clients: Array<ReturnType<typeof tlsClient>> = []

beforeAll(async () => {
  ;[signer, bound, other] = await Promise.all([
    createTestKey('entra-1'),
    generateCertificate({ commonName: 'orders-worker (bound)' }),
    generateCertificate({ commonName: 'someone else' }),
  ])
  jwks = await startJwksServer([signer])
  const verifier = createTokenVerifier({
    tenant: TENANT,
    audience: API_APP_ID,
    jwksUri: jwks.jwksUri(),
    now: clock,
  })
  const protect = createGuard(verifier).middleware()
  api = await startTlsApi(async (req: IncomingMessage, res: ServerResponse) => {
    const auth = await protect(req, res)
    if (!auth) return
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ caller: auth.appId, x5tS256: auth.binding?.x5tS256 ?? null }))
  })
})
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()))
  await Promise.all([api.close(), jwks.close()])
})

function clientWith(certificate?: GeneratedCertificate) {
  const client = tlsClient(api, certificate)
  clients.push(client)
  return client
}

const boundToken = () => mint(signer, v2Claims(certificateBinding(bound.der)))
const send = (certificate: GeneratedCertificate | undefined, authorization: string) =>
  clientWith(certificate).send('/orders', { headers: { authorization } })

describe('certificate-bound tokens over mutual TLS', () => {
  it('are accepted over a connection made with the bound certificate, as mtls_pop or Bearer', async () => {
    const token = await boundToken()
    for (const scheme of ['mtls_pop', 'Bearer']) {
      const reply = await send(bound, `${scheme} ${token}`)
      expect([reply.status, reply.body]).toEqual([
        200,
        { caller: CLIENT_APP_ID, x5tS256: bound.thumbprintSha256 },
      ])
    }
  })

  it('are refused over a connection made with another certificate (a stolen token)', async () => {
    const reply = await send(other, `mtls_pop ${await boundToken()}`)
    expect(reply.status).toBe(401)
    expect(reply.headers['www-authenticate']).toBe(
      'Bearer error="invalid_token", error_description="the token is bound to another client certificate than the one presented"',
    )
  })

  it('are refused over a connection without a client certificate', async () => {
    const reply = await send(undefined, `Bearer ${await boundToken()}`)
    expect([reply.status, reply.body]).toEqual([
      401,
      {
        error: 'invalid_token',
        error_description: 'the token is bound to a client certificate: present it over mutual TLS',
      },
    ])
  })
})

describe('unbound tokens on the same server', () => {
  it('pass as Bearer tokens whatever the certificate, and are refused under mtls_pop', async () => {
    const token = await mint(signer, v2Claims())
    expect((await send(other, `Bearer ${token}`)).body).toEqual({ caller: CLIENT_APP_ID, x5tS256: null })
    expect((await send(undefined, `Bearer ${token}`)).status).toBe(200)
    const reply = await send(bound, `mtls_pop ${token}`)
    expect([reply.status, reply.body]).toEqual([
      401,
      {
        error: 'invalid_token',
        error_description: 'the token is not bound to a certificate (no cnf.x5t#S256)',
      },
    ])
  })
})
