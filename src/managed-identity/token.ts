/**
 * A managed identity's access token, as a source answered it. It prints and serialises with the token
 * redacted.
 */
import { REDACTED, redactInstances } from '../redact.js'
import type { ManagedIdentitySourceKind } from './source.js'

/**
 * The fields of a {@link ManagedIdentityToken}.
 *
 * @example
 * ```ts
 * new ManagedIdentityToken({ accessToken, requestedAt, expiresAt, refreshAt: expiresAt, resource, clientId: undefined, source: 'imds' } satisfies ManagedIdentityTokenFields)
 * ```
 */
export interface ManagedIdentityTokenFields {
  accessToken: string
  requestedAt: number
  expiresAt: number
  refreshAt: number
  resource: string
  clientId: string | undefined
  source: ManagedIdentitySourceKind
}

/**
 * A token from a managed-identity endpoint. Frozen.
 *
 * @example
 * ```ts
 * const token = await requestManagedIdentityToken({ resource: 'https://vault.azure.net' })
 * token.expiresAt // epoch ms
 * util.inspect(token) // ManagedIdentityToken { accessToken: '[redacted]', … }
 * ```
 */
export class ManagedIdentityToken {
  /** The bearer token. */
  readonly accessToken: string
  /** Managed identity tokens are always Bearer tokens. */
  readonly tokenType = 'Bearer' as const
  /** When the request for it was sent, epoch ms. */
  readonly requestedAt: number
  /** When it expires, epoch ms. */
  readonly expiresAt: number
  /**
   * When to refresh it, epoch ms: from `refresh_in`, else at half its life when it lives over 2 h, else
   * `expiresAt` (the cache's own refresh window then decides).
   */
  readonly refreshAt: number
  /** The resource it is for, as the endpoint echoed it. */
  readonly resource: string
  /** The identity's client id, when the endpoint said. */
  readonly clientId: string | undefined
  /** The source that issued it. */
  readonly source: ManagedIdentitySourceKind

  constructor(fields: ManagedIdentityTokenFields) {
    this.accessToken = fields.accessToken
    this.requestedAt = fields.requestedAt
    this.expiresAt = fields.expiresAt
    this.refreshAt = fields.refreshAt
    this.resource = fields.resource
    this.clientId = fields.clientId
    this.source = fields.source
    Object.freeze(this)
  }
}
redactInstances(ManagedIdentityToken, (t) => ({
  accessToken: REDACTED,
  tokenType: t.tokenType,
  resource: t.resource,
  clientId: t.clientId,
  source: t.source,
  requestedAt: t.requestedAt,
  refreshAt: t.refreshAt,
  expiresAt: t.expiresAt,
}))
