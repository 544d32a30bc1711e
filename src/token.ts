/**
 * The access token handed to callers: the token string, its times, and its decoded (unverified) claims.
 * It prints and serialises with the token redacted, its copies (spread, `structuredClone`) leave the
 * token out, and it never holds a token that cannot be sent in an HTTP header.
 */
import type { CacheableToken } from './cache.js'
import { decodeClaims, type EntraAccessTokenClaims } from './claims.js'
import { ConfigurationError } from './errors.js'
import { REDACTED, redactInstances } from './redact.js'
import type { StoredToken } from './store.js'
import { tokenProblem } from './token-text.js'

/**
 * `token.accessToken`, checked to be sendable in a header (a token source written in JavaScript can
 * hand out anything): throws a `ConfigurationError` that does not hold the token.
 *
 * @example
 * ```ts
 * headers.set('authorization', `Bearer ${sendableToken(token)}`)
 * ```
 */
export function sendableToken(token: AccessToken): string {
  const value: unknown = token.accessToken
  const problem = tokenProblem(value)
  if (problem !== undefined) {
    throw new ConfigurationError('accessToken', `the token from the token source ${problem}`, {
      hint: 'A token source must hand out tokens as the authority issued them (visible ASCII only).',
    })
  }
  return value as string
}

/** The fields of an {@link AccessToken}. */
export interface AccessTokenFields {
  accessToken: string
  requestedAt: number
  expiresAt: number
  refreshAt: number
  scope: string
  tenant: string | undefined
  /** How it is presented (`DPoP`: bound to the client's DPoP key; `mtls_pop`: Entra mTLS PoP). @defaultValue 'Bearer' */
  tokenType?: 'Bearer' | 'DPoP' | 'mtls_pop' | undefined
  /** The SHA-256 thumbprint (base64url) of the client certificate it was requested over mutual TLS with. */
  certificateThumbprint?: string | undefined
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
  readonly #accessToken: string
  /**
   * How it is presented: `Bearer`; `DPoP` for a token bound to the client's DPoP key (sent as
   * `Authorization: DPoP …` with a proof); `mtls_pop` (Entra mTLS PoP: `Authorization: mtls_pop …`, over
   * mutual TLS with the certificate it is bound to).
   */
  readonly tokenType: 'Bearer' | 'DPoP' | 'mtls_pop'
  /**
   * For a client using mutual TLS: the SHA-256 thumbprint (base64url, a bound token's `cnf.x5t#S256`)
   * of the certificate it was requested with. It must be presented over connections made with that
   * certificate; `authorizedFetch` and the interceptor do so.
   */
  readonly certificateThumbprint: string | undefined
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

  /** Throws a `ConfigurationError` (without the token) when `fields.accessToken` is not sendable in a header. */
  constructor(fields: AccessTokenFields) {
    const problem = tokenProblem(fields.accessToken)
    if (problem !== undefined) throw new ConfigurationError('accessToken', problem)
    this.#accessToken = fields.accessToken
    this.tokenType = fields.tokenType ?? 'Bearer'
    this.requestedAt = fields.requestedAt
    this.expiresAt = fields.expiresAt
    this.refreshAt = fields.refreshAt
    this.scope = fields.scope
    this.tenant = fields.tenant
    this.tokenType = fields.tokenType ?? 'Bearer'
    this.certificateThumbprint = fields.certificateThumbprint
    Object.freeze(this)
  }

  /**
   * The bearer token to send. An accessor, not an own property: a copy of the token (`{ ...token }`,
   * `structuredClone`, `Object.entries`) leaves it out.
   */
  get accessToken(): string {
    return this.#accessToken
  }

  /** The decoded, unverified claims; `undefined` for opaque tokens. For diagnostics only. */
  get claims(): Readonly<EntraAccessTokenClaims> | undefined {
    if (this.#claims === null) {
      const claims = decodeClaims(this.#accessToken)
      this.#claims = claims && Object.freeze(claims)
    }
    return this.#claims
  }
}
redactInstances(AccessToken, (t) => ({
  accessToken: REDACTED,
  tokenType: t.tokenType,
  ...(t.certificateThumbprint === undefined ? {} : { certificateThumbprint: t.certificateThumbprint }),
  scope: t.scope,
  tenant: t.tenant,
  requestedAt: t.requestedAt,
  refreshAt: t.refreshAt,
  expiresAt: t.expiresAt,
}))

/**
 * The form a token store keeps: a plain object whose fields (the token included) are its own, so that a
 * store may copy, clone or serialise it as it likes.
 *
 * @example
 * ```ts
 * const stored: StoredToken = storedToken(token)
 * ```
 */
export function storedToken(token: AccessToken): StoredToken {
  const { accessToken, requestedAt, refreshAt, expiresAt, scope, tenant } = token
  return { accessToken, requestedAt, refreshAt, expiresAt, scope, tenant }
}
