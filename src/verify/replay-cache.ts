/**
 * The memory of DPoP proofs already used (RFC 9449 §11.1): a proof's `jti` is remembered until the
 * proof leaves the accepted `iat` window, after which the `iat` check refuses it anyway. The cache is
 * bounded (least recently used evicted first), so no flood of proofs grows it; ids are hashed, so an
 * entry costs the same whatever the `jti` sent.
 */

import { createHash } from 'node:crypto'
import { LRUCache } from 'lru-cache'

/**
 * Where used proofs are remembered. The default is in memory, per verifier; a fleet behind a load
 * balancer can share one (Redis `SET key 1 NX PXAT expiresAt`, say) so that a proof replayed to
 * another instance is refused too.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis'
 * const redis = createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' })
 * const replayCache: DpopReplayCache = {
 *   use: async (id, expiresAt) => (await redis.set(`dpop:${id}`, '1', { NX: true, PXAT: expiresAt })) === 'OK',
 * }
 * ```
 */
export interface DpopReplayCache {
  /**
   * Records `id` as used until `expiresAt` (epoch ms). Answers `true` the first time, `false` when
   * `id` was already recorded and has not expired: a replay. Must check and record in one step.
   */
  use(id: string, expiresAt: number): boolean | Promise<boolean>
}

/** The in-memory cache, with its size for tests and metrics. */
export interface MemoryReplayCache extends DpopReplayCache {
  /** Entries held (expired ones included until evicted or reused). */
  readonly size: number
}

/**
 * Creates the bounded in-memory cache; `now` is the verifier's clock.
 *
 * @example
 * ```ts
 * const cache = createReplayCache({ max: 50_000, now: Date.now })
 * cache.use('jkt.jti', Date.now() + 300_000) // true
 * cache.use('jkt.jti', Date.now() + 300_000) // false: replayed
 * ```
 */
export function createReplayCache(options: { max: number; now: () => number }): MemoryReplayCache {
  const entries = new LRUCache<string, number>({ max: Math.max(1, options.max) })
  return {
    get size() {
      return entries.size
    },
    use(id, expiresAt) {
      const seenUntil = entries.get(id)
      if (seenUntil !== undefined && seenUntil > options.now()) return false
      entries.set(id, expiresAt)
      return true
    },
  }
}

/**
 * The cache id of a proof: its `jti`, scoped to the key that signed it, hashed to a fixed length.
 *
 * @example
 * ```ts
 * replayId('0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I', 'e1j3V_bKic8-LAEB') // 43 base64url characters
 * ```
 */
export function replayId(jkt: string, jti: string): string {
  return createHash('sha256').update(`${jkt}\u0000${jti}`).digest('base64url')
}
