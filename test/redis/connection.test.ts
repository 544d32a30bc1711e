/**
 * The guarded Redis connection on a fake client: what its outage log says for the failures a real
 * server rarely produces (non-Error rejections, errors without a message), and a logger without info.
 */
import { describe, expect, it } from 'vitest'
import type { RedisClientLike } from '../../src/redis/client.js'
import { FAILED, RedisConnection } from '../../src/redis/connection.js'

function fakeClient(sendCommand: RedisClientLike['sendCommand']) {
  const listeners = new Map<string, (...args: unknown[]) => void>()
  const client: RedisClientLike = {
    isReady: true,
    sendCommand,
    duplicate: () => {
      throw new Error('not used')
    },
    on: (event, listener) => listeners.set(event, listener),
    off: (event) => listeners.delete(event),
  }
  return { client, emit: (event: string, ...args: unknown[]) => listeners.get(event)?.(...args) }
}

describe('RedisConnection', () => {
  it.each([
    ['a rejection that is not an Error', 'ECONNRESET', 'ECONNRESET'],
    ['an Error without a message', new TypeError(''), 'TypeError'],
  ])('answers FAILED to %s and names it in the outage log', async (_name, rejection, reason) => {
    const warnings: unknown[] = []
    const { client } = fakeClient(() => Promise.reject(rejection))
    const connection = new RedisConnection(client, 1_000, {
      warn: (message, fields) => warnings.push([message, fields]),
    })
    expect(await connection.run(['GET', 'key'])).toBe(FAILED)
    expect(connection.down).toBe(true)
    expect(warnings).toEqual([
      [
        'Redis token store unavailable: tokens come from the in-process cache and the token endpoint until it is back.',
        { reason },
      ],
    ])
  })

  it('says Redis is back through warn when the logger has no info', () => {
    const warnings: string[] = []
    const { client, emit } = fakeClient(async () => 'OK')
    const connection = new RedisConnection(client, 1_000, { warn: (message) => warnings.push(message) })
    emit('error', new Error('connect ECONNREFUSED 127.0.0.1:6379'))
    emit('ready')
    expect(connection.down).toBe(false)
    expect(warnings.at(-1)).toBe('Redis token store available again.')
  })
})
