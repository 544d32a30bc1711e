/**
 * Wakes the processes waiting for a token as soon as its leaseholder stores it or gives the lease up:
 * one pub/sub subscription per store, on its own connection (a duplicate of the caller's client, which
 * the store owns, closes, and never lets keep the process alive). Messages are token digests; polling
 * by the waiters covers lost messages and a subscription that could not be made.
 */
import type { Logger } from '../options.js'
import type { RedisClientLike, RedisSubscriberLike } from './client.js'

/**
 * Waiters by token digest, woken by the store's events channel.
 *
 * @example
 * ```ts
 * const notifier = new Notifier(redis, 'oauth-client-credentials:token-events', console)
 * await notifier.wait(digest, 100) // woken early if the token is set or its lease released
 * ```
 */
export class Notifier {
  readonly #waiters = new Map<string, Set<() => void>>()
  readonly #subscriber: RedisSubscriberLike | undefined
  #closed = false

  constructor(client: RedisClientLike, channel: string, logger: Logger | undefined) {
    let subscriber: RedisSubscriberLike
    try {
      subscriber = client.duplicate()
      subscriber.on('error', noop) // outages are reported by the main connection
      subscriber.unref()
    } catch (error) {
      logger?.warn?.('Redis token store: no pub/sub connection; waiting processes poll.', {
        error: error instanceof Error ? error.message : String(error),
      })
      return
    }
    this.#subscriber = subscriber
    subscriber
      .connect()
      .then(() => subscriber.subscribe(channel, (digest) => this.#wake(digest)))
      .catch((error: unknown) => {
        if (this.#closed) return
        logger?.warn?.('Redis token store: pub/sub subscription failed; waiting processes poll.', {
          error: error instanceof Error ? error.message : String(error),
        })
      })
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
    for (const digest of [...this.#waiters.keys()]) this.#wake(digest)
    try {
      this.#subscriber?.destroy()
    } catch {
      // already closed
    }
  }

  #wake(digest: string): void {
    const waiters = this.#waiters.get(digest)
    if (waiters !== undefined) for (const done of [...waiters]) done()
  }
}

function noop(): void {}
