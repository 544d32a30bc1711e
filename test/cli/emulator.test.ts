import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { Agent, request } from 'undici'
import { expect, it, vi } from 'vitest'
import { runEmulator } from '../../src/cli/emulator.js'
import { TokenClient } from '../../src/client.js'
import { EXAMPLE, exampleRegistry, generateCertificate } from '../../src/testing/index.js'
import { shellEnvironment, startEmulator, stopEmulatorsAfterEach } from '../helpers/emulator.js'
import { captureIo } from './io.js'

stopEmulatorsAfterEach()

it('runs the local authority, prints its endpoints and test credentials, and stops when told', async () => {
  const { run, stop, exit } = await startEmulator([])
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

it.each([
  ['admin', EXAMPLE.clients.admin.appId, ['Admin']],
  ['reader', EXAMPLE.clients.reader.appId, ['ReadOnly']],
  ['unconsented', EXAMPLE.clients.unconsented.appId, undefined],
])(
  'prints an export line for the %s client; pasted into a shell, TokenClient.fromEnvironment() gets its token',
  async (_name, appId, roles) => {
    const { run } = await startEmulator([])
    const url = run.stdout.match(/listening at (\S+)/)?.[1]
    const line = run.stdout.split('\n').find((text) => text.startsWith('export ') && text.includes(appId))
    expect(line).toBeDefined()
    const env = await shellEnvironment(line ?? '')
    expect(env).toEqual({
      AZURE_TENANT_ID: EXAMPLE.tenantId,
      AZURE_CLIENT_ID: appId,
      AZURE_CLIENT_SECRET: expect.any(String),
      AZURE_AUTHORITY_HOST: url,
    })
    const token = await TokenClient.fromEnvironment({}, env).getToken(EXAMPLE.api.uri)
    expect(token.claims?.roles).toEqual(roles)
  },
)

it('explains each client: its roles, and why the unconsented one gets none', async () => {
  const { run } = await startEmulator([])
  expect(run.stdout).toMatch(/^# daemon-admin: Admin on api:\/\/myapis\/mywebapi$/m)
  expect(run.stdout).toMatch(/^# daemon-unconsented: .*no admin consent.*no roles/m)
  expect(run.stdout).toMatch(/TokenClient\.fromEnvironment\(\)/)
})

it('prints the issuers its tokens carry and the verifier settings that accept them (local by default)', async () => {
  const { run } = await startEmulator([])
  const url = run.stdout.match(/listening at (\S+)/)?.[1] ?? ''
  expect(run.stdout).toContain(
    `issuers     ${url}/${EXAMPLE.tenantId}/v2.0 (v2), ${url}/${EXAMPLE.tenantId}/ (v1)`,
  )
  expect(run.stdout).toContain(
    `createTokenVerifier({ tenant: '${EXAMPLE.tenantId}', audience: ['${EXAMPLE.api.uri}', '${EXAMPLE.api.appId}'], authorityHost: '${url}' })`,
  )
})

it('with --issuer cloud prints the real cloud issuers and a verifier with the local jwksUri', async () => {
  const { run } = await startEmulator(['--issuer', 'cloud'])
  const jwks = run.stdout.match(/jwks\s+(\S+)/)?.[1] ?? ''
  expect(run.stdout).toContain(
    `issuers     https://login.microsoftonline.com/${EXAMPLE.tenantId}/v2.0 (v2), https://sts.windows.net/${EXAMPLE.tenantId}/ (v1)`,
  )
  expect(run.stdout).toContain(`jwksUri: '${jwks}'`)
})

it('lists the certificates registered in --config, with thumbprint and expiry', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'emulator-'))
  try {
    const cert = await generateCertificate({ commonName: 'orders-daemon', validDays: 30 })
    const registry = exampleRegistry()
    const admin = registry.clients?.[0]
    if (admin) admin.certificates = [{ pem: cert.certificatePem, displayName: 'rotation 2026' }]
    const file = join(directory, 'registry.json')
    writeFileSync(file, JSON.stringify(registry))
    const { run } = await startEmulator(['--config', file])
    const notAfter = new Date(cert.x509.validTo).toISOString().slice(0, 10)
    expect(run.stdout).toMatch(
      new RegExp(
        `certificate rotation 2026: CN=orders-daemon, thumbprint ${cert.thumbprintHex}, valid until ${notAfter}`,
      ),
    )
  } finally {
    rmSync(directory, { recursive: true, force: true })
  }
})

it('--print-registry prints the example registry as JSON; given back with --config it is the same authority', async () => {
  const printed = captureIo()
  expect(await runEmulator(['--print-registry'], printed.io, Promise.resolve())).toBe(0)
  const document = JSON.parse(printed.stdout) as Record<string, unknown>
  expect(document.$schema).toBe('./node_modules/oauth-client-credentials/schema/registry.schema.json')
  const { $schema: _, ...registry } = document
  expect(registry).toEqual(JSON.parse(JSON.stringify(exampleRegistry())))
  const directory = mkdtempSync(join(tmpdir(), 'emulator-'))
  try {
    const file = join(directory, 'registry.json')
    writeFileSync(file, printed.stdout)
    const { run } = await startEmulator(['--config', file])
    const line = run.stdout.split('\n').find((text) => text.includes(EXAMPLE.clients.reader.appId))
    const env = await shellEnvironment(line ?? '')
    const token = await TokenClient.fromEnvironment({}, env).getToken(EXAMPLE.api.uri)
    expect(token.claims?.roles).toEqual(['ReadOnly'])
  } finally {
    rmSync(directory, { recursive: true, force: true })
  }
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
  const config = fileURLToPath(new URL('../fixtures/testing/emulator-registry.json', import.meta.url))
  const { run, stop, exit } = await startEmulator(['--https', '--config', config, '--issuer', 'local'])
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
  expect(run.stdout).toMatch(/^# app-c3d4e5f6: no app roles granted\n# {3}no secret registered/m)
  expect(run.stdout).not.toContain(EXAMPLE.api.uri)
  expect(run.stdout).toMatch(/CA certificate.*\n-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/)
})

it('with --https, a node started with NODE_EXTRA_CA_CERTS set to the printed CA trusts it, as the banner says', async () => {
  const { run } = await startEmulator(['--https'])
  expect(run.stdout).toContain('NODE_EXTRA_CA_CERTS=<that file>')
  const metadataUrl = run.stdout.match(/metadata\s+(\S+)/)?.[1] ?? ''
  const ca = run.stdout.match(/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/)?.[0] ?? ''
  const directory = mkdtempSync(join(tmpdir(), 'emulator-'))
  try {
    writeFileSync(join(directory, 'ca.pem'), `${ca}\n`)
    const script = 'const r = await fetch(process.argv[1]); console.log(r.status, (await r.json()).issuer)'
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '-e', script, metadataUrl],
      {
        env: { PATH: process.env.PATH ?? '', NODE_EXTRA_CA_CERTS: join(directory, 'ca.pem') },
      },
    )
    expect(stdout).toMatch(/^200 https:\/\/127\.0\.0\.1:\d+\//)
  } finally {
    rmSync(directory, { recursive: true, force: true })
  }
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
