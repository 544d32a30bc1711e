/**
 * The token request of a client whose identity is a managed identity: the platform's endpoint (IMDS,
 * App Service, Arc, …) instead of a form POST to a token endpoint. The cache in front is the same; the
 * token source retries and backs off itself (docs/managed-identity.md), so nothing is retried here.
 */
import { tokenTimes } from './cache.js'
import type { ManagedIdentityTokenSource } from './managed-identity/token-source.js'
import { AccessToken } from './token.js'
import type { RequestToken } from './token-request.js'

/**
 * What a managed-identity token request needs.
 *
 * @example
 * ```ts
 * const settings: ManagedIdentityRequestSettings = { tokens: createManagedIdentityTokenSource({}), refreshWindowMs: 300_000 }
 * ```
 */
export interface ManagedIdentityRequestSettings {
  readonly tokens: ManagedIdentityTokenSource
  /** How long before expiry a token is refreshed. */
  readonly refreshWindowMs: number
}

/**
 * Gets one token for a target's resource (`target.scope`, `/.default` already dropped) from the
 * managed-identity source, as an `AccessToken` refreshed by the client's rules (or earlier, when the
 * source says `refresh_in`).
 *
 * @example
 * ```ts
 * const request = createManagedIdentityRequest({ tokens, refreshWindowMs: 300_000 })
 * const token = await request(target, { background: false, claims: undefined })
 * ```
 */
export function createManagedIdentityRequest(settings: ManagedIdentityRequestSettings): RequestToken {
  return async (target) => {
    const { clientCapabilities } = target
    const token = await settings.tokens.getToken(
      target.scope,
      clientCapabilities.length > 0 ? { clientCapabilities } : undefined,
    )
    const lifetimeSec = Math.max(0, (token.expiresAt - token.requestedAt) / 1000)
    const times = tokenTimes(token.requestedAt, lifetimeSec, undefined, settings.refreshWindowMs)
    return new AccessToken({
      accessToken: token.accessToken,
      requestedAt: token.requestedAt,
      expiresAt: token.expiresAt,
      refreshAt: Math.min(times.refreshAt, token.refreshAt),
      scope: target.scope,
      tenant: undefined,
    })
  }
}
