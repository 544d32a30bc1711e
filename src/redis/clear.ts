/**
 * Drops the entries whose names match a pattern, on every primary: SCAN each (a cluster keeps each key
 * on one of them), and DEL what matches, one command per hash tag, through the routed connection (a key
 * that moved since is still found). Leases are left to expire. Never rejects: a primary that cannot be
 * scanned is logged and skipped, and what could be deleted is counted.
 */
import type { Logger } from '../options.js'
import type { RedisConnection } from './connection.js'
import type { RedisDriver } from './driver.js'
import { reasonOf } from './replies.js'

/** How many keys one SCAN call looks at. */
const SCAN_COUNT = '1000'

/**
 * What {@link deleteMatching} needs.
 *
 * @example
 * ```ts
 * const sweep: Sweep = { driver, connection, timeoutMs: 200, logger: console }
 * ```
 */
export interface Sweep {
  readonly driver: RedisDriver
  readonly connection: RedisConnection
  /** The longest one SCAN may take, ms. */
  readonly timeoutMs: number
  readonly logger: Logger | undefined
}

/**
 * Deletes every entry (not lease) whose name matches `pattern`, on every primary; resolves how many.
 *
 * @example
 * ```ts
 * const deleted = await deleteMatching(sweep, 'app:token:{?}:Zk…:*')
 * ```
 */
export async function deleteMatching(sweep: Sweep, pattern: string): Promise<number> {
  let primaries: Array<(args: string[]) => Promise<unknown>>
  try {
    primaries = await within(sweep.driver.primaries(), sweep.timeoutMs)
  } catch (error) {
    incomplete(sweep, error)
    return 0
  }
  const counts = await Promise.all(primaries.map((scan) => sweepPrimary(sweep, scan, pattern)))
  return counts.reduce((sum, n) => sum + n, 0)
}

async function sweepPrimary(
  sweep: Sweep,
  scan: (args: string[]) => Promise<unknown>,
  pattern: string,
): Promise<number> {
  let deleted = 0
  let cursor = '0'
  try {
    do {
      const reply = await within(
        scan(['SCAN', cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT]),
        sweep.timeoutMs,
      )
      const page = scanPage(reply)
      cursor = page.cursor
      const entries = page.names.filter((name) => !name.endsWith(':lease'))
      const replies = await Promise.all(
        bySlot(entries).map((names) => sweep.connection.run(['DEL', ...names], names[0])),
      )
      deleted += replies.reduce<number>((sum, reply) => sum + (typeof reply === 'number' ? reply : 0), 0)
    } while (cursor !== '0')
  } catch (error) {
    incomplete(sweep, error)
  }
  return deleted
}

/** `names` grouped by hash tag: one DEL per group, since a cluster deletes keys of one slot at a time. */
function bySlot(names: string[]): string[][] {
  const groups = new Map<string, string[]>()
  for (const name of names) {
    const tag = /\{([^}]+)\}/.exec(name)?.[1] ?? name
    const group = groups.get(tag)
    if (group === undefined) groups.set(tag, [name])
    else group.push(name)
  }
  return [...groups.values()]
}

/** A SCAN reply: the next cursor and the names found; throws when it is not one. */
function scanPage(reply: unknown): { cursor: string; names: string[] } {
  if (!Array.isArray(reply) || reply.length !== 2 || !Array.isArray(reply[1])) {
    throw new Error('SCAN answered something else than a cursor and a list')
  }
  const cursor = text(reply[0])
  if (cursor === undefined) throw new Error('SCAN answered no cursor')
  return { cursor, names: reply[1].map(text).filter((name) => name !== undefined) }
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8')
  return undefined
}

function incomplete(sweep: Sweep, error: unknown): void {
  sweep.logger?.warn?.('Redis token store: could not look through every primary to drop the entries.', {
    error: reasonOf(error),
  })
}

/** `promise`, or a rejection after `ms`. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}
