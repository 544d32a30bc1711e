/**
 * Redis commands that never fail a caller: each has a timeout, and any failure answers {@link FAILED}.
 * It also tracks outages, so that the log says once that Redis is gone and once that it is back: the
 * client's 'error' events (which it listens to, so that they never crash the process), its 'ready'
 * events, and the commands' own failures. In a cluster an outage is tracked per hash tag (a lost
 * primary takes some tags down, not the store), and logged once for the store.
 */
import type { Logger } from '../options.js'
import type { RedisDriver } from './driver.js'
import { isRefusal, Refused, reasonOf } from './replies.js'

/**
 * What a command answers when Redis did not: unreachable, too slow, or an error reply.
 *
 * @example
 * ```ts
 * if ((await connection.run(['GET', entry], entry)) === FAILED) return undefined // a miss
 * ```
 */
export const FAILED: unique symbol = Symbol('redis command failed')

/**
 * After a command timed out, commands are not sent for this long (one slow probe, not one per call), ms.
 *
 * @example
 * ```ts
 * vi.advanceTimersByTime(OUTAGE_PROBE_MS) // the next command probes Redis again
 * ```
 */
export const OUTAGE_PROBE_MS = 1_000

/** The route of every command to a single server. */
const SERVER = ''

/**
 * The caller's Redis client, guarded.
 *
 * @example
 * ```ts
 * const connection = new RedisConnection(driverFor(redis), 200, console)
 * const reply = await connection.run(['GET', key], key) // the reply, or FAILED
 * ```
 */
export class RedisConnection {
  readonly #driver: RedisDriver
  readonly #timeoutMs: number
  readonly #logger: Logger | undefined
  /** The routes thought unavailable, and until when no command is sent on each (0: keep sending). */
  readonly #down = new Map<string, number>()
  #closed = false
  readonly #detach: () => void

  constructor(driver: RedisDriver, timeoutMs: number, logger: Logger | undefined) {
    this.#driver = driver
    this.#timeoutMs = timeoutMs
    this.#logger = logger
    this.#detach = driver.listen(
      (error) => {
        // a cluster's errors name no route: its commands tell which primaries are lost
        if (!driver.clustered) this.#lost(SERVER, reasonOf(error), 0)
      },
      () => this.#back(undefined),
    )
  }

  /** Whether Redis is thought to be unavailable (for `key`'s hash tag, when given). */
  down(key?: string): boolean {
    return key === undefined ? this.#down.size > 0 : this.#down.has(this.#routeOf(key))
  }

  /**
   * Sends `args`, routed by `key` in a cluster; the reply, or {@link FAILED} (never a rejection). An
   * error reply matching `expected` answers a {@link Refused}, unlogged.
   */
  async run(args: string[], key: string | undefined, expected?: RegExp): Promise<unknown> {
    if (this.#closed) return FAILED
    const route = this.#routeOf(key)
    if (!this.#driver.ready) {
      this.#lost(route, 'not connected', 0)
      return FAILED
    }
    const quietUntil = this.#down.get(route)
    if (quietUntil !== undefined && performance.now() < quietUntil) return FAILED
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), this.#timeoutMs)
    try {
      const reply = await Promise.race([
        this.#driver.send(args, key, controller.signal),
        rejectOnAbort(controller.signal, this.#timeoutMs),
      ])
      this.#back(route)
      return reply
    } catch (error) {
      return this.#failed(args[0] ?? '', route, error, controller.signal.aborted, expected)
    } finally {
      clearTimeout(timer)
    }
  }

  /** Stops listening to the client's events; commands answer {@link FAILED} from now on. */
  close(): void {
    this.#closed = true
    this.#detach()
  }

  #failed(command: string, route: string, error: unknown, timedOut: boolean, expected?: RegExp): unknown {
    if (!timedOut && isRefusal(error)) {
      // Redis answered: not an outage (a full memory, a read-only replica, a key of another type)
      this.#back(route)
      if (expected?.test(reasonOf(error))) return new Refused(reasonOf(error))
      this.#logger?.warn?.('Redis refused a token store command; going on without it.', {
        command,
        error: reasonOf(error),
      })
      return FAILED
    }
    const reason = timedOut ? `${command} timed out after ${this.#timeoutMs} ms` : reasonOf(error)
    this.#lost(route, reason, performance.now() + OUTAGE_PROBE_MS)
    return FAILED
  }

  #routeOf(key: string | undefined): string {
    if (!this.#driver.clustered || key === undefined) return SERVER
    const open = key.indexOf('{')
    const close = key.indexOf('}', open + 1)
    return open >= 0 && close > open + 1 ? key.slice(open + 1, close) : key
  }

  #lost(route: string, reason: string, quietUntil: number): void {
    const first = this.#down.size === 0
    this.#down.set(route, Math.max(quietUntil, this.#down.get(route) ?? 0))
    if (!first) return
    this.#logger?.warn?.(
      'Redis token store unavailable: tokens come from the in-process cache and the token endpoint until it is back.',
      { reason },
    )
  }

  /** `route` (or every route) is answering again; logs when none is left down. */
  #back(route: string | undefined): void {
    if (this.#down.size === 0) return
    if (route === undefined) this.#down.clear()
    else if (!this.#down.delete(route)) return
    if (this.#down.size > 0) return
    const logger = this.#logger
    ;(logger?.info ?? logger?.warn)?.call(logger, 'Redis token store available again.')
  }
}

function rejectOnAbort(signal: AbortSignal, timeoutMs: number): Promise<never> {
  return new Promise((_, reject) => {
    signal.addEventListener('abort', () => reject(new Error(`timed out after ${timeoutMs} ms`)), {
      once: true,
    })
  })
}
