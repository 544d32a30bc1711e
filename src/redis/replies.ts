/**
 * What a failed Redis command means: an error reply from the server (a refusal: a key of another type,
 * a missing permission, an unknown command), a cluster that cannot answer for now (a lost primary, a
 * failover in progress: an outage), or no answer at all (an outage). Never throws, whatever a client
 * rejects with.
 */

/** Error replies that say a cluster cannot answer for now: an outage, not a refusal. */
const CLUSTER_TRANSIENT = /^(?:CLUSTERDOWN|TRYAGAIN|MASTERDOWN|LOADING|MOVED|ASK)\b/

/**
 * An error reply the caller of a command expected (e.g. `ERR unknown command` to SPUBLISH on Redis 6):
 * returned as the command's reply, not logged.
 *
 * @example
 * ```ts
 * const reply = await connection.run(['SPUBLISH', channel, digest], channel, /unknown command/i)
 * if (reply instanceof Refused) usePublish()
 * ```
 */
export class Refused {
  /** The server's error reply. */
  readonly reason: string
  constructor(reason: string) {
    this.reason = reason
  }
}

/**
 * Whether `error` is an error reply of the server that means it refuses the command (node-redis's
 * `ErrorReply`, ioredis's `ReplyError`), rather than an outage.
 *
 * @example
 * ```ts
 * isRefusal(new ErrorReply('WRONGTYPE Operation against a key holding the wrong kind of value')) // true
 * isRefusal(new ErrorReply('CLUSTERDOWN The cluster is down')) // false: an outage
 * ```
 */
export function isRefusal(error: unknown): boolean {
  return isErrorReply(error) && !CLUSTER_TRANSIENT.test(reasonOf(error))
}

/**
 * What went wrong, never throwing: a client may reject with anything (even `{ toString: 1 }`).
 *
 * @example
 * ```ts
 * reasonOf(new Error('connect ECONNREFUSED 127.0.0.1:6379')) // 'connect ECONNREFUSED 127.0.0.1:6379'
 * ```
 */
export function reasonOf(error: unknown): string {
  if (error instanceof Error)
    return typeof error.message === 'string' && error.message !== '' ? error.message : error.name
  return typeof error === 'string' ? error : `a non-Error ${typeof error}`
}

/** Whether `error` is node-redis's `ErrorReply` or ioredis's `ReplyError` (an error answered by the server). */
function isErrorReply(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  for (let proto = Object.getPrototypeOf(error); proto !== null; proto = Object.getPrototypeOf(proto)) {
    const name = (proto as { constructor?: { name?: unknown } }).constructor?.name
    if (name === 'ErrorReply' || name === 'ReplyError') return true
  }
  return false
}
