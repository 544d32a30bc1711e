import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Agent } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { acceptingLegacyHandlers } from '../../src/mtls/legacy-handler.js'

const server = createServer((req, res) => {
  res.setHeader('set-cookie', ['a=1', 'b=2'])
  res.setHeader('x-method', req.method ?? '')
  res.end('x'.repeat(100_000))
})
let origin: string
const agent = new Agent()

beforeAll(async () => {
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await agent.close()
  server.closeAllConnections()
  server.close()
})

describe("an undici-package Agent under Node's own fetch", () => {
  // Node's own fetch runs on the undici it bundles: 6 and 7 (Node 22, 24) speak the old handler API and
  // refuse the package's Agent (undici 8), which the adapter exists for; undici 8 (Node 26) takes it as is
  const bundledMajor = Number(process.versions.undici?.split('.')[0])
  it(`is ${bundledMajor < 8 ? 'refused' : 'taken'} as it is by the bundled fetch (undici ${process.versions.undici})`, async () => {
    const init = { dispatcher: agent } as unknown as RequestInit
    if (bundledMajor < 8) await expect(fetch(`${origin}/`, init)).rejects.toThrow(TypeError)
    else expect((await fetch(`${origin}/`, init)).status).toBe(200)
  })

  it('answers through the adapter: status, every header value, the whole body', async () => {
    const init = {
      method: 'POST',
      body: 'hello',
      dispatcher: acceptingLegacyHandlers(agent),
    } as unknown as RequestInit
    const res = await fetch(`${origin}/`, init)
    expect(res.status).toBe(200)
    expect(res.headers.get('x-method')).toBe('POST')
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2'])
    expect((await res.text()).length).toBe(100_000)
  })

  it('stops when the caller aborts', async () => {
    const controller = new AbortController()
    controller.abort(new Error('stop'))
    const init = {
      signal: controller.signal,
      dispatcher: acceptingLegacyHandlers(agent),
    } as unknown as RequestInit
    await expect(fetch(`${origin}/`, init)).rejects.toThrow('stop')
  })
})
