import { EventEmitter } from 'node:events'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { EventHub, WATCH_MS } from '../../../src/testing/console/events.js'
import { EXAMPLE } from '../../../src/testing/index.js'
import { consoleSetup, tokenEntry } from './setup.js'

/** A response that keeps what is written to it. */
function stream() {
  const res = new EventEmitter() as EventEmitter & {
    status?: number
    headers?: Record<string, string>
    text: string
    ended: boolean
  }
  res.text = ''
  res.ended = false
  Object.assign(res, {
    writeHead(status: number, headers: Record<string, string>) {
      res.status = status
      res.headers = headers
    },
    write(chunk: string) {
      res.text += chunk
      return true
    },
    end() {
      res.ended = true
    },
  })
  const req = { socket: { setKeepAlive: vi.fn() } }
  return {
    res,
    attach: (hub: EventHub) =>
      hub.attach(req as unknown as IncomingMessage, res as unknown as ServerResponse, { 'x-test': '1' }),
    events: () =>
      [...res.text.matchAll(/event: (\w+)\ndata: (.*)\n\n/g)].map((m) => [m[1], JSON.parse(m[2] ?? '')]),
  }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('the event streams', () => {
  it('answer text/event-stream and push each request to every open page', () => {
    const { log, state } = consoleSetup()
    const hub = new EventHub(state)
    const [a, b] = [stream(), stream()]
    a.attach(hub)
    b.attach(hub)
    expect(a.res.status).toBe(200)
    expect(a.res.headers).toEqual({ 'x-test': '1', 'content-type': 'text/event-stream; charset=utf-8' })
    expect(a.res.text.startsWith('retry: 1000\n\n')).toBe(true)
    log.record(tokenEntry({ status: 401, errorCodes: [7000215] }), false)
    for (const page of [a, b]) {
      expect(page.events()).toEqual([['request', expect.objectContaining({ seq: 1, status: 401 })]])
    }
    hub.close()
  })

  it('push changed registrations and faults while a page is open, checked every WATCH_MS', () => {
    vi.useFakeTimers()
    const { faults, clients, state } = consoleSetup()
    const hub = new EventHub(state)
    const page = stream()
    page.attach(hub)
    clients.setAdminConsent(EXAMPLE.clients.unconsented.appId, EXAMPLE.api.uri, true)
    faults.add({ kind: 'drop' })
    expect(page.events()).toEqual([])
    vi.advanceTimersByTime(WATCH_MS)
    expect(page.events().map(([event]) => event)).toEqual(['registry', 'faults'])
    vi.advanceTimersByTime(WATCH_MS * 4)
    expect(page.events()).toHaveLength(2)
    hub.close()
  })

  it('stop watching when the last page goes, and end every stream when closed', () => {
    vi.useFakeTimers()
    const { faults, log, state } = consoleSetup()
    const hub = new EventHub(state)
    const [a, b] = [stream(), stream()]
    a.attach(hub)
    b.attach(hub)
    a.res.emit('close')
    expect(hub.size).toBe(1)
    expect(vi.getTimerCount()).toBe(1)
    b.res.emit('close')
    expect(hub.size).toBe(0)
    expect(vi.getTimerCount()).toBe(0)
    faults.add({ kind: 'drop' })
    vi.advanceTimersByTime(WATCH_MS)
    expect(b.events()).toEqual([])

    const c = stream()
    c.attach(hub)
    hub.close()
    expect(c.res.ended).toBe(true)
    expect(vi.getTimerCount()).toBe(0)
    log.record(tokenEntry(), true)
    expect(c.events()).toEqual([])
  })
})
