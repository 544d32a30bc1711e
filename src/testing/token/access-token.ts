/**
 * Access tokens as Entra issues them for client credentials (docs/entra.md §7): RS256 JWTs whose version
 * (v1 or v2 claims) follows the API's `accessTokenAcceptedVersion`, back-dated by five minutes.
 */
import { SignJWT } from 'jose'
import { type IssuerSettings, issuerFor } from '../entra/clouds.js'
import { randomOpaque, toEpochSeconds } from '../entra/ids.js'
import type { ApiRecord, TenantRecord } from '../registry/records.js'
import type { SigningKey } from './signing-keys.js'

/**
 * How the client proved itself: `appidacr`/`azpacr` "1" for a secret, "2" for an assertion.
 *
 * @example
 * ```ts
 * const method: AuthMethod = 'certificate' // appidacr '2'
 * ```
 */
export type AuthMethod = 'secret' | 'certificate' | 'federated'

/** Entra back-dates `iat` and `nbf` by this much. */
const BACKDATE_SECONDS = 300

/**
 * Everything that goes into one token.
 *
 * @example
 * ```ts
 * await mintAccessToken({ tenant, api, requestedResource, clientId, servicePrincipalId, authMethod: 'secret', roles: ['Admin'], now, key, issuer })
 * ```
 */
export interface MintRequest {
  tenant: TenantRecord
  api: ApiRecord
  /** v1 `aud`: the resource as requested (App ID URI or GUID). */
  requestedResource: string
  clientId: string
  servicePrincipalId: string
  authMethod: AuthMethod
  /**
   * Entra mTLS PoP or RFC 8705 mutual-TLS client auth: the SHA-256 thumbprint (base64url) of the client
   * certificate, as `cnf.x5t#S256`.
   */
  certificateBinding?: string | undefined
  roles: string[] | undefined
  now: number
  key: SigningKey
  issuer: IssuerSettings
  /** The DPoP key's thumbprint: the token is bound to it (`cnf.jkt`, RFC 9449 §6). */
  jkt?: string | undefined
  /** For a managed identity's token: its ARM id, the `xms_mirid` claim. */
  managedIdentityResourceId?: string
}

/**
 * A signed token and the instants the response reports.
 *
 * @example
 * ```ts
 * const { accessToken, expiresIn } = await mintAccessToken(request)
 * ```
 */
export interface MintedToken {
  accessToken: string
  /** The JOSE header, decoded. */
  header: Record<string, unknown>
  claims: Record<string, unknown>
  /** Epoch seconds. */
  notBefore: number
  /** Epoch seconds (`exp`). */
  expiresOn: number
  /** Seconds (`expires_in`). */
  expiresIn: number
}

/**
 * Builds and signs an access token.
 *
 * @example
 * ```ts
 * const token = await mintAccessToken({ tenant, api, requestedResource: 'api://myapis/mywebapi', … })
 * token.claims.ver // '1.0' (the API accepts v1 tokens)
 * ```
 */
export async function mintAccessToken(request: MintRequest): Promise<MintedToken> {
  const version = request.api.accessTokenAcceptedVersion === 2 ? 2 : 1
  const nowSeconds = toEpochSeconds(request.now)
  const expiresIn = request.api.tokenLifetimeSeconds
  const times = {
    iat: nowSeconds - BACKDATE_SECONDS,
    nbf: nowSeconds - BACKDATE_SECONDS,
    exp: nowSeconds + expiresIn + 1,
  }
  const claims = version === 2 ? v2Claims(request, times) : v1Claims(request, times)
  if (request.jkt !== undefined) claims.cnf = { jkt: request.jkt }
  const header =
    version === 2
      ? { typ: 'JWT', alg: 'RS256', kid: request.key.kid }
      : { typ: 'JWT', alg: 'RS256', x5t: request.key.kid, kid: request.key.kid }
  const accessToken = await new SignJWT(claims)
    .setProtectedHeader(header)
    .sign(request.key.certificate.privateKey)
  return { accessToken, header, claims, notBefore: times.nbf, expiresOn: times.exp, expiresIn }
}

type Times = { iat: number; nbf: number; exp: number }

function v1Claims(request: MintRequest, times: Times): Record<string, unknown> {
  const issuer = issuerFor(request.issuer, request.tenant.id, 1)
  return withoutUndefined({
    aud: request.requestedResource,
    iss: issuer,
    ...times,
    aio: opaqueAio(),
    appid: request.clientId,
    appidacr: authenticationClass(request),
    idp: issuer,
    ...appClaims(request),
    ver: '1.0',
    xms_mirid: request.managedIdentityResourceId,
  })
}

function v2Claims(request: MintRequest, times: Times): Record<string, unknown> {
  return withoutUndefined({
    aud: request.api.appId,
    iss: issuerFor(request.issuer, request.tenant.id, 2),
    ...times,
    aio: opaqueAio(),
    azp: request.clientId,
    azpacr: authenticationClass(request),
    ...appClaims(request),
    ver: '2.0',
    xms_mirid: request.managedIdentityResourceId,
  })
}

/** `appidacr` (v1) / `azpacr` (v2): "1" for a secret, "2" for an assertion. */
function authenticationClass(request: MintRequest): '1' | '2' {
  return request.authMethod === 'secret' ? '1' : '2'
}

/** The claims v1 and v2 share, in Entra's order: from `idtyp` to `uti`. */
function appClaims(request: MintRequest): Record<string, unknown> {
  return {
    idtyp: 'app',
    oid: request.servicePrincipalId,
    rh: opaqueRh(),
    roles: request.roles,
    sub: request.servicePrincipalId,
    tid: request.tenant.id,
    uti: randomOpaque(16),
    cnf: request.certificateBinding === undefined ? undefined : { 'x5t#S256': request.certificateBinding },
  }
}

function opaqueAio(): string {
  return `k2Bg${randomOpaque(42)}=`
}

function opaqueRh(): string {
  return `0.A${randomOpaque(48)}.`
}

function withoutUndefined(claims: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined))
}
