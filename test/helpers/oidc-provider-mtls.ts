/**
 * panva's oidc-provider (certified, written by nobody here) on an https loopback server that asks for
 * client certificates, with its `mTLS` feature on (`tls_client_auth`, `self_signed_tls_client_auth`,
 * certificate-bound access tokens) and client credentials issuing RFC 9068 JWT access tokens for one
 * resource, so that an API protected by `/verify` can check them (signature, `cnf.x5t#S256`).
 */

import { generateKeyPairSync, type JsonWebKey, X509Certificate } from 'node:crypto'
import { once } from 'node:events'
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http'
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { TLSSocket } from 'node:tls'
import { type GeneratedCertificate, generateCertificate } from '../../src/testing/index.js'

/** The resource (RFC 8707) the provider issues JWT access tokens for. */
export const RESOURCE = 'https://api.example.test/'

export interface ProviderClient {
  client_id: string
  token_endpoint_auth_method: string
  [metadata: string]: unknown
}

export interface RunningProvider {
  issuer: string
  tokenEndpoint: string
  /** The provider's server certificate, for clients to trust. */
  serverCertificate: GeneratedCertificate
  /** An http loopback URL serving the provider's public signing keys (for `/verify`). */
  jwksUri: string
  close(): Promise<void>
}

type ProviderContext = { socket: TLSSocket }
type ProviderCtor = new (
  issuer: string,
  configuration: Record<string, unknown>,
) => {
  callback(): (req: unknown, res: unknown) => void
  on(event: string, listener: (...args: unknown[]) => void): void
}

/** Starts oidc-provider with `clients`; client certificates are trusted when issued by `clientCa`. */
export async function startOidcProvider(
  clients: ProviderClient[],
  clientCa: GeneratedCertificate,
): Promise<RunningProvider> {
  const serverCertificate = await generateCertificate({ commonName: '127.0.0.1', ipAddresses: ['127.0.0.1'] })
  const server: Server = createServer({
    key: serverCertificate.privateKeyPem,
    cert: serverCertificate.certificatePem,
    ca: [clientCa.certificatePem],
    requestCert: true,
    rejectUnauthorized: false,
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const issuer = `https://127.0.0.1:${(server.address() as AddressInfo).port}`
  const signing = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const privateJwk = {
    ...signing.privateKey.export({ format: 'jwk' }),
    kid: 'op-1',
    alg: 'ES256',
    use: 'sig',
  }
  const publicJwk = { ...signing.publicKey.export({ format: 'jwk' }), kid: 'op-1', alg: 'ES256', use: 'sig' }
  const specifier = 'oidc-provider'
  const { default: Provider } = (await import(specifier)) as { default: ProviderCtor }
  const provider = new Provider(issuer, configuration(clients, privateJwk))
  server.on('request', provider.callback())
  const jwks = await serveJwks({ keys: [publicJwk] })
  return {
    issuer,
    tokenEndpoint: `${issuer}/token`,
    serverCertificate,
    jwksUri: jwks.url,
    close: async () => {
      server.closeAllConnections()
      await Promise.all([new Promise<void>((resolve) => server.close(() => resolve())), jwks.close()])
    },
  }
}

function configuration(clients: ProviderClient[], signingKey: JsonWebKey): Record<string, unknown> {
  return {
    clients: clients.map((client) => ({
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      scope: 'read',
      id_token_signed_response_alg: 'ES256',
      ...client,
    })),
    jwks: { keys: [signingKey] },
    clientAuthMethods: ['private_key_jwt', 'tls_client_auth', 'self_signed_tls_client_auth'],
    enabledJWA: { clientAuthSigningAlgValues: ['RS256', 'PS256', 'ES256', 'EdDSA'] },
    scopes: ['read'],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'read',
          audience: RESOURCE,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'ES256' } },
        }),
      },
      mTLS: {
        enabled: true,
        certificateBoundAccessTokens: true,
        tlsClientAuth: true,
        selfSignedTlsClientAuth: true,
        getCertificate: (ctx: ProviderContext) => {
          const peer = ctx.socket.getPeerCertificate()
          return peer?.raw ? new X509Certificate(peer.raw) : undefined
        },
        certificateAuthorized: (ctx: ProviderContext) => ctx.socket.authorized,
        certificateSubjectMatches: (ctx: ProviderContext, property: string, expected: string) =>
          property === 'tls_client_auth_subject_dn' &&
          ctx.socket.getPeerCertificate().subject?.CN === expected.replace(/^CN=/, ''),
      },
    },
  }
}

/** Serves `jwks` at an http loopback URL (for `/verify`, which fetches keys with Node's trust store). */
export async function serveJwks(jwks: unknown): Promise<{ url: string; close(): Promise<void> }> {
  const server: HttpServer = createHttpServer((_req, res) => {
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify(jwks))
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** The public JWK of a key pair, as a client registration's `jwks` holds it. */
export function publicJwk(
  key: { export(options: { format: 'jwk' }): JsonWebKey },
  extra: Record<string, unknown> = {},
) {
  return { ...key.export({ format: 'jwk' }), ...extra }
}
