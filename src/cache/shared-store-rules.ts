/**
 * Which token from a fleet's shared store (src/store.ts) may answer a request of the token cache.
 */
import type { StoredToken } from '../store.js'
import { EXPIRY_SKEW_MS } from './times.js'
import type { CacheableToken, CacheKey } from './types.js'

/**
 * Whether a stored token may answer a request: newer than the token held (if any), and fresh for a
 * background refresh, or outside the expiry margin for a caller who waits.
 *
 * @example
 * ```ts
 * usable(stored, cached, true, Date.now()) // a background refresh takes it only when newer and fresh
 * ```
 */
export function usable(
  stored: StoredToken,
  held: CacheableToken | undefined,
  background: boolean,
  now: number,
) {
  if (held !== undefined && stored.requestedAt <= held.requestedAt) return false
  // not the memory rule (#served): a caller who waits takes a stored token until the expiry margin even
  // when its refreshAt has passed, and never within the margin even when refreshAt is later (managed identity)
  return now < (background ? stored.refreshAt : stored.expiresAt - EXPIRY_SKEW_MS)
}

/**
 * Whether a stored token names the scope and tenant `target` asks for (a target without a scope: yes).
 *
 * @example
 * ```ts
 * belongsTo(stored, { key, label, scope: 'api://a/.default', tenant: 'contoso' })
 * ```
 */
export function belongsTo(stored: StoredToken, target: CacheKey): boolean {
  if (target.scope === undefined) return true
  return stored.scope === target.scope && stored.tenant?.toLowerCase() === target.tenant?.toLowerCase()
}
