/**
 * The Redis clients the store takes, by what it uses of them: node-redis (`redis` v5 or v6) clients
 * and clusters, and ioredis (v5 or v6) clients and clusters. Declared here, structurally, so that
 * nothing of ours loads or names either package (each is an optional peer): a `createClient()`,
 * `createCluster()`, `new Redis()` or `new Cluster()` fits as it is.
 */
import type { IoRedisClusterLike, IoRedisLike } from './ioredis-client.js'

/**
 * A pub/sub listener of node-redis: the message, then its channel (strings, or Buffers in buffer mode).
 *
 * @example
 * ```ts
 * const listener: NodeRedisListener = (message, channel) => console.debug(String(channel), String(message))
 * ```
 */
export type NodeRedisListener = (message: string | Uint8Array, channel: string | Uint8Array) => unknown

/**
 * A connected (or connecting) node-redis client: `createClient()` from `redis` v5 or v6.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis'
 * const redis: RedisClientLike = createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' })
 * ```
 */
export interface RedisClientLike {
  /** Whether commands are answered now (connected, handshake done). */
  readonly isReady: boolean
  sendCommand(args: string[], options?: { abortSignal?: AbortSignal }): Promise<unknown>
  /** A new client with the same options (the store's pub/sub connection). */
  duplicate(): RedisSubscriberLike
  on(event: 'error' | 'ready', listener: (...args: unknown[]) => void): unknown
  off(event: 'error' | 'ready', listener: (...args: unknown[]) => void): unknown
}

/**
 * The store's own pub/sub connection, a {@link RedisClientLike.duplicate} of the caller's client.
 *
 * @example
 * ```ts
 * const subscriber: RedisSubscriberLike = redis.duplicate()
 * ```
 */
export interface RedisSubscriberLike {
  connect(): Promise<unknown>
  subscribe(channel: string, listener: NodeRedisListener): Promise<unknown>
  /** Sharded pub/sub (SSUBSCRIBE, Redis 7 and later). */
  sSubscribe(channel: string, listener: NodeRedisListener): Promise<unknown>
  destroy(): unknown
  unref(): unknown
  on(event: 'error', listener: (...args: unknown[]) => void): unknown
}

/**
 * A node-redis cluster client: `createCluster()` from `redis` v5 or v6. The store routes each command by
 * its key, scans every primary to drop a client's entries, and subscribes on the cluster's own pub/sub
 * connections (one per primary for sharded channels), removing only its listeners when closed.
 *
 * @example
 * ```ts
 * import { createCluster } from 'redis'
 * const redis: RedisClusterLike = createCluster({ rootNodes: [{ url: 'redis://10.0.0.1:6379' }] })
 * ```
 */
export interface RedisClusterLike {
  readonly isReady: boolean
  /** The primaries, for {@link RedisClusterLike.nodeClient}. */
  readonly masters: ReadonlyArray<object>
  /** The client of one node of {@link RedisClusterLike.masters}. */
  nodeClient(node: object): Promise<Pick<RedisClientLike, 'sendCommand'>>
  sendCommand(
    firstKey: string | undefined,
    isReadonly: boolean | undefined,
    args: string[],
    options?: { abortSignal?: AbortSignal },
  ): Promise<unknown>
  subscribe(channel: string, listener: NodeRedisListener): Promise<unknown>
  unsubscribe(channel: string, listener: NodeRedisListener): Promise<unknown>
  sSubscribe(channel: string, listener: NodeRedisListener): Promise<unknown>
  sUnsubscribe(channel: string, listener: NodeRedisListener): Promise<unknown>
  on(event: 'error', listener: (...args: unknown[]) => void): unknown
  off(event: 'error', listener: (...args: unknown[]) => void): unknown
}

/**
 * Any client `createRedisStore` takes: node-redis or ioredis, a single server or a cluster.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * const redis: RedisLike = new Redis(process.env.REDIS_URL!)
 * const store = createRedisStore(redis)
 * ```
 */
export type RedisLike = RedisClientLike | RedisClusterLike | IoRedisLike | IoRedisClusterLike
