/**
 * The clients the store takes, connected the way their libraries document: node-redis and ioredis, to a
 * server (redis:// or rediss:// with a CA, a user and a password) or to a cluster. Each test file runs
 * its behaviours once per library with these.
 */
import { Cluster, Redis } from 'ioredis'
import { createClient, createCluster } from 'redis'
import type { RedisLike } from '../../../src/redis/index.js'

export const CLIENT_KINDS = ['node-redis', 'ioredis'] as const
export type ClientKind = (typeof CLIENT_KINDS)[number]

export interface Target {
  /** `redis://127.0.0.1:PORT` or `rediss://…`. */
  readonly url: string
  readonly username?: string
  readonly password?: string
  /** The CA to verify a TLS server with. */
  readonly ca?: Buffer
}

export interface Connected {
  readonly client: RedisLike
  /** Sends a raw command through the client (routed by key on a cluster). */
  command(args: string[]): Promise<unknown>
  /** Whether commands are answered now. */
  ready(): boolean
  /** Closes the connection at once. */
  close(): void
}

/** A client of `kind` to one server, connected. */
export async function connectClient(kind: ClientKind, target: Target): Promise<Connected> {
  const { url, username, password, ca } = target
  if (kind === 'node-redis') {
    const client = createClient({
      url,
      ...(username === undefined ? {} : { username }),
      ...(password === undefined ? {} : { password }),
      ...(ca === undefined ? {} : { socket: { tls: true, ca } }),
    })
    await client.connect()
    return {
      client,
      command: (args) => client.sendCommand(args),
      ready: () => client.isReady,
      close: () => client.destroy(),
    }
  }
  const client = new Redis(url, {
    lazyConnect: true,
    enableReadyCheck: false, // the ready check sends INFO, which the minimal ACL does not grant
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
    ...(ca === undefined ? {} : { tls: { ca } }),
  })
  await client.connect()
  return {
    client,
    command: ([name = '', ...args]) => client.call(name, args),
    ready: () => client.status === 'ready',
    close: () => client.disconnect(),
  }
}

/** A cluster client of `kind`, from one of the cluster's nodes, connected. */
export async function connectCluster(
  kind: ClientKind,
  port: number,
  auth: Omit<Target, 'url' | 'ca'> = {},
): Promise<Connected> {
  const { username, password } = auth
  const credentials = {
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
  }
  if (kind === 'node-redis') {
    const cluster = createCluster({
      rootNodes: [{ url: `redis://127.0.0.1:${port}` }],
      defaults: credentials,
    })
    cluster.on('error', () => undefined) // the store listens too; the test's own client must not crash
    await cluster.connect()
    return {
      client: cluster,
      command: (args) => cluster.sendCommand(args[1], false, args),
      ready: () => cluster.isReady,
      close: () => cluster.destroy(),
    }
  }
  const cluster = new Cluster([{ host: '127.0.0.1', port }], {
    lazyConnect: true,
    enableReadyCheck: false,
    redisOptions: credentials,
  })
  await cluster.connect()
  return {
    client: cluster,
    command: ([name = '', ...args]) => cluster.call(name, args),
    ready: () => cluster.status === 'ready',
    close: () => cluster.disconnect(),
  }
}

/**
 * A client of `kind` that connects in the background and retries every `retryMs`, as the README tells
 * a process to start one: the store works without Redis until it is ready.
 */
export function backgroundClient(kind: ClientKind, url: string, retryMs = 50): Connected {
  if (kind === 'node-redis') {
    const client = createClient({ url, socket: { reconnectStrategy: () => retryMs } })
    client.connect().catch(() => {})
    return {
      client,
      command: (args) => client.sendCommand(args),
      ready: () => client.isReady,
      close: () => client.destroy(),
    }
  }
  const client = new Redis(url, { retryStrategy: () => retryMs })
  return {
    client,
    command: ([name = '', ...args]) => client.call(name, args),
    ready: () => client.status === 'ready',
    close: () => client.disconnect(),
  }
}
