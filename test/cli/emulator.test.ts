import { fileURLToPath } from 'node:url'
import { Agent, request } from 'undici'
import { expect, it, vi } from 'vitest'
import { runEmulator } from '../../src/cli/emulator.js'
import { EXAMPLE } from '../../src/testing/index.js'
import { captureIo } from './io.js'

it('runs the local authority, prints its endpoints and test credentials, and stops when told', async () => {
  const run = captureIo()
  let stop!: () => void
  const stopped = new Promise<void>((resolve) => {
    stop = resolve
  })
  const exit = runEmulator([], run.io, stopped)
  await new Promise<void>((resolve, reject) => {
    const started = Date.now()
    const poll = () =>
      run.stdout.includes('Ctrl-C')
        ? resolve()
        : Date.now() - started > 5000
          ? reject(new Error('no output'))
          : setTimeout(poll, 20)
    poll()
  })
  const endpoint = run.stdout.match(/token \(v2\)\s+(\S+)/)?.[1]
  expect(endpoint).toMatch(
    /^http:\/\/127\.0\.0\.1:\d+\/f6aba1d9-da41-4ea3-8f30-4970725586a8\/oauth2\/v2\.0\/token$/,
  )
  expect(run.stdout).toContain(EXAMPLE.clients.admin.secret)
  const res = await request(endpoint ?? '', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: EXAMPLE.clients.admin.appId,
      client_secret: EXAMPLE.clients.admin.secret,
      scope: `${EXAMPLE.api.uri}/.default`,
    }).toString(),
  })
  expect(res.statusCode).toBe(200)
  await res.body.text()
  stop()
  expect(await exit).toBe(0)
})

it('refuses a bad port with exit code 2', async () => {
  const run = captureIo()
  expect(await runEmulator(['--port', 'abc'], run.io, Promise.resolve())).toBe(2)
})

it.each([
  ['a port over 65535', ['--port', '70000'], /--port must be a port number \(got 70000\)/],
  ['a negative port', ['--port=-1'], /--port must be a port number \(got -1\)/],
  [
    'an issuer mode other than cloud or local',
    ['--issuer', 'remote'],
    /--issuer must be cloud or local \(got remote\)/,
  ],
])('refuses %s with exit code 2', async (_name, argv, message) => {
  const run = captureIo()
  expect(await runEmulator(argv, run.io, Promise.resolve())).toBe(2)
  expect(run.stderr).toMatch(message)
})

it('serves https with --https and prints the CA to trust; with --config it lists that registry, local issuers with --issuer local', async () => {
  const run = captureIo()
  const config = fileURLToPath(new URL('../fixtures/testing/emulator-registry.json', import.meta.url))
  let stop!: () => void
  const stopped = new Promise<void>((resolve) => {
    stop = resolve
  })
  const exit = runEmulator(['--https', '--config', config, '--issuer', 'local'], run.io, stopped)
  await vi.waitFor(() => expect(run.stdout).toContain('Ctrl-C'), { timeout: 10_000 })
  const url = run.stdout.match(/listening at (\S+)/)?.[1] ?? ''
  const metadataUrl = run.stdout.match(/metadata\s+(\S+)/)?.[1] ?? ''
  const ca = run.stdout.match(/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/)?.[0] ?? ''
  const trusting = new Agent({ connect: { ca } })
  const metadata = await request(metadataUrl, { dispatcher: trusting })
  const { issuer } = (await metadata.body.json()) as { issuer: string }
  await trusting.close()
  stop()
  expect(await exit).toBe(0)
  expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
  expect(issuer.startsWith(url)).toBe(true) // --issuer local: the authority's own URL
  expect(run.stdout).toContain('tenant b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e tailspin.onmicrosoft.com')
  expect(run.stdout).toMatch(/^ {2}c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f {2}app-c3d4e5f6$/m) // no secret to print
  expect(run.stdout).not.toContain(EXAMPLE.api.uri)
  expect(run.stdout).toMatch(/CA certificate.*\n-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/)
})

it('prints the console URL and serves the console page there', async () => {
  const run = captureIo()
  let stop!: () => void
  const stopped = new Promise<void>((resolve) => {
    stop = resolve
  })
  const exit = runEmulator([], run.io, stopped)
  await vi.waitFor(() => expect(run.stdout).toContain('Ctrl-C'), { timeout: 10_000 })
  const url = run.stdout.match(/listening at (\S+)/)?.[1] ?? ''
  const consoleUrl = run.stdout.match(/console\s+(\S+)/)?.[1] ?? ''
  expect(consoleUrl).toBe(`${url}/`)
  const page = await request(consoleUrl)
  expect(page.statusCode).toBe(200)
  expect(await page.body.text()).toContain('<title>Local authority console</title>')
  stop()
  expect(await exit).toBe(0)
})
