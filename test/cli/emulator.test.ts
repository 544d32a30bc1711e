import { request } from 'undici'
import { expect, it } from 'vitest'
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
