import type { IncomingMessage, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'
import { expect, it, vi } from 'vitest'
import { startConsole } from '../../../src/testing/console/console.js'
import type { FaultQueue } from '../../../src/testing/faults/queue.js'
import { consoleSetup } from './setup.js'

const HOST = '127.0.0.1:5312'

function faultPost(): IncomingMessage {
  return Object.assign(Readable.from([Buffer.from('{"kind":"drop"}')]), {
    method: 'POST',
    url: '/_console/faults',
    headers: { host: HOST, 'content-type': 'application/json' },
  }) as unknown as IncomingMessage
}

function response(headersSent: boolean) {
  const res = { headersSent, status: 0, body: '', writeHead: vi.fn(), end: vi.fn(), destroy: vi.fn() }
  res.writeHead.mockImplementation((status: number) => {
    res.status = status
  })
  res.end.mockImplementation((body: string) => {
    res.body = body
  })
  return res
}

function brokenConsole() {
  const { store, log } = consoleSetup()
  const faults = {
    pending: [],
    add: () => {
      throw new Error('queue broken: do not print me')
    },
    clear: () => {},
  } as unknown as FaultQueue
  return startConsole(
    { url: `http://${HOST}`, store, log, faults, now: Date.now },
    { scheme: 'http', hosts: [HOST] },
  )
}

it('handles / and /_console/… only, the query string aside', () => {
  const { store, log, faults } = consoleSetup()
  const console_ = startConsole(
    { url: `http://${HOST}`, store, log, faults, now: Date.now },
    { scheme: 'http', hosts: [HOST] },
  )
  const handles = (url: string | undefined) => console_.handles({ url } as IncomingMessage)
  expect([handles('/'), handles('/?x=1'), handles('/_console/state#a'), handles(undefined)]).toEqual([
    true,
    true,
    true,
    true,
  ])
  expect([handles('/t/oauth2/v2.0/token'), handles('/_consolex'), handles('/favicon.ico')]).toEqual([
    false,
    false,
    false,
  ])
  console_.close()
})

it('answers 500 without the failure’s message when a console request fails', async () => {
  const res = response(false)
  brokenConsole().handle(faultPost(), res as unknown as ServerResponse)
  await vi.waitFor(() => expect(res.end).toHaveBeenCalled())
  expect(res.status).toBe(500)
  expect(res.body).toBe('console failure: Error')
})

it('destroys the response when a console request fails after its headers were sent', async () => {
  const res = response(true)
  brokenConsole().handle(faultPost(), res as unknown as ServerResponse)
  await vi.waitFor(() => expect(res.destroy).toHaveBeenCalled())
  expect(res.writeHead).not.toHaveBeenCalledWith(500, expect.anything())
})
