/**
 * Test support for verify/: RSA keys made in the test, a loopback JWKS server that counts its
 * requests, and tokens shaped like Entra's v1 and v2 app-only access tokens (docs/entra.md §7).
 */

import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type CryptoKey, exportJWK, exportSPKI, generateKeyPair, type JWK, SignJWT } from 'jose'

export const TENANT = 'f6aba1d9-da41-4ea3-8f30-4970725586a8'
export const OTHER_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47'
export const THIRD_TENANT = '0b9d2c3a-6a4e-4a0f-9d51-8a5b1f0c2e77'
/** The API's application (client) id: the `aud` of v2 tokens. */
export const API_APP_ID = '55b2a7ec-73f3-45c2-af08-21ecc33dc40e'
/** The API's App ID URI: the `aud` of v1 tokens. */
export const APP_ID_URI = 'api://myapis/mywebapi'
/** The calling client's application id and its service principal's object id. */
export const CLIENT_APP_ID = '3e1c2f7a-9b4d-4c8e-a2f1-6d5b0e9c7a13'
export const CLIENT_SP_OID = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d'

/** The fixed test time, epoch ms; tokens are minted around it and verifiers read it. */
export const NOW = Date.UTC(2025, 0, 15, 12, 0, 0)
export const clock = (): number => NOW

export interface TestKey {
  kid: string
  privateKey: CryptoKey
  publicJwk: JWK
  publicPem: string
}

/** An RS256 key pair with its public JWK shaped like Entra's (`kty`, `use`, `kid`, `x5t`, `n`, `e`). */
export async function createTestKey(kid: string): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
  const { n = '', e = '' } = await exportJWK(publicKey)
  return {
    kid,
    privateKey,
    publicJwk: { kty: 'RSA', use: 'sig', kid, x5t: kid, n, e },
    publicPem: await exportSPKI(publicKey),
  }
}

export interface JwksServer {
  origin: string
  /** The default Entra JWKS path of a tenant on this server. */
  jwksUri(tenant?: string): string
  /** Replaces the published keys (a key roll). */
  publish(keys: readonly TestKey[]): void
  /** Requests served, per path. */
  requests: Map<string, number>
  total(): number
  /** Answer 500 from now on (an outage). */
  fail(on: boolean): void
  close(): Promise<void>
}

/** Serves `{"keys":[…]}` on any path on 127.0.0.1, port 0, counting requests. */
export async function startJwksServer(keys: readonly TestKey[]): Promise<JwksServer> {
  let published = keys
  let failing = false
  const requests = new Map<string, number>()
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/'
    requests.set(path, (requests.get(path) ?? 0) + 1)
    if (failing) return void res.writeHead(500).end('oops')
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ keys: published.map((key) => key.publicJwk) }))
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    origin,
    jwksUri: (tenant = TENANT) => `${origin}/${tenant}/discovery/v2.0/keys`,
    publish: (next) => void (published = next),
    requests,
    total: () => [...requests.values()].reduce((a, b) => a + b, 0),
    fail: (on) => void (failing = on),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

/** Claims of an Entra app-only token, version 1.0 (`appid`, `idp`, `sts.windows.net` issuer, App ID URI audience). */
export function v1Claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const tid = typeof overrides.tid === 'string' ? overrides.tid : TENANT
  const iat = NOW / 1000 - 300
  return {
    aud: APP_ID_URI,
    iss: `https://sts.windows.net/${tid}/`,
    iat,
    nbf: iat,
    exp: iat + 3900,
    aio: 'E2RgYJjY1u3ntP9m3r4A3BH4A8OfAA==',
    appid: CLIENT_APP_ID,
    appidacr: '1',
    idp: `https://sts.windows.net/${tid}/`,
    idtyp: 'app',
    oid: CLIENT_SP_OID,
    rh: '0.AXEA2aGr9kHao06PMElwclWGqOx6sleU8sVNrwjewhw9xA5xAAA.',
    roles: ['Orders.Read'],
    sub: CLIENT_SP_OID,
    tid,
    uti: 'bOKJ7Qr3D0CwDqjp9p4SAA',
    ver: '1.0',
    ...overrides,
  }
}

/** Claims of an Entra app-only token, version 2.0 (`azp`, `login.microsoftonline.com/{tid}/v2.0`, GUID audience). */
export function v2Claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const tid = typeof overrides.tid === 'string' ? overrides.tid : TENANT
  const { appid: _appid, appidacr: _appidacr, idp: _idp, ...common } = v1Claims({ tid })
  return {
    ...common,
    aud: API_APP_ID,
    iss: `https://login.microsoftonline.com/${tid}/v2.0`,
    azp: CLIENT_APP_ID,
    azpacr: '1',
    ver: '2.0',
    ...overrides,
  }
}

/** Signs claims with a key: v1 headers carry `x5t` and `kid`, v2 only `kid`. */
export async function mint(
  key: TestKey,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
): Promise<string> {
  const base =
    claims.ver === '1.0'
      ? { typ: 'JWT', alg: 'RS256', x5t: key.kid, kid: key.kid }
      : { typ: 'JWT', alg: 'RS256', kid: key.kid }
  return new SignJWT(claims)
    .setProtectedHeader({ ...base, ...header, alg: String(header.alg ?? 'RS256') })
    .sign(key.privateKey)
}

/** A compact JWT with `alg: none` and an empty signature. */
export function unsignedToken(claims: Record<string, unknown>, kid: string): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${part({ typ: 'JWT', alg: 'none', kid })}.${part(claims)}.`
}

/** Awaits a promise expected to reject, and returns the rejection. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected a rejection, got a result')
}
