/**
 * What the store uses of an ioredis client or cluster (`ioredis` v5 or v6), declared structurally so
 * that nothing of ours loads or names the `ioredis` package.
 */

/** An ioredis event listener. */
type Listener = (...args: unknown[]) => void

/**
 * An ioredis connection as the store's pub/sub connection uses it.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * const subscriber: IoRedisSubscriberLike = new Redis(process.env.REDIS_URL!).duplicate()
 * ```
 */
export interface IoRedisSubscriberLike {
  /** `'ready'` when commands are answered now. */
  readonly status: string
  subscribe(...channels: string[]): Promise<unknown>
  /** Sharded pub/sub (SSUBSCRIBE, Redis 7 and later). */
  ssubscribe(...channels: string[]): Promise<unknown>
  disconnect(): unknown
  on(event: string, listener: Listener): unknown
  /** The connection's socket, once connected. */
  readonly stream?: { unref?(): unknown } | undefined
}

/**
 * A connected (or connecting) ioredis client: `new Redis(…)` from `ioredis` v5 or v6.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * const redis: IoRedisLike = new Redis(process.env.REDIS_URL!)
 * ```
 */
export interface IoRedisLike {
  /** `'ready'` when commands are answered now. */
  readonly status: string
  /** `false` for a single server. */
  readonly isCluster: boolean
  call(command: string, args: string[]): Promise<unknown>
  /** A new client with the same options (the store's pub/sub connection). */
  duplicate(): IoRedisSubscriberLike
  on(event: string, listener: Listener): unknown
  off(event: string, listener: Listener): unknown
}

/**
 * An ioredis cluster: `new Cluster(…)` from `ioredis` v5 or v6. The store routes commands through it,
 * scans every primary to drop a client's entries, and subscribes on a duplicate of it with
 * `shardedSubscribers` on (one connection per primary), which `store.close()` disconnects.
 *
 * @example
 * ```ts
 * import { Cluster } from 'ioredis'
 * const redis: IoRedisClusterLike = new Cluster([{ host: '10.0.0.1', port: 6379 }])
 * ```
 */
export interface IoRedisClusterLike {
  readonly status: string
  /** `true` for a cluster. */
  readonly isCluster: boolean
  call(command: string, args: string[]): Promise<unknown>
  /** The connections to the primaries (`'master'`). */
  nodes(role: 'master'): ReadonlyArray<Pick<IoRedisLike, 'call'>>
  duplicate(nodes: [], options: { shardedSubscribers: boolean }): IoRedisSubscriberLike
  on(event: string, listener: Listener): unknown
  off(event: string, listener: Listener): unknown
}
