/**
 * Wakes the processes waiting for a token as soon as its leaseholder stores it or gives the lease up:
 * one subscription per wake-up channel of the store, on the store's pub/sub connection (see
 * `driver.ts`), sharded (SSUBSCRIBE) where the server has it, classic (SUBSCRIBE) where it answers
 * that it does not know the command (Redis 6). Messages are token digests; polling by the waiters covers
 * lost messages and subscriptions not made yet, which are tried again every {@link RESUBSCRIBE_MS}.
 */
import type { Logger } from '../options.js'
import type { PubSubConnection, RedisDriver } from './driver.js'
import { reasonOf } from './replies.js'

/**
 * How long after a failed subscription it is tried again, ms.
 *
 * @example
 * ```ts
 * await vi.advanceTimersByTimeAsync(RESUBSCRIBE_MS) // the failed subscriptions are tried again
 * ```
 */
export const RESUBSCRIBE_MS = 5_000
/**
 * What a server without sharded pub/sub (Redis 6) answers to SSUBSCRIBE and SPUBLISH.
 *
 * @example
 * ```ts
 * UNKNOWN_COMMAND.test("ERR unknown command 'SPUBLISH', with args beginning with: ") // true
 * ```
 */
export const UNKNOWN_COMMAND = /unknown command/i

/**
 * Waiters by token digest, woken by the store's wake-up channels.
 *
 * @example
 * ```ts
 * const notifier = new Notifier(driverFor(redis), eventsChannels('app:'), console)
 * await notifier.wait(digest, 100) // woken early if the token is set or its lease released
 * ```
 */
export class Notifier {
  readonly #waiters = new Map<string, Set<() => void>>()
  readonly #pubSub: PubSubConnection | undefined
  readonly #logger: Logger | undefined
  #closed = false
  #sharded = true
  #failing = false
  #retry: ReturnType<typeof setTimeout> | undefined

  constructor(driver: RedisDriver, channels: readonly string[], logger: Logger | undefined) {
    this.#logger = logger
    try {
      this.#pubSub = driver.pubSub()
    } catch (error) {
      logger?.warn?.('Redis token store: no pub/sub connection; waiting processes poll.', {
        error: reasonOf(error),
      })
      return
    }
    void this.#subscribe(this.#pubSub, [...channels])
  }

  /** Resolves when the token `digest` is set or its lease released, or after `timeoutMs`. */
  wait(digest: string, timeoutMs: number): Promise<void> {
    if (this.#closed) return Promise.resolve()
    return new Promise((resolve) => {
      let waiters = this.#waiters.get(digest)
      if (waiters === undefined) this.#waiters.set(digest, (waiters = new Set()))
      const group = waiters
      const done = () => {
        clearTimeout(timer)
        group.delete(done)
        if (group.size === 0 && this.#waiters.get(digest) === group) this.#waiters.delete(digest)
        resolve()
      }
      const timer = setTimeout(done, timeoutMs)
      group.add(done)
    })
  }

  /** Wakes every waiter and closes the pub/sub connection. */
  close(): void {
    this.#closed = true
    clearTimeout(this.#retry)
    for (const digest of [...this.#waiters.keys()]) this.#wake(digest)
    this.#pubSub?.close()
  }

  /** Subscribes to `pending` one by one; on a failure, logs (once a streak) and tries the rest later. */
  async #subscribe(pubSub: PubSubConnection, pending: string[]): Promise<void> {
    for (let [channel] = pending; channel !== undefined && !this.#closed; [channel] = pending) {
      try {
        await pubSub.subscribe(channel, this.#sharded, (digest) => this.#wake(digest))
        pending.shift()
      } catch (error) {
        if (this.#closed) return
        if (this.#sharded && UNKNOWN_COMMAND.test(reasonOf(error))) {
          this.#sharded = false // Redis 6: classic pub/sub, as the publishers find too
          continue
        }
        if (!this.#failing) {
          this.#logger?.warn?.('Redis token store: pub/sub subscription failed; waiting processes poll.', {
            error: reasonOf(error),
          })
        }
        this.#failing = true
        this.#retry = setTimeout(() => void this.#subscribe(pubSub, pending), RESUBSCRIBE_MS)
        this.#retry.unref?.()
        return
      }
    }
    this.#failing = false
  }

  #wake(digest: string): void {
    const waiters = this.#waiters.get(digest)
    if (waiters !== undefined) for (const done of [...waiters]) done()
  }
}
