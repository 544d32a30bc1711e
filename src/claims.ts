/**
 * Unverified decoding of an access token's claims, for diagnostics only: clients must treat tokens as
 * opaque, and APIs verify them (`oauth-client-credentials/verify`).
 */

/**
 * The claims of an Entra app-only access token (docs/entra.md §7), v1.0 or v2.0. Other servers' JWTs decode
 * to the same shape with their own claims.
 *
 * @example
 * ```ts
 * const claims: EntraAccessTokenClaims | undefined = (await client.getToken('api://myapis/mywebapi')).claims
 * claims?.roles // ['Admin']
 * ```
 */
export interface EntraAccessTokenClaims {
  /** Audience: the App ID URI (v1) or the API's application id (v2). */
  aud?: string | string[]
  /** Issuer: `https://sts.windows.net/{tid}/` (v1) or `https://login.microsoftonline.com/{tid}/v2.0` (v2). */
  iss?: string
  /** Subject: the client's service principal object id. */
  sub?: string
  /** The client's service principal object id (= `sub` for app tokens). */
  oid?: string
  /** The tenant id. */
  tid?: string
  /** v1: the client's application id. */
  appid?: string
  /** v1: how the client authenticated: "1" secret, "2" certificate or assertion. */
  appidacr?: string
  /** v2: the client's application id. */
  azp?: string
  /** v2: how the client authenticated: "1" secret, "2" certificate or assertion. */
  azpacr?: string
  /** v1: the identity provider. */
  idp?: string
  /** The app roles granted to the client (absent when none is granted and consented). */
  roles?: string[]
  /** Delegated scopes (absent from app-only tokens). */
  scp?: string
  /** Token version: "1.0" or "2.0". */
  ver?: string
  /** "app" for app-only tokens. */
  idtyp?: string
  /** Expiry, issued-at and not-before, epoch seconds. */
  exp?: number
  iat?: number
  nbf?: number
  uti?: string
  rh?: string
  aio?: string
  /** Any other claim. */
  [claim: string]: unknown
}

/**
 * The payload of a JWT, decoded without verifying anything; `undefined` when `token` is not a JWT
 * (opaque tokens from generic servers).
 *
 * @example
 * ```ts
 * const claims = decodeClaims(token) // the access token, a string
 * const audience = claims?.aud // for diagnostics: an API verifies its tokens
 * ```
 */
export function decodeClaims(token: string): EntraAccessTokenClaims | undefined {
  const parts = token.split('.')
  if (parts.length !== 3 || !parts[1]) return undefined
  const payload = parts[1]
  if (!/^[A-Za-z0-9_-]+$/.test(payload)) return undefined
  try {
    const value: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
    return value as EntraAccessTokenClaims
  } catch {
    return undefined
  }
}
