/**
 * panva's oidc-provider (certified, written by nobody here) on an http loopback server with its `dPoP`
 * feature on (nonces required) and client credentials issuing RFC 9068 JWT access tokens for one
 * resource, so that an API protected by `/verify` can check them (signature, `cnf.jkt`, the proof).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** The resource (RFC 8707) the provider issues JWT access tokens for. */
export const RESOURCE = 'https://api.example.test/'
export const CLIENT_ID = 'orders-worker'
export const CLIENT_SECRET = 'TEST-ONLY.oidc-provider.secret-0123456789'

export interface RunningProvider {
  issuer: string
  tokenEndpoint: string
  /** The provider's public signing keys, served at an http loopback URL (for `/verify`). */
  jwksUri: string
  /** Token requests the provider answered, by status. */
  readonly statuses: number[]
  close(): Promise<void>
}

type ProviderCtor = new (
  issuer: string,
  configuration: Record<string, unknown>,
) => { callback(): (req: unknown, res: unknown) => void }

/** Starts oidc-provider with one client that must use DPoP-bound tokens. */
export async function startDpopProvider(): Promise<RunningProvider> {
  const statuses: number[] = []
  const server: Server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const signing = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const jwk = (key: typeof signing.publicKey) => ({
    ...key.export({ format: 'jwk' }),
    kid: 'op-1',
    alg: 'ES256',
    use: 'sig',
  })
  const specifier = 'oidc-provider'
  const { default: Provider } = (await import(specifier)) as { default: ProviderCtor }
  const provider = new Provider(issuer, configuration(jwk(signing.privateKey)))
  const callback = provider.callback()
  server.on(
    'request',
    (req: { url?: string }, res: { on(e: string, f: () => void): void; statusCode: number }) => {
      if (req.url === '/public-jwks')
        return void (res as unknown as { end(s: string): void }).end(
          JSON.stringify({ keys: [jwk(signing.publicKey)] }),
        )
      if (req.url?.startsWith('/token')) res.on('finish', () => statuses.push(res.statusCode))
      callback(req, res)
    },
  )
  return {
    issuer,
    tokenEndpoint: `${issuer}/token`,
    jwksUri: `${issuer}/public-jwks`,
    statuses,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

function configuration(signingKey: Record<string, unknown>): Record<string, unknown> {
  return {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        token_endpoint_auth_method: 'client_secret_post',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: 'read',
        dpop_bound_access_tokens: true,
        id_token_signed_response_alg: 'ES256',
      },
    ],
    jwks: { keys: [signingKey] },
    scopes: ['read'],
    enabledJWA: { dPoPSigningAlgValues: ['ES256', 'PS256', 'RS256', 'EdDSA', 'Ed25519'] },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      dPoP: { enabled: true, nonceSecret: randomBytes(32), requireNonce: () => true },
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
    },
  }
}
