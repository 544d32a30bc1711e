/**
 * The pub/sub wake-ups of the Redis store, on fake clients: which waiters a message wakes, closing, and
 * the failures that leave the waiters polling (the real server is in store.test.ts and fleet.test.ts).
 */
import { describe, expect, it } from 'vitest'
import type { RedisClientLike, RedisSubscriberLike } from '../../src/redis/client.js'
import { Notifier } from '../../src/redis/notifier.js'

const CHANNEL = 'oauth-client-credentials:token-events'
/** Longer than any test: a wait that ends, ends because it was woken. */
const NEVER_MS = 60_000

/** A fake client whose duplicate is a controllable subscriber. */
function fakeRedis(subscriber: Partial<RedisSubscriberLike> | (() => never)) {
  const state: { publish?: (message: string, channel: string) => unknown; destroyed: number } = {
    destroyed: 0,
  }
  const duplicate =
    typeof subscriber === 'function'
      ? subscriber
      : (): RedisSubscriberLike => ({
          connect: async () => undefined,
          subscribe: async (_channel, listener) => {
            state.publish = listener
          },
          destroy: () => {
            state.destroyed++
          },
          unref: () => undefined,
          on: () => undefined,
          ...subscriber,
        })
  const client: RedisClientLike = {
    isReady: true,
    sendCommand: async () => null,
    duplicate,
    on: () => undefined,
    off: () => undefined,
  }
  return { client, state }
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
  it('wakes the waiters of the published digest only', async () => {
    const { client, state } = fakeRedis({})
    const notifier = new Notifier(client, CHANNEL, undefined)
    await flush()
    const woken: string[] = []
    const first = notifier.wait('digest-a', NEVER_MS).then(() => woken.push('a1'))
    const second = notifier.wait('digest-a', NEVER_MS).then(() => woken.push('a2'))
    void notifier.wait('digest-b', NEVER_MS).then(() => woken.push('b'))
    state.publish?.('digest-a', CHANNEL)
    await Promise.all([first, second])
    await flush()
    expect(woken).toEqual(['a1', 'a2'])
    notifier.close()
  })

  it('wakes every waiter on close, destroys the subscriber, and answers later waits at once', async () => {
    const { client, state } = fakeRedis({})
    const notifier = new Notifier(client, CHANNEL, undefined)
    const waiting = Promise.all([notifier.wait('digest-a', NEVER_MS), notifier.wait('digest-b', NEVER_MS)])
    notifier.close()
    await waiting
    await notifier.wait('digest-c', NEVER_MS)
    expect(state.destroyed).toBe(1)
  })

  it('logs once and lets waiters poll when the pub/sub connection cannot be made (Error or not)', async () => {
    for (const [thrown, expected] of [
      [new Error('too many clients'), 'too many clients'],
      ['duplicate unsupported', 'duplicate unsupported'],
    ] as const) {
      const { warnings, logger } = recordingLogger()
      const { client } = fakeRedis(() => {
        throw thrown
      })
      const notifier = new Notifier(client, CHANNEL, logger)
      expect(warnings).toEqual([
        { message: 'Redis token store: no pub/sub connection; waiting processes poll.', error: expected },
      ])
      await notifier.wait('digest-a', 1) // no subscriber: the timeout ends the wait
      notifier.close()
    }
  })

  it('logs a failed subscription (Error or not), but not one that fails because the store was closed', async () => {
    for (const [rejection, expected] of [
      [new Error('NOPERM'), 'NOPERM'],
      ['connection refused', 'connection refused'],
    ] as const) {
      const { warnings, logger } = recordingLogger()
      const { client } = fakeRedis({ connect: () => Promise.reject(rejection) })
      new Notifier(client, CHANNEL, logger)
      await flush()
      expect(warnings).toEqual([
        {
          message: 'Redis token store: pub/sub subscription failed; waiting processes poll.',
          error: expected,
        },
      ])
    }
    const { warnings, logger } = recordingLogger()
    let fail!: (error: Error) => void
    const { client } = fakeRedis({ connect: () => new Promise((_, reject) => (fail = reject)) })
    const closing = new Notifier(client, CHANNEL, logger)
    closing.close()
    fail(new Error('disconnected'))
    await flush()
    expect(warnings).toEqual([])
  })

  it('closes quietly when the subscriber is already gone', () => {
    const { client } = fakeRedis({
      destroy: () => {
        throw new Error('The client is closed')
      },
    })
    expect(() => new Notifier(client, CHANNEL, undefined).close()).not.toThrow()
  })
})
