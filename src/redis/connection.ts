/**
 * Redis commands that never fail a caller: each has a timeout, and any failure answers {@link FAILED}.
 * It also tracks outages, so that the log says once that Redis is gone and once that it is back: the
 * client's 'error' events (which it listens to, so that they never crash the process), its 'ready'
 * events, and the commands' own failures.
 */
import type { Logger } from '../options.js'
import type { RedisClientLike } from './client.js'

/** What a command answers when Redis did not: unreachable, too slow, or an error reply. */
export const FAILED: unique symbol = Symbol('redis command failed')

/** After a command timed out, commands are not sent for this long (one slow probe, not one per call), ms. */
export const OUTAGE_PROBE_MS = 1_000

/**
 * The caller's Redis client, guarded.
 *
 * @example
 * ```ts
 * const connection = new RedisConnection(redis, 200, console)
 * const reply = await connection.run(['GET', key]) // the reply, or FAILED
 * ```
 */
export class RedisConnection {
  readonly #client: RedisClientLike
  readonly #timeoutMs: number
  readonly #logger: Logger | undefined
  #down = false
  #closed = false
  #quietUntil = 0
  readonly #onError = (error: unknown) => this.#lost(reasonOf(error))
  readonly #onReady = () => this.#back()

  constructor(client: RedisClientLike, timeoutMs: number, logger: Logger | undefined) {
    this.#client = client
    this.#timeoutMs = timeoutMs
    this.#logger = logger
    client.on('error', this.#onError)
    client.on('ready', this.#onReady)
  }

  /** Whether Redis is thought to be unavailable. */
  get down(): boolean {
    return this.#down
  }

  /** Sends `args`; the reply, or {@link FAILED} (never a rejection). */
  async run(args: ReadonlyArray<string>): Promise<unknown> {
    if (this.#closed) return FAILED
    if (!this.#client.isReady) {
      this.#lost('not connected')
      return FAILED
    }
    if (this.#down && performance.now() < this.#quietUntil) return FAILED
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), this.#timeoutMs)
    try {
      const reply = await Promise.race([
        this.#client.sendCommand(args, { abortSignal: controller.signal }),
        rejectOnAbort(controller.signal, this.#timeoutMs),
      ])
      this.#back()
      return reply
    } catch (error) {
      this.#failed(args[0] ?? '', error, controller.signal.aborted)
      return FAILED
    } finally {
      clearTimeout(timer)
    }
  }

  /** Stops listening to the client's events; commands answer {@link FAILED} from now on. */
  close(): void {
    this.#closed = true
    this.#client.off('error', this.#onError)
    this.#client.off('ready', this.#onReady)
  }

  #failed(command: string, error: unknown, timedOut: boolean): void {
    if (!timedOut && isErrorReply(error)) {
      // Redis answered: not an outage (a full memory, a read-only replica, a key of another type)
      this.#logger?.warn?.('Redis refused a token store command; going on without it.', {
        command,
        error: reasonOf(error),
      })
      return
    }
    this.#quietUntil = performance.now() + OUTAGE_PROBE_MS
    this.#lost(timedOut ? `${command} timed out after ${this.#timeoutMs} ms` : reasonOf(error))
  }

  #lost(reason: string): void {
    if (this.#down) return
    this.#down = true
    this.#logger?.warn?.(
      'Redis token store unavailable: tokens come from the in-process cache and the token endpoint until it is back.',
      { reason },
    )
  }

  #back(): void {
    if (!this.#down) return
    this.#down = false
    this.#quietUntil = 0
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

/** What went wrong, never throwing: a client may reject with anything (even `{ toString: 1 }`). */
function reasonOf(error: unknown): string {
  if (error instanceof Error)
    return typeof error.message === 'string' && error.message !== '' ? error.message : error.name
  return typeof error === 'string' ? error : `a non-Error ${typeof error}`
}

/** Whether `error` is node-redis's `ErrorReply` (an error answered by the server). */
function isErrorReply(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  for (let proto = Object.getPrototypeOf(error); proto !== null; proto = Object.getPrototypeOf(proto)) {
    if ((proto as { constructor?: { name?: unknown } }).constructor?.name === 'ErrorReply') return true
  }
  return false
}
