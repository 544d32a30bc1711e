/**
 * The store's drivers for node-redis: a client (`createClient()`), whose pub/sub connection is a
 * duplicate the store owns and never lets keep the process alive, and a cluster (`createCluster()`),
 * which routes each command by its key and already keeps pub/sub connections of its own (one per
 * primary for sharded channels), on which the store adds, and on close removes, its listeners.
 */
import type { NodeRedisListener, RedisClientLike, RedisClusterLike, RedisSubscriberLike } from './client.js'
import type { MessageListener, PubSubConnection, RedisDriver } from './driver.js'

/**
 * The driver of a node-redis client.
 *
 * @example
 * ```ts
 * const driver = nodeRedisDriver(createClient({ url }))
 * ```
 */
export function nodeRedisDriver(client: RedisClientLike): RedisDriver {
  return {
    get ready() {
      return client.isReady
    },
    clustered: false,
    send: (args, _key, signal) => client.sendCommand(args, { abortSignal: signal }),
    primaries: async () => [(args) => client.sendCommand(args)],
    listen(onError, onReady) {
      client.on('error', onError)
      client.on('ready', onReady)
      return () => {
        client.off('error', onError)
        client.off('ready', onReady)
      }
    },
    pubSub: () => duplicatePubSub(client.duplicate()),
  }
}

/**
 * The driver of a node-redis cluster.
 *
 * @example
 * ```ts
 * const driver = nodeRedisClusterDriver(createCluster({ rootNodes }))
 * ```
 */
export function nodeRedisClusterDriver(cluster: RedisClusterLike): RedisDriver {
  return {
    get ready() {
      return cluster.isReady
    },
    clustered: true,
    send: (args, key, signal) => cluster.sendCommand(key, false, args, { abortSignal: signal }),
    primaries: () =>
      Promise.all(
        cluster.masters.map(async (master) => {
          const node = await cluster.nodeClient(master)
          return (args: string[]) => node.sendCommand(args)
        }),
      ),
    listen(onError) {
      // a cluster has no 'ready' of its own: the store learns that a primary is back from its commands
      cluster.on('error', onError)
      return () => cluster.off('error', onError)
    },
    pubSub: () => clusterPubSub(cluster),
  }
}

function duplicatePubSub(subscriber: RedisSubscriberLike): PubSubConnection {
  subscriber.on('error', noop) // outages are reported by the main connection
  subscriber.unref()
  const connected = subscriber.connect()
  connected.catch(noop) // the subscriptions report it
  return {
    async subscribe(channel, sharded, listener) {
      await connected
      const onMessage: NodeRedisListener = (message) => listener(text(message))
      await (sharded ? subscriber.sSubscribe(channel, onMessage) : subscriber.subscribe(channel, onMessage))
    },
    close() {
      try {
        subscriber.destroy()
      } catch {
        // already closed
      }
    },
  }
}

interface Subscription {
  readonly channel: string
  readonly sharded: boolean
  readonly onMessage: NodeRedisListener
}

function clusterPubSub(cluster: RedisClusterLike): PubSubConnection {
  const subscriptions: Subscription[] = []
  let closed = false
  const unsubscribe = ({ channel, sharded, onMessage }: Subscription) => {
    try {
      const done = sharded
        ? cluster.sUnsubscribe(channel, onMessage)
        : cluster.unsubscribe(channel, onMessage)
      done.catch(noop)
    } catch {
      // the cluster is closed: nothing to remove
    }
  }
  return {
    async subscribe(channel, sharded, listener: MessageListener) {
      const onMessage: NodeRedisListener = (message) => listener(text(message))
      const subscription = { channel, sharded, onMessage }
      await (sharded
        ? cluster.sSubscribe(channel, subscription.onMessage)
        : cluster.subscribe(channel, subscription.onMessage))
      if (closed) unsubscribe(subscription)
      else subscriptions.push(subscription)
    },
    close() {
      closed = true
      for (const subscription of subscriptions.splice(0)) unsubscribe(subscription)
    },
  }
}

function text(message: string | Uint8Array): string {
  return typeof message === 'string' ? message : Buffer.from(message).toString('utf8')
}

function noop(): void {}
