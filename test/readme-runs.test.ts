/**
 * The README's local path, run as a reader would: `oauth-client-credentials emulator` in one shell, its
 * `export AZURE_…` line pasted into another, then the quick start (examples/quick-start-local.ts) and
 * the web API (examples/web-api.ts) exactly as written.
 */
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, expect, it, vi } from 'vitest'
import { TokenClient } from '../src/client.js'
import { EXAMPLE } from '../src/testing/index.js'
import { shellEnvironment, startEmulator, stopEmulatorsAfterEach } from './helpers/emulator.js'

stopEmulatorsAfterEach()

afterEach(() => {
  vi.unstubAllEnvs()
  vi.restoreAllMocks()
  vi.resetModules()
})

/** Pastes the banner's line for `appId` into this process's environment. */
async function pasteExportLine(emulator: Awaited<ReturnType<typeof startEmulator>>, appId: string) {
  const env = await shellEnvironment(emulator.exportLine(appId))
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value)
  return env
}

it('runs the local quick start with the line the emulator printed: a token with its roles, then the cache', async () => {
  const emulator = await startEmulator()
  await pasteExportLine(emulator, EXAMPLE.clients.admin.appId)
  const printed: unknown[][] = []
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    printed.push(args)
  })
  await import('../examples/quick-start-local.js')
  expect(printed[0]?.[0]).toBe('api://myapis/mywebapi/.default')
  expect(printed[0]?.[1]).toMatch(/^\d{4}-\d\d-\d\dT/)
  expect(printed[0]?.[2]).toEqual(['Admin'])
  expect(printed[1]).toEqual([true])
})

it('runs the web API example against the emulator as written: roles decide, the unconsented client is refused', async () => {
  const emulator = await startEmulator()
  vi.stubEnv('PORT', '0')
  const admin = await pasteExportLine(emulator, EXAMPLE.clients.admin.appId)
  const { server } = (await import('../examples/web-api.js')) as { server: Server }
  try {
    if (!server.listening) await once(server, 'listening')
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const call = async (env: Record<string, string>, method: string) => {
      const api = TokenClient.fromEnvironment({}, env).authorizedFetch({
        resource: EXAMPLE.api.uri,
        origins: [origin],
      })
      const res = await api(`${origin}/orders`, { method })
      return { status: res.status, body: await res.text() }
    }
    const reader = await shellEnvironment(emulator.exportLine(EXAMPLE.clients.reader.appId))
    const unconsented = await shellEnvironment(emulator.exportLine(EXAMPLE.clients.unconsented.appId))
    const adminGet = await call(admin, 'GET')
    expect(adminGet.status).toBe(200)
    expect(JSON.parse(adminGet.body)).toEqual({
      caller: EXAMPLE.clients.admin.appId,
      tenant: EXAMPLE.tenantId,
      roles: ['Admin'],
    })
    expect((await call(admin, 'DELETE')).status).toBe(200)
    expect((await call(reader, 'GET')).status).toBe(200)
    expect((await call(reader, 'DELETE')).status).toBe(403)
    const refused = await call(unconsented, 'GET')
    expect(refused.status).toBe(403) // no admin consent: a token without roles
    expect(refused.body).toContain('insufficient_scope')
  } finally {
    server.closeAllConnections()
    server.close()
  }
})

it("shows the emulator's admin lines in the README as the emulator prints them (at port 8400)", async () => {
  const emulator = await startEmulator()
  const url = emulator.run.stdout.match(/listening at (\S+)/)?.[1] ?? ''
  const lines = emulator.run.stdout.split(url).join('http://127.0.0.1:8400').split('\n')
  const at = lines.findIndex((line) => line.startsWith('# daemon-admin'))
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  expect(readme).toContain(`\n${lines[at]}\n${lines[at + 1]}\n`)
})
