/**
 * Interop with an implementation nobody here wrote: panva's certified oidc-provider, its mTLS feature on
 * (RFC 8705: `tls_client_auth`, `self_signed_tls_client_auth`, certificate-bound access tokens) and
 * `private_key_jwt` with bare keys, on https loopback servers. Our client gets a certificate-bound token
 * with each method and calls an API protected by `/verify`, which checks the binding against the TLS
 * peer certificate: over the client's own connection it passes, over any other it is refused.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { Agent, request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TokenClient } from '../../src/index.js'
import { type GeneratedCertificate, generateCertificate } from '../../src/testing/index.js'
import { createGuard, createTokenVerifier } from '../../src/verify/index.js'
import {
  type ProviderClient,
  publicJwk,
  RESOURCE,
  type RunningProvider,
  startOidcProvider,
} from '../helpers/oidc-provider-mtls.js'
import { startTlsApi, type TlsApi, tlsClient } from '../verify/tls-support.js'

let clientCa: GeneratedCertificate
let caIssued: GeneratedCertificate
let selfSigned: GeneratedCertificate
let provider: RunningProvider
let api: TlsApi
const closing: Array<{ close(): Promise<void> }> = []

const KEYS = {
  RS256: generateKeyPairSync('rsa', { modulusLength: 2048 }),
  PS256: generateKeyPairSync('rsa', { modulusLength: 2048 }),
  ES256: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  EdDSA: generateKeyPairSync('ed25519'),
} as const
type Algorithm = keyof typeof KEYS

const target = { scope: 'read', resource: RESOURCE }

beforeAll(async () => {
  clientCa = await generateCertificate({ commonName: 'interop client CA', isCa: true })
  ;[caIssued, selfSigned] = await Promise.all([
    generateCertificate({ commonName: 'orders-worker', issuer: clientCa, isCa: false }),
    generateCertificate({ commonName: 'self-signed worker' }),
  ])
  const clients: ProviderClient[] = [
    {
      client_id: 'tls-client',
      token_endpoint_auth_method: 'tls_client_auth',
      tls_client_auth_subject_dn: 'CN=orders-worker',
      tls_client_certificate_bound_access_tokens: true,
    },
    {
      client_id: 'self-signed-client',
      token_endpoint_auth_method: 'self_signed_tls_client_auth',
      jwks: { keys: [publicJwk(selfSigned.publicKey, { x5c: [selfSigned.der.toString('base64')] })] },
      tls_client_certificate_bound_access_tokens: true,
    },
    ...(Object.keys(KEYS) as Algorithm[]).map((alg) => ({
      client_id: `key-${alg}`,
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: alg,
      jwks: { keys: [publicJwk(KEYS[alg].publicKey, { kid: `key-${alg}` })] },
    })),
  ]
  provider = await startOidcProvider(clients, clientCa)
  const verifier = createTokenVerifier({
    profile: 'rfc9068',
    issuer: provider.issuer,
    jwksUri: provider.jwksUri,
    audience: RESOURCE,
    algorithms: ['ES256'],
  })
  const protect = createGuard(verifier).middleware()
  api = await startTlsApi(async (req: IncomingMessage, res: ServerResponse) => {
    const auth = await protect(req, res)
    if (!auth) return
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ client: auth.claims.client_id, x5tS256: auth.binding?.x5tS256 ?? null }))
  })
}, 60_000)

afterAll(async () => {
  await Promise.all(closing.map((c) => c.close()))
  await Promise.all([provider?.close(), api?.close()])
})

function mtlsClient(
  clientId: string,
  method: 'tls_client_auth' | 'self_signed_tls_client_auth',
  certificate: GeneratedCertificate,
) {
  const client = new TokenClient({
    tokenEndpoint: provider.tokenEndpoint,
    clientId,
    authMethod: method,
    credential: {
      certificate: { privateKey: certificate.privateKeyPem, certificate: certificate.certificatePem },
    },
    mtls: { ca: [provider.serverCertificate.certificatePem, api.certificate.certificatePem] },
  })
  closing.push(client)
  return client
}

describe.each([
  ['tls_client_auth', 'tls-client', () => caIssued],
  ['self_signed_tls_client_auth', 'self-signed-client', () => selfSigned],
] as const)('%s with oidc-provider', (method, clientId, certificate) => {
  it('gets a token bound to the certificate presented in the handshake', async () => {
    const client = mtlsClient(clientId, method, certificate())
    const token = await client.getToken(target)
    expect(token.tokenType).toBe('Bearer')
    expect(token.certificateThumbprint).toBe(certificate().thumbprintSha256)
    expect(token.claims?.cnf).toEqual({ 'x5t#S256': certificate().thumbprintSha256 })
    expect(token.claims?.client_id).toBe(clientId)
  })

  it('calls the API through authorizedFetch over the same certificate', async () => {
    const client = mtlsClient(clientId, method, certificate())
    const fetchApi = client.authorizedFetch({ ...target, origins: [api.origin] })
    const res = await fetchApi(`${api.origin}/orders`)
    expect([res.status, await res.json()]).toEqual([
      200,
      { client: clientId, x5tS256: certificate().thumbprintSha256 },
    ])
  })

  it('calls the API through the interceptor, whose own agent presents no certificate', async () => {
    const client = mtlsClient(clientId, method, certificate())
    const agent = new Agent({ connect: { ca: api.certificate.certificatePem } }).compose(
      client.interceptor({ [api.origin]: target }),
    )
    closing.push(agent)
    const res = await request(`${api.origin}/orders`, { dispatcher: agent })
    expect([res.statusCode, await res.body.json()]).toEqual([
      200,
      { client: clientId, x5tS256: certificate().thumbprintSha256 },
    ])
  })

  it('gets a token the API refuses over a connection without the certificate', async () => {
    const client = mtlsClient(clientId, method, certificate())
    const token = await client.getToken(target)
    const thief = tlsClient(api)
    const stranger = tlsClient(api, selfSigned === certificate() ? caIssued : selfSigned)
    closing.push(thief, stranger)
    const withToken = { headers: { authorization: `Bearer ${token.accessToken}` } }
    expect((await thief.send('/orders', withToken)).status).toBe(401)
    expect((await stranger.send('/orders', withToken)).status).toBe(401)
  })
})

describe('private_key_jwt with a bare key (no certificate) against oidc-provider', () => {
  const forms: Record<Algorithm, (key: KeyObject) => unknown> = {
    RS256: (key) => key.export({ type: 'pkcs8', format: 'pem' }),
    PS256: (key) => key,
    ES256: (key) => ({ ...key.export({ format: 'jwk' }), kid: 'key-ES256' }),
    EdDSA: (key) => key.export({ type: 'pkcs8', format: 'pem' }),
  }

  it.each(Object.keys(KEYS) as Algorithm[])('gets a token signing with %s', async (alg) => {
    const dispatcher = new Agent({ connect: { ca: provider.serverCertificate.certificatePem } })
    closing.push(dispatcher)
    const client = new TokenClient({
      tokenEndpoint: provider.tokenEndpoint,
      clientId: `key-${alg}`,
      credential: {
        privateKey: forms[alg](KEYS[alg].privateKey) as string,
        algorithm: alg,
        ...(alg === 'ES256' ? {} : { keyId: `key-${alg}` }),
      },
      http: { dispatcher },
    })
    closing.push(client)
    const token = await client.getToken(target)
    expect(token.claims?.client_id).toBe(`key-${alg}`)
    expect(token.certificateThumbprint).toBeUndefined()
  })
})
