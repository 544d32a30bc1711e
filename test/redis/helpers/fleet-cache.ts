/**
 * A token cache as the client composes it (until the client is wired to a store): a `TokenCache` whose
 * fetch POSTs to the fake authority, sharing its tokens through a store under a prefix naming the
 * authority and the client id. Used by the in-process tests and by the worker processes.
 */
import { type CacheKey, TokenCache, tokenTimes } from '../../../src/cache.js'
import type { Clock } from '../../../src/clock.js'
import type { Logger } from '../../../src/options.js'
import type { TokenStore } from '../../../src/store.js'
import { AccessToken } from '../../../src/token.js'

export const TENANT = 'contoso.onmicrosoft.com'
export const CLIENT_ID = '55b2a7ec-73f3-45c2-af08-21ecc33dc40e'

export interface ScopeKey extends CacheKey {
  readonly scope: string
  readonly tenant: string
}

/** The target of `scope` in the test tenant (the cache key, scope and tenant the client would build). */
export function targetFor(scope: string): ScopeKey {
  return { key: `${TENANT}\u0000scope\u0000${scope}`, label: `${TENANT} ${scope}`, scope, tenant: TENANT }
}

export interface FleetCacheOptions {
  authorityUrl: string
  store: TokenStore | undefined
  clock?: Clock
  logger?: Logger
}

/** A cache that requests tokens from the fake authority and shares them through `store`. */
export function createFleetCache(options: FleetCacheOptions): TokenCache<ScopeKey, AccessToken> {
  const { authorityUrl, store, logger } = options
  const clock = options.clock ?? { now: () => Date.now() }
  return new TokenCache<ScopeKey, AccessToken>({
    maxEntries: 100,
    clock,
    fetch: (target) => requestToken(authorityUrl, target.scope, clock),
    store: store && {
      store,
      keyPrefix: `${authorityUrl}\u0000${CLIENT_ID}`,
      toStored: (token) => token,
      revive: (stored) => new AccessToken(stored),
      logger,
    },
  })
}

async function requestToken(authorityUrl: string, scope: string, clock: Clock): Promise<AccessToken> {
  const requestedAt = clock.now()
  const response = await fetch(`${authorityUrl}/${TENANT}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: 'x',
      scope,
    }),
  })
  if (!response.ok) throw new Error(`token request failed: ${response.status}`)
  const body = (await response.json()) as { access_token: string; expires_in: number }
  return new AccessToken({
    accessToken: body.access_token,
    requestedAt,
    ...tokenTimes(requestedAt, body.expires_in, undefined, 300_000),
    scope,
    tenant: TENANT,
  })
}
