/**
 * What the store uses of a node-redis client (`redis` v5 or v6): raw commands, readiness, events and
 * a duplicate connection for pub/sub. Declared here, structurally, so that nothing of ours loads or
 * names the `redis` package: a `createClient()` client fits as it is.
 */

/**
 * A connected (or connecting) node-redis client: `createClient()` from `redis` v5 or v6. Cluster and
 * Sentinel clients are not supported.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis'
 * const redis: RedisClientLike = createClient({ url: process.env.REDIS_URL })
 * ```
 */
export interface RedisClientLike {
  /** Whether commands are answered now (connected, handshake done). */
  readonly isReady: boolean
  sendCommand(args: ReadonlyArray<string>, options?: { abortSignal?: AbortSignal }): Promise<unknown>
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
  subscribe(channel: string, listener: (message: string, channel: string) => unknown): Promise<unknown>
  destroy(): unknown
  unref(): unknown
  on(event: 'error', listener: (...args: unknown[]) => void): unknown
}
