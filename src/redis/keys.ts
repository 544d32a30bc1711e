/**
 * Where the store keeps things in Redis. Every name starts with the store's prefix. A token's key is
 * the SHA-256 digest of the cache key (authority, client id, tenant, scope): bounded in length, free of
 * separators, and naming no tenant or application to whoever can list the keys.
 *
 * - `{prefix}token:{digest}` the token (a string, expiring with the token)
 * - `{prefix}token:{digest}:lease` the lease: who is fetching it (expiring after `leaseMs`)
 * - `{prefix}token-events` the pub/sub channel: the digest of each key set or released
 */
import { createHash } from 'node:crypto'

/** The prefix of every Redis key and channel of the store, unless given. */
export const DEFAULT_PREFIX = 'oauth-client-credentials:'

/**
 * The Redis names of one token.
 *
 * @example
 * ```ts
 * const { entry, lease }: RedisTokenKeys = redisTokenKeys(DEFAULT_PREFIX, storeKey)
 * ```
 */
export interface RedisTokenKeys {
  /** What the events channel carries for this token. */
  readonly digest: string
  /** The token's entry. */
  readonly entry: string
  /** The token's lease. */
  readonly lease: string
}

/**
 * The Redis names of the token stored under `key` (the cache's store key).
 *
 * @example
 * ```ts
 * redisTokenKeys('oauth-client-credentials:', 'https://login.microsoftonline.com\u0000<client id>\u0000…')
 * // { digest: 'q3…', entry: 'oauth-client-credentials:token:q3…', lease: 'oauth-client-credentials:token:q3…:lease' }
 * ```
 */
export function redisTokenKeys(prefix: string, key: string): RedisTokenKeys {
  const digest = createHash('sha256').update(key).digest('base64url')
  const entry = `${prefix}token:${digest}`
  return { digest, entry, lease: `${entry}:lease` }
}

/**
 * The pub/sub channel on which the store announces tokens set and leases released.
 *
 * @example
 * ```ts
 * eventsChannel('oauth-client-credentials:') // 'oauth-client-credentials:token-events'
 * ```
 */
export function eventsChannel(prefix: string): string {
  return `${prefix}token-events`
}
