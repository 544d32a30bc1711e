/**
 * The one rule for a 401, shared by `authorizedFetch` and the interceptor: refresh once, only when the
 * token sent was not fresh; a CAE claims challenge gets a token with those claims.
 */
import type { Dispatcher } from 'undici'
import type { Clock } from '../clock.js'
import type { AccessToken } from '../token.js'
import { connectionFor } from './bound.js'
import { claimsChallenge } from './challenge.js'
import type { TokenSource, TokenTarget } from './source.js'

/**
 * A token as sent, and whether it came from the authority during this request (not from the cache).
 *
 * @example
 * ```ts
 * const grant: Grant = await grantFor(client, 'api://myapis/mywebapi', systemClock)
 * ```
 */
export interface Grant {
  readonly token: AccessToken
  readonly fresh: boolean
  /** For a token requested over mutual TLS: the only dispatcher it may be sent over (`bound.ts`). */
  readonly dispatcher?: Dispatcher | undefined
}

/**
 * A token for `target`, and whether it is fresh: asked for at or after the start of this call (a
 * cache hit is older). `clock` must be the source's clock.
 *
 * @example
 * ```ts
 * const { token, fresh } = await grantFor(client, 'api://myapis/mywebapi', systemClock)
 * ```
 */
export async function grantFor(
  source: TokenSource,
  target: TokenTarget,
  clock: Clock,
  signal?: AbortSignal,
): Promise<Grant> {
  const startedAt = clock.now()
  const token = await (signal === undefined ? source.getToken(target) : source.getToken(target, { signal }))
  return bind(source, target, token, token.requestedAt >= startedAt, signal)
}

async function bind(
  source: TokenSource,
  target: TokenTarget,
  token: AccessToken,
  fresh: boolean,
  signal: AbortSignal | undefined,
): Promise<Grant> {
  if (token.certificateThumbprint === undefined) return { token, fresh }
  const connection = await connectionFor(source, target, token, signal)
  return { token: connection.token, fresh: fresh || connection.replaced, dispatcher: connection.dispatcher }
}

/**
 * How to get the token for the one retry after a 401.
 *
 * @example
 * ```ts
 * const plan: RetryPlan = { kind: 'claims', claims: '{"access_token":{"nbf":{"essential":true}}}' }
 * ```
 */
export type RetryPlan = { readonly kind: 'claims'; readonly claims: string } | { readonly kind: 'refresh' }

/**
 * Whether a 401 to a request that carried `sent` is worth one retry: always for a CAE claims challenge;
 * otherwise only when the token came from the cache (a token fresh from the authority would be
 * refused again).
 *
 * @example
 * ```ts
 * retryPlan(grant, response.headers.get('www-authenticate')) // { kind: 'refresh' } | { kind: 'claims', … } | undefined
 * ```
 */
export function retryPlan(sent: Grant, wwwAuthenticate: string | null | undefined): RetryPlan | undefined {
  const claims = claimsChallenge(wwwAuthenticate)
  if (claims !== undefined) return { kind: 'claims', claims }
  return sent.fresh ? undefined : { kind: 'refresh' }
}

/**
 * The token for the retry: one with the challenge's claims, or a new one. When another request has
 * already replaced the refused token in the cache, that one is used instead of forcing yet another.
 *
 * @example
 * ```ts
 * const next = await grantForRetry(client, target, sent, { kind: 'refresh' })
 * ```
 */
export async function grantForRetry(
  source: TokenSource,
  target: TokenTarget,
  sent: Grant,
  plan: RetryPlan,
  signal?: AbortSignal,
): Promise<Grant> {
  const withSignal = signal === undefined ? {} : { signal }
  if (plan.kind === 'claims') {
    const token = await source.getToken(target, { claims: plan.claims, ...withSignal })
    return bind(source, target, token, true, signal)
  }
  const current = await source.getToken(target, withSignal)
  if (current.accessToken !== sent.token.accessToken && current.requestedAt > sent.token.requestedAt) {
    return bind(source, target, current, true, signal)
  }
  const token = await source.getToken(target, { forceRefresh: true, ...withSignal })
  return bind(source, target, token, true, signal)
}
