/**
 * The store's drivers for ioredis: a client (`new Redis()`) and a cluster (`new Cluster()`). Commands go
 * through `call`, which routes them by key in a cluster. The pub/sub connection is a duplicate the store
 * owns: of a client, with its socket unreferenced (it never keeps the process alive); of a cluster, with
 * `shardedSubscribers` on, so that each sharded channel is subscribed on the primary that owns it.
 */
import type { MessageListener, PubSubConnection, RedisDriver } from './driver.js'
import type { IoRedisClusterLike, IoRedisLike, IoRedisSubscriberLike } from './ioredis-client.js'

/**
 * The driver of an ioredis client.
 *
 * @example
 * ```ts
 * const driver = ioRedisDriver(new Redis(url))
 * ```
 */
export function ioRedisDriver(client: IoRedisLike): RedisDriver {
  const call = (args: string[]) => client.call(args[0] ?? '', args.slice(1))
  return {
    get ready() {
      return client.status === 'ready'
    },
    clustered: false,
    send: call,
    primaries: async () => [call],
    listen: (onError, onReady) => listen(client, onError, onReady),
    pubSub: () => {
      const subscriber = client.duplicate()
      subscriber.on('connect', () => subscriber.stream?.unref?.())
      return duplicatePubSub(subscriber)
    },
  }
}

/**
 * The driver of an ioredis cluster.
 *
 * @example
 * ```ts
 * const driver = ioRedisClusterDriver(new Cluster([{ host: '127.0.0.1', port: 7000 }]))
 * ```
 */
export function ioRedisClusterDriver(cluster: IoRedisClusterLike): RedisDriver {
  return {
    get ready() {
      return cluster.status === 'ready'
    },
    clustered: true,
    send: (args) => cluster.call(args[0] ?? '', args.slice(1)),
    primaries: async () =>
      cluster.nodes('master').map((node) => (args: string[]) => node.call(args[0] ?? '', args.slice(1))),
    listen: (onError, onReady) => listen(cluster, onError, onReady),
    pubSub: () => duplicatePubSub(cluster.duplicate([], { shardedSubscribers: true })),
  }
}

function listen(
  client: Pick<IoRedisLike, 'on' | 'off'>,
  onError: (error: unknown) => void,
  onReady: () => void,
): () => void {
  client.on('error', onError)
  client.on('ready', onReady)
  return () => {
    client.off('error', onError)
    client.off('ready', onReady)
  }
}

function duplicatePubSub(subscriber: IoRedisSubscriberLike): PubSubConnection {
  const listeners = new Map<string, MessageListener>()
  const deliver = (channel: unknown, message: unknown) => {
    if (typeof channel === 'string' && typeof message === 'string') listeners.get(channel)?.(message)
  }
  subscriber.on('error', noop) // outages are reported by the main connection
  subscriber.on('message', deliver)
  subscriber.on('smessage', deliver)
  return {
    async subscribe(channel, sharded, listener) {
      listeners.set(channel, listener)
      await (sharded ? subscriber.ssubscribe(channel) : subscriber.subscribe(channel))
    },
    close() {
      listeners.clear()
      try {
        subscriber.disconnect()
      } catch {
        // already closed
      }
    },
  }
}

function noop(): void {}
