/**
 * A real Redis Cluster for the store's tests: `redis-server` processes in cluster mode on free loopback
 * ports (three primaries, and a replica of the first when asked, so that killing that primary ends in a
 * failover), joined with `redis-cli --cluster`. A short node timeout makes failures and failovers take
 * about two seconds; a lost primary leaves the others serving their slots.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { createClient } from 'redis'
import { type RedisServer, startRedisServer } from './redis-server.js'

const run = promisify(execFile)

export interface RedisClusterOptions {
  /** A replica of the first primary. */
  replica?: boolean
  /** More `redis-server` arguments for every node (ACL users). */
  args?: readonly string[]
}

export interface RedisClusterServers {
  /** The three primaries, then the replica if any. */
  readonly nodes: readonly RedisServer[]
  /** Sends a command to the node at `port` as the default user. */
  command(port: number, args: string[]): Promise<unknown>
  /** The port of the primary that serves `slot` now. */
  primaryFor(slot: number): Promise<number>
  stop(): Promise<void>
}

const NODE_ARGS = [
  '--cluster-enabled',
  'yes',
  '--cluster-config-file',
  'nodes.conf',
  '--cluster-node-timeout',
  '1000',
  '--cluster-require-full-coverage',
  'no',
]

/** Starts the cluster and waits until every node sees every slot served. */
export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisClusterServers> {
  const count = options.replica ? 4 : 3
  const nodes = await Promise.all(
    Array.from({ length: count }, () => startRedisServer({ args: [...NODE_ARGS, ...(options.args ?? [])] })),
  )
  const [first] = nodes
  if (first === undefined) throw new Error('no nodes')
  const address = (server: RedisServer) => `127.0.0.1:${server.port}`
  await run('redis-cli', ['--cluster', 'create', ...nodes.slice(0, 3).map(address), '--cluster-yes'])
  const admin = new AdminClients()
  const command = (port: number, args: string[]) => admin.command(port, args)
  const replica = nodes[3]
  if (replica !== undefined) {
    const id = String(await command(first.port, ['CLUSTER', 'MYID']))
    await run('redis-cli', [
      '--cluster',
      'add-node',
      address(replica),
      address(first),
      '--cluster-slave',
      '--cluster-master-id',
      id,
    ])
  }
  await waitUntil(async () =>
    (await Promise.all(nodes.map((node) => settled(command, node.port, count)))).every(Boolean),
  )
  return {
    nodes,
    command,
    primaryFor: async (slot) => primaryFor(command, nodes, slot),
    stop: async () => {
      await admin.close()
      await Promise.all(nodes.map((node) => node.stop()))
    },
  }
}

/** Whether the node sees an ok cluster of `count` nodes, and (a replica) is in sync with its primary. */
async function settled(
  command: RedisClusterServers['command'],
  port: number,
  count: number,
): Promise<boolean> {
  const info = String(await command(port, ['CLUSTER', 'INFO']))
  if (!info.includes('cluster_state:ok') || !info.includes(`cluster_known_nodes:${count}`)) return false
  const replication = String(await command(port, ['INFO', 'replication']))
  return !replication.includes('role:slave') || replication.includes('master_link_status:up')
}

async function primaryFor(
  command: RedisClusterServers['command'],
  nodes: readonly RedisServer[],
  slot: number,
): Promise<number> {
  for (const node of nodes) {
    try {
      const shards = (await command(node.port, ['CLUSTER', 'SLOTS'])) as Array<
        [number, number, [string, number]]
      >
      const shard = shards.find(([from, to]) => from <= slot && slot <= to)
      if (shard !== undefined) return shard[2][1]
    } catch {
      // a node that is down: ask another
    }
  }
  throw new Error(`no node knows who serves slot ${slot}`)
}

/** The test's view of each node: one plain connection per node, as the default user (not a client under test). */
type AdminClient = Pick<ReturnType<typeof createClient>, 'sendCommand' | 'isOpen' | 'destroy'>

class AdminClients {
  readonly #clients = new Map<number, Promise<AdminClient>>()

  async command(port: number, args: string[]): Promise<unknown> {
    let connecting = this.#clients.get(port)
    if (connecting === undefined || !(await connecting.catch(() => undefined))?.isOpen) {
      const client = createClient({ url: `redis://127.0.0.1:${port}`, socket: { reconnectStrategy: false } })
      client.on('error', () => undefined)
      connecting = client.connect().then((): AdminClient => client)
      this.#clients.set(port, connecting)
    }
    return (await connecting).sendCommand(args)
  }

  async close(): Promise<void> {
    const clients = await Promise.all([...this.#clients.values()].map((c) => c.catch(() => undefined)))
    for (const client of clients) if (client?.isOpen) client.destroy()
  }
}

/** Waits until `check` holds (every 100 ms, up to 20 s). */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs
  for (;;) {
    try {
      if (await check()) return
    } catch {
      // not yet
    }
    if (Date.now() > until) throw new Error(`the cluster did not settle within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
