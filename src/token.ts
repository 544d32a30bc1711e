/**
 * The access token handed to callers: the token string, its times, and its decoded (unverified) claims.
 * It prints and serialises with the token redacted.
 */
import type { CacheableToken } from './cache.js'
import { decodeClaims, type EntraAccessTokenClaims } from './claims.js'
import { REDACTED, redactInstances } from './redact.js'

/** The fields of an {@link AccessToken}. */
export interface AccessTokenFields {
  accessToken: string
  requestedAt: number
  expiresAt: number
  refreshAt: number
  scope: string
  tenant: string | undefined
}

/**
 * A token from the cache or the authority. Shared by every caller of the same key: it is frozen.
 *
 * @example
 * ```ts
 * const token = await client.getToken('api://myapis/mywebapi')
 * await fetch(url, { headers: { authorization: `Bearer ${token.accessToken}` } })
 * util.inspect(token) // AccessToken { accessToken: '[redacted]', expiresAt: …, scope: … }
 * ```
 */
export class AccessToken implements CacheableToken {
  /** The bearer token to send. */
  readonly accessToken: string
  /** Always `Bearer`. */
  readonly tokenType = 'Bearer' as const
  /** When the request for it was sent, epoch ms. */
  readonly requestedAt: number
  /** When it expires, epoch ms (`requestedAt` + `expires_in`). */
  readonly expiresAt: number
  /** After this a call returns it and refreshes in the background, epoch ms. */
  readonly refreshAt: number
  /** The scope asked for (`api://myapis/mywebapi/.default`), or the v1 resource. */
  readonly scope: string
  /** The tenant it was issued for (Entra). */
  readonly tenant: string | undefined
  /** Decoded on first use (most callers never read them: a cached token then costs less memory). */
  #claims: Readonly<EntraAccessTokenClaims> | undefined | null = null

  constructor(fields: AccessTokenFields) {
    this.accessToken = fields.accessToken
    this.requestedAt = fields.requestedAt
    this.expiresAt = fields.expiresAt
    this.refreshAt = fields.refreshAt
    this.scope = fields.scope
    this.tenant = fields.tenant
    Object.freeze(this)
  }

  /** The decoded, unverified claims; `undefined` for opaque tokens. For diagnostics only. */
  get claims(): Readonly<EntraAccessTokenClaims> | undefined {
    if (this.#claims === null) {
      const claims = decodeClaims(this.accessToken)
      this.#claims = claims && Object.freeze(claims)
    }
    return this.#claims
  }
}
redactInstances(AccessToken, (t) => ({
  accessToken: REDACTED,
  tokenType: t.tokenType,
  scope: t.scope,
  tenant: t.tenant,
  requestedAt: t.requestedAt,
  refreshAt: t.refreshAt,
  expiresAt: t.expiresAt,
}))
