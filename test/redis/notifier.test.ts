/**
 * The pub/sub wake-ups of the Redis store, on a fake driver: which waiters a message wakes, sharded
 * channels and the fall-back to classic ones, closing, and the failures that leave the waiters polling
 * (the real servers are in store.test.ts, cluster.test.ts and fleet.test.ts).
 */
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import type { MessageListener, PubSubConnection, RedisDriver } from '../../src/redis/driver.js'
import { Notifier, RESUBSCRIBE_MS } from '../../src/redis/notifier.js'

const CHANNELS = ['app:token-events:{0}', 'app:token-events:{1}']
/** Longer than any test: a wait that ends, ends because it was woken. */
const NEVER_MS = 60_000

/** node-redis's class of error replies, by name. */
class ErrorReply extends Error {}

/** A driver whose pub/sub connection records subscriptions; `subscribe` may be replaced. */
function fakeDriver(pubSub: Partial<PubSubConnection> | (() => never) = {}) {
  const state = {
    subscriptions: [] as Array<{ channel: string; sharded: boolean }>,
    listeners: new Map<string, MessageListener>(),
    closed: 0,
  }
  const connection: PubSubConnection = {
    subscribe: async (channel, sharded, listener) => {
      state.subscriptions.push({ channel, sharded })
      state.listeners.set(channel, listener)
    },
    close: () => {
      state.closed++
    },
    ...(typeof pubSub === 'function' ? {} : pubSub),
  }
  const driver: RedisDriver = {
    ready: true,
    clustered: false,
    send: async () => null,
    primaries: async () => [],
    listen: () => () => undefined,
    pubSub: typeof pubSub === 'function' ? pubSub : () => connection,
  }
  const publish = (channel: string, message: string) => state.listeners.get(channel)?.(message)
  return { driver, state, publish }
}

function recordingLogger() {
  const warnings: Array<{ message: string; error: unknown }> = []
  return {
    warnings,
    logger: {
      warn: (message: string, fields?: object) =>
        warnings.push({ message, error: (fields as { error?: unknown })?.error }),
    },
  }
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve))

describe('Notifier', () => {
  it('subscribes to every channel, sharded, and wakes the waiters of the published digest only', async () => {
    const { driver, state, publish } = fakeDriver()
    const notifier = new Notifier(driver, CHANNELS, undefined)
    await flush()
    expect(state.subscriptions).toEqual(CHANNELS.map((channel) => ({ channel, sharded: true })))
    const woken: string[] = []
    const first = notifier.wait('digest-a', NEVER_MS).then(() => woken.push('a1'))
    const second = notifier.wait('digest-a', NEVER_MS).then(() => woken.push('a2'))
    void notifier.wait('digest-b', NEVER_MS).then(() => woken.push('b'))
    publish(CHANNELS[1] ?? '', 'digest-a')
    await Promise.all([first, second])
    await flush()
    expect(woken).toEqual(['a1', 'a2'])
    notifier.close()
  })

  it('subscribes to classic channels when the server knows no SSUBSCRIBE (Redis 6), without a log line', async () => {
    const { warnings, logger } = recordingLogger()
    const subscribed: Array<{ channel: string; sharded: boolean }> = []
    const { driver } = fakeDriver({
      subscribe: async (channel, sharded) => {
        if (sharded) throw new ErrorReply("ERR unknown command 'SSUBSCRIBE', with args beginning with: ")
        subscribed.push({ channel, sharded })
      },
    })
    const notifier = new Notifier(driver, CHANNELS, logger)
    await flush()
    expect(subscribed).toEqual(CHANNELS.map((channel) => ({ channel, sharded: false })))
    expect(warnings).toEqual([])
    notifier.close()
  })

  it('wakes every waiter on close, closes the pub/sub connection, and answers later waits at once', async () => {
    const { driver, state } = fakeDriver()
    const notifier = new Notifier(driver, CHANNELS, undefined)
    const waiting = Promise.all([notifier.wait('digest-a', NEVER_MS), notifier.wait('digest-b', NEVER_MS)])
    notifier.close()
    await waiting
    await notifier.wait('digest-c', NEVER_MS)
    expect(state.closed).toBe(1)
  })

  it('logs once and lets waiters poll when the pub/sub connection cannot be made (Error or not)', async () => {
    for (const [thrown, expected] of [
      [new Error('too many clients'), 'too many clients'],
      ['duplicate unsupported', 'duplicate unsupported'],
    ] as const) {
      const { warnings, logger } = recordingLogger()
      const { driver } = fakeDriver(() => {
        throw thrown
      })
      const notifier = new Notifier(driver, CHANNELS, logger)
      expect(warnings).toEqual([
        { message: 'Redis token store: no pub/sub connection; waiting processes poll.', error: expected },
      ])
      await notifier.wait('digest-a', 1) // no subscriber: the timeout ends the wait
      notifier.close()
    }
  })

  it('logs a failed subscription once (Error or not), but not one that fails because the store was closed', async () => {
    for (const [rejection, expected] of [
      [new Error('NOPERM'), 'NOPERM'],
      ['connection refused', 'connection refused'],
    ] as const) {
      const { warnings, logger } = recordingLogger()
      const { driver } = fakeDriver({ subscribe: () => Promise.reject(rejection) })
      new Notifier(driver, CHANNELS, logger).close()
      await flush()
      expect(warnings).toEqual([]) // closed before the rejection
      const notifier = new Notifier(driver, CHANNELS, logger)
      await flush()
      expect(warnings).toEqual([
        {
          message: 'Redis token store: pub/sub subscription failed; waiting processes poll.',
          error: expected,
        },
      ])
      notifier.close()
    }
  })

  it('tries a failed subscription again later, and logs nothing more while it keeps failing', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    onTestFinished(() => void vi.useRealTimers())
    const { warnings, logger } = recordingLogger()
    let failures = 2
    const subscribed: string[] = []
    const { driver } = fakeDriver({
      subscribe: async (channel) => {
        if (failures-- > 0) throw new Error('The client is closed')
        subscribed.push(channel)
      },
    })
    const notifier = new Notifier(driver, CHANNELS, logger)
    await vi.advanceTimersByTimeAsync(0)
    expect(subscribed).toEqual([])
    await vi.advanceTimersByTimeAsync(RESUBSCRIBE_MS)
    expect(subscribed).toEqual([])
    await vi.advanceTimersByTimeAsync(RESUBSCRIBE_MS)
    expect(subscribed).toEqual(CHANNELS)
    expect(warnings).toHaveLength(1)
    notifier.close()
  })
})
