import { channel } from 'node:diagnostics_channel'
import { Agent, request } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import {
  type CreatedRequest,
  REQUEST_CREATE_CHANNEL,
  WATCH_HEADER,
  watchedRequests,
  watchRequests,
} from '../src/request-watch.js'

const create = channel(REQUEST_CREATE_CHANNEL)
const stops: Array<() => void> = []
afterEach(() => {
  for (const stop of stops.splice(0)) stop()
})

function watch(id: string): CreatedRequest[] {
  const seen: CreatedRequest[] = []
  stops.push(watchRequests(id, (created) => seen.push(created)))
  return seen
}

describe('watchRequests', () => {
  it('reports the requests carrying the watched id, with their origin, path and Host (undici 7+ header lists)', () => {
    const seen = watch('id-1')
    create.publish({
      request: {
        origin: 'https://a.example',
        path: '/t',
        headers: ['Client-Request-Id', 'id-1'],
        host: 'a.example',
      },
    })
    create.publish({ request: { origin: 'https://b.example', path: '/t', headers: [WATCH_HEADER, 'id-2'] } })
    create.publish({ request: { origin: 'https://c.example', path: '/t', headers: [] } })
    expect(seen).toEqual([{ origin: 'https://a.example', path: '/t', host: 'a.example' }])
  })

  it("reads undici 6's header string and a Host header in it", () => {
    const seen = watch('id-3')
    create.publish({
      request: {
        origin: new URL('http://127.0.0.1:8080'),
        path: '/token',
        headers: 'host: localhost:8080\r\nclient-request-id: id-3\r\n',
      },
    })
    expect(seen).toEqual([{ origin: 'http://127.0.0.1:8080', path: '/token', host: 'localhost:8080' }])
  })

  it('ignores messages that are not requests', () => {
    const seen = watch('id-4')
    for (const message of [
      null,
      {},
      { request: null },
      { request: { origin: 1, path: '/', headers: [WATCH_HEADER, 'id-4'] } },
    ]) {
      create.publish(message)
    }
    expect(seen).toEqual([])
  })

  it('sees what undici really creates, after the dispatcher changed it', async () => {
    const seen = watch('id-5')
    const agent = new Agent().compose(
      (dispatch) => (opts, handler) => dispatch({ ...opts, path: '/changed' }, handler),
    )
    const error = await request('http://127.0.0.1:1/original', {
      dispatcher: agent,
      headers: { [WATCH_HEADER]: 'id-5' },
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Error)
    expect(seen).toEqual([{ origin: 'http://127.0.0.1:1', path: '/changed', host: undefined }])
    await agent.close()
  })

  it('is subscribed to the channel only while something is watched', () => {
    expect(create.hasSubscribers).toBe(false)
    const stopA = watchRequests('a', () => {})
    const stopB = watchRequests('b', () => {})
    expect([create.hasSubscribers, watchedRequests()]).toEqual([true, 2])
    stopA()
    stopA()
    expect([create.hasSubscribers, watchedRequests()]).toEqual([true, 1])
    stopB()
    expect([create.hasSubscribers, watchedRequests()]).toEqual([false, 0])
  })
})
