/**
 * One face for the four kinds of client the store takes (node-redis or ioredis, a server or a cluster):
 * raw commands routed by key, the primaries to scan, readiness events, and a pub/sub connection. The
 * rest of the store is written against this, never against a client library.
 */
import { ConfigurationError } from '../errors.js'
import type { RedisClientLike, RedisClusterLike, RedisLike } from './client.js'
import type { IoRedisClusterLike, IoRedisLike } from './ioredis-client.js'
import { ioRedisClusterDriver, ioRedisDriver } from './ioredis-driver.js'
import { nodeRedisClusterDriver, nodeRedisDriver } from './node-redis-driver.js'

/**
 * A pub/sub listener: the message only (the store listens to its own channels).
 *
 * @example
 * ```ts
 * const listener: MessageListener = (digest) => notifier.wake(digest)
 * ```
 */
export type MessageListener = (message: string) => void

/**
 * A connection on which the store subscribes to its wake-up channels.
 *
 * @example
 * ```ts
 * const pubSub = driver.pubSub()
 * await pubSub.subscribe('app:token-events:{a}', true, (digest) => wake(digest))
 * ```
 */
export interface PubSubConnection {
  /** Subscribes to `channel`: sharded (SSUBSCRIBE) or classic (SUBSCRIBE). */
  subscribe(channel: string, sharded: boolean, listener: MessageListener): Promise<void>
  /** Stops listening and closes what the store opened (never the caller's client). */
  close(): void
}

/**
 * The store's view of the caller's Redis client.
 *
 * @example
 * ```ts
 * const driver = driverFor(redis)
 * await driver.send(['GET', entry], entry, AbortSignal.timeout(200))
 * ```
 */
export interface RedisDriver {
  /** Whether commands can be sent now. */
  readonly ready: boolean
  /** Whether keys are spread over several primaries (a cluster). */
  readonly clustered: boolean
  /** Sends one command, routed in a cluster by `key` (its first key, or its channel). */
  send(args: string[], key: string | undefined, signal: AbortSignal): Promise<unknown>
  /** One command runner per primary (a single server: itself). */
  primaries(): Promise<Array<(args: string[]) => Promise<unknown>>>
  /** Listens to the client's 'error' and 'ready' events; returns what stops listening. */
  listen(onError: (error: unknown) => void, onReady: () => void): () => void
  /** The store's pub/sub connection; throws when it cannot be made. */
  pubSub(): PubSubConnection
}

/**
 * The driver of `redis`, whichever of the four kinds it is.
 *
 * @example
 * ```ts
 * const driver = driverFor(createClient({ url })) // or createCluster(…), new Redis(…), new Cluster(…)
 * ```
 */
export function driverFor(redis: RedisLike): RedisDriver {
  if (isIoRedisCluster(redis)) return ioRedisClusterDriver(redis)
  if (isIoRedis(redis)) return ioRedisDriver(redis)
  if (isNodeRedisCluster(redis)) return nodeRedisClusterDriver(redis)
  if (isNodeRedis(redis)) return nodeRedisDriver(redis)
  throw new ConfigurationError('redis', 'is not a Redis client that createRedisStore takes', {
    hint: 'Pass createClient() or createCluster() from redis, or new Redis() or new Cluster() from ioredis, connected or connecting.',
  })
}

function isIoRedisCluster(redis: unknown): redis is IoRedisClusterLike {
  return isIoRedis(redis) && redis.isCluster === true && has(redis, 'nodes')
}

function isIoRedis(redis: unknown): redis is IoRedisLike {
  return has(redis, 'call') && typeof (redis as { status?: unknown }).status === 'string'
}

function isNodeRedisCluster(redis: unknown): redis is RedisClusterLike {
  return has(redis, 'sendCommand') && has(redis, 'nodeClient') && has(redis, 'sSubscribe')
}

function isNodeRedis(redis: unknown): redis is RedisClientLike {
  return has(redis, 'sendCommand') && has(redis, 'duplicate')
}

function has(value: unknown, method: string): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Record<string, unknown>)[method] === 'function'
  )
}
