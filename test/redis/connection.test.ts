/**
 * The guarded Redis connection on a fake driver: what its outage log says for the failures a real
 * server rarely produces (non-Error rejections, errors without a message), a logger without info, and
 * a cluster whose primaries fail one at a time (outages by hash tag, logged once for the store).
 */
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import { FAILED, OUTAGE_PROBE_MS, RedisConnection } from '../../src/redis/connection.js'
import type { RedisDriver } from '../../src/redis/driver.js'
import { Refused } from '../../src/redis/replies.js'

/** node-redis's class of error replies, by name (the connection recognises it by its name). */
class ErrorReply extends Error {}

function fakeDriver(send: RedisDriver['send'], clustered = false) {
  const listeners: { error?: ((error: unknown) => void) | undefined; ready?: (() => void) | undefined } = {}
  const driver: RedisDriver = {
    ready: true,
    clustered,
    send,
    primaries: async () => [],
    listen: (onError, onReady) => {
      Object.assign(listeners, { error: onError, ready: onReady })
      return () => {
        listeners.error = undefined
        listeners.ready = undefined
      }
    },
    pubSub: () => {
      throw new Error('not used')
    },
  }
  return { driver, listeners }
}

function recorder() {
  const lines: unknown[] = []
  return { lines, logger: { warn: (message: string, fields?: object) => lines.push([message, fields]) } }
}

const UNAVAILABLE =
  'Redis token store unavailable: tokens come from the in-process cache and the token endpoint until it is back.'

describe('RedisConnection', () => {
  it.each([
    ['a rejection that is not an Error', 'ECONNRESET', 'ECONNRESET'],
    ['an Error without a message', new TypeError(''), 'TypeError'],
  ])('answers FAILED to %s and names it in the outage log', async (_name, rejection, reason) => {
    const { lines, logger } = recorder()
    const { driver } = fakeDriver(() => Promise.reject(rejection))
    const connection = new RedisConnection(driver, 1_000, logger)
    expect(await connection.run(['GET', 'key'], 'key')).toBe(FAILED)
    expect(connection.down()).toBe(true)
    expect(lines).toEqual([[UNAVAILABLE, { reason }]])
  })

  it('says Redis is back through warn when the logger has no info', () => {
    const warnings: string[] = []
    const { driver, listeners } = fakeDriver(async () => 'OK')
    const connection = new RedisConnection(driver, 1_000, { warn: (message) => warnings.push(message) })
    listeners.error?.(new Error('connect ECONNREFUSED 127.0.0.1:6379'))
    listeners.ready?.()
    expect(connection.down()).toBe(false)
    expect(warnings.at(-1)).toBe('Redis token store available again.')
  })

  it('answers an expected error reply as a Refused, unlogged, and logs the others', async () => {
    const { lines, logger } = recorder()
    const { driver } = fakeDriver(() => Promise.reject(new ErrorReply("ERR unknown command 'SPUBLISH'")))
    const connection = new RedisConnection(driver, 1_000, logger)
    const reply = await connection.run(['SPUBLISH', 'c', 'm'], 'c', /unknown command/i)
    expect(reply).toBeInstanceOf(Refused)
    expect(lines).toEqual([])
    expect(await connection.run(['SPUBLISH', 'c', 'm'], 'c')).toBe(FAILED)
    expect(lines).toEqual([
      [
        'Redis refused a token store command; going on without it.',
        { command: 'SPUBLISH', error: "ERR unknown command 'SPUBLISH'" },
      ],
    ])
    expect(connection.down()).toBe(false) // an answer is not an outage
  })

  it('stops listening to the client on close, and answers FAILED from then on', async () => {
    const { driver, listeners } = fakeDriver(async () => 'OK')
    const connection = new RedisConnection(driver, 1_000, undefined)
    connection.close()
    expect(listeners.error).toBeUndefined()
    expect(await connection.run(['GET', 'key'], 'key')).toBe(FAILED)
  })
})

describe('RedisConnection on a cluster', () => {
  /** A cluster whose primary for the hash tag `{lost}` is gone; the others answer. */
  function partlyLost(error: unknown) {
    const sent: string[] = []
    const { driver, listeners } = fakeDriver(async (_args, key) => {
      sent.push(key ?? '')
      if (key?.includes('{lost}')) throw error
      return 'OK'
    }, true)
    return { driver, listeners, sent }
  }

  it.each([
    ['a connection error', new Error('connect ECONNREFUSED 127.0.0.1:7002')],
    ['CLUSTERDOWN', new ErrorReply('CLUSTERDOWN The cluster is down')],
    ['TRYAGAIN during a failover', new ErrorReply('TRYAGAIN Multiple keys request during rehashing of slot')],
  ])(
    'keeps using the primaries that answer when one fails with %s, and logs one outage',
    async (_name, error) => {
      const { lines, logger } = recorder()
      const { driver, sent } = partlyLost(error)
      const connection = new RedisConnection(driver, 1_000, logger)
      expect(await connection.run(['GET', 'a:{lost}:1'], 'a:{lost}:1')).toBe(FAILED)
      expect(await connection.run(['GET', 'a:{lost}:2'], 'a:{lost}:2')).toBe(FAILED) // quiet: not sent
      expect(await connection.run(['GET', 'a:{ok}:1'], 'a:{ok}:1')).toBe('OK')
      expect(await connection.run(['GET', 'a:{ok}:2'], 'a:{ok}:2')).toBe('OK')
      expect(sent).toEqual(['a:{lost}:1', 'a:{ok}:1', 'a:{ok}:2'])
      expect(connection.down('a:{lost}:3')).toBe(true)
      expect(connection.down('a:{ok}:3')).toBe(false)
      expect(lines).toEqual([[UNAVAILABLE, { reason: (error as Error).message }]])
    },
  )

  it('says Redis is back once every lost hash tag answers again', async () => {
    vi.useFakeTimers({ toFake: ['performance', 'setTimeout', 'clearTimeout'] })
    onTestFinished(() => void vi.useRealTimers())
    const { lines, logger } = recorder()
    let lost = true
    const { driver } = fakeDriver(async (_args, key) => {
      if (lost && key?.includes('{a}')) throw new Error('ECONNREFUSED')
      return 'OK'
    }, true)
    const connection = new RedisConnection(driver, 1_000, logger)
    await connection.run(['GET', 'x:{a}'], 'x:{a}')
    lost = false
    vi.advanceTimersByTime(OUTAGE_PROBE_MS) // the quiet period ends
    await connection.run(['GET', 'x:{b}'], 'x:{b}')
    expect(lines).toHaveLength(1)
    await connection.run(['GET', 'x:{a}'], 'x:{a}')
    expect(lines).toEqual([
      [UNAVAILABLE, { reason: 'ECONNREFUSED' }],
      ['Redis token store available again.', undefined],
    ])
  })

  it('takes no client error event as an outage of the whole cluster', () => {
    const { lines, logger } = recorder()
    const { driver, listeners } = fakeDriver(async () => 'OK', true)
    const connection = new RedisConnection(driver, 1_000, logger)
    listeners.error?.(new Error('Failed to refresh slots cache'))
    expect(connection.down()).toBe(false)
    expect(lines).toEqual([])
  })
})
