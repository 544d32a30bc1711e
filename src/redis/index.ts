/**
 * `oauth-client-credentials/redis`: a fleet-wide token cache on Redis.
 *
 * @example
 * ```ts
 * import { createRedisStore } from 'oauth-client-credentials/redis'
 * const client = new TokenClient({ tenant, clientId, credential, cache: { store: createRedisStore(redis) } })
 * ```
 */
import '../node-guard.js' // first: refuses Node.js < 22.19 before any dependency loads

export type { StoredToken, StoreLease, TokenStore } from '../store.js'
export type {
  NodeRedisListener,
  RedisClientLike,
  RedisClusterLike,
  RedisLike,
  RedisSubscriberLike,
} from './client.js'
export { ENTRY_FORMAT } from './envelope.js'
export type { IoRedisClusterLike, IoRedisLike, IoRedisSubscriberLike } from './ioredis-client.js'
export type { EncryptionKeyInput, RedisStoreOptions } from './options.js'
export { createRedisStore, RedisTokenStore } from './store.js'
