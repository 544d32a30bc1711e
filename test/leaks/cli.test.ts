/**
 * The leak suite for the command line: when `oauth-client-credentials token` fails — refused, unreachable,
 * redirected, a bad answer, a bad credential — what it prints (stdout and stderr) holds no secret, key,
 * passphrase, assertion (as received by the endpoint) or token, and nothing JWT-shaped at all.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { main } from '../../src/cli/main.js'
import { EXAMPLE, type LocalAuthority, startLocalAuthority } from '../../src/testing/index.js'
import { captureIo } from '../cli/io.js'
import { fixturePath } from '../credentials/fixtures.js'
import { closedPort, entraErrorBody, type FakeAuthority, startFakeAuthority } from './fake-authority.js'
import { CERT_APP, OTHER_APP, registerLeakApps, SECRET_APP, signAssertion } from './kinds.js'
import {
  baseSecrets,
  expectNoLeak,
  LEAK_SECRET,
  PASSPHRASE,
  WRONG_PASSPHRASE,
  WRONG_SECRET,
} from './secrets.js'

const TENANT = EXAMPLE.tenantId
const RESOURCE = EXAMPLE.api.uri
const JWT_SHAPED = /eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}/
/** An access token the fake endpoint answers with; the command must not print it on failure. */
const FAKE_TOKEN = `eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJhcGk6Ly9sZWFrcyJ9.${'c2lnbmF0dXJlLW9mLXRoZS1sZWFr'.repeat(4)}`

let authority: LocalAuthority
let fake: FakeAuthority
let refusedUrl: string
beforeAll(async () => {
  authority = await startLocalAuthority()
  registerLeakApps(authority)
  fake = await startFakeAuthority()
  refusedUrl = `http://127.0.0.1:${await closedPort()}`
})
afterAll(async () => {
  await authority?.close()
  await fake?.close()
})

let dir: string
let seenBefore = 0
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cc-leaks-cli-'))
  seenBefore = fake.seen.length
})
afterEach(() => {
  authority.faults.clear()
  rmSync(dir, { recursive: true, force: true })
})

type Env = Record<string, string>
const secretEnv = (host: string, secret = LEAK_SECRET): Env => ({
  AZURE_TENANT_ID: TENANT,
  AZURE_CLIENT_ID: SECRET_APP,
  AZURE_CLIENT_SECRET: secret,
  AZURE_AUTHORITY_HOST: host,
})
const certificateEnv = (host: string, file: string, password = PASSPHRASE, clientId = CERT_APP): Env => ({
  AZURE_TENANT_ID: TENANT,
  AZURE_CLIENT_ID: clientId,
  AZURE_CLIENT_CERTIFICATE_PATH: fixturePath(file),
  AZURE_CLIENT_CERTIFICATE_PASSWORD: password,
  AZURE_AUTHORITY_HOST: host,
})

interface Case {
  readonly name: string
  readonly env: () => Env | Promise<Env>
  readonly args?: readonly string[]
  readonly fake?: Parameters<FakeAuthority['answer']>[0]
}

const refusedByFake = {
  status: 401,
  headers: { 'content-type': 'application/json' },
  body: entraErrorBody('invalid_client', 700027, 'Client assertion failed signature validation.'),
}

const CASES: readonly Case[] = [
  { name: 'a wrong secret (AADSTS7000215)', env: () => secretEnv(authority.url, WRONG_SECRET) },
  {
    name: 'an unknown API (AADSTS500011)',
    env: () => secretEnv(authority.url),
    args: ['--resource', 'api://leaks/unknown-api'],
  },
  {
    name: 'a certificate the app does not hold (AADSTS700027)',
    env: () => certificateEnv(authority.url, 'rsa.combined-encrypted.pem', PASSPHRASE, OTHER_APP),
  },
  {
    name: 'a PEM file with the wrong password',
    env: () => certificateEnv(authority.url, 'rsa.combined-encrypted.pem', WRONG_PASSPHRASE),
  },
  {
    name: 'a PFX file with the wrong password',
    env: () => certificateEnv(authority.url, 'rsa.aes.pfx', WRONG_PASSPHRASE),
  },
  {
    name: 'a PFX file given by flags with the wrong --certificate-password',
    env: () => ({ AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CERT_APP, AZURE_AUTHORITY_HOST: authority.url }),
    args: ['--certificate', fixturePath('rsa.aes.pfx'), '--certificate-password', WRONG_PASSPHRASE],
  },
  {
    name: 'a federated token file that does not exist',
    env: () => ({
      AZURE_TENANT_ID: TENANT,
      AZURE_CLIENT_ID: CERT_APP,
      AZURE_FEDERATED_TOKEN_FILE: join(dir, 'missing'),
      AZURE_AUTHORITY_HOST: authority.url,
    }),
  },
  { name: 'nothing listening', env: () => secretEnv(refusedUrl) },
  { name: 'a secret refused by the endpoint', env: () => secretEnv(fake.url), fake: refusedByFake },
  {
    name: 'a certificate refused by the endpoint',
    env: () => certificateEnv(fake.url, 'rsa.aes.pfx'),
    fake: refusedByFake,
  },
  {
    name: 'a federated token refused by the endpoint',
    env: async () => {
      const file = join(dir, 'azure-identity-token')
      writeFileSync(file, await signAssertion(CERT_APP, `${fake.url}/${TENANT}/oauth2/v2.0/token`))
      return {
        AZURE_TENANT_ID: TENANT,
        AZURE_CLIENT_ID: CERT_APP,
        AZURE_FEDERATED_TOKEN_FILE: file,
        AZURE_AUTHORITY_HOST: fake.url,
      }
    },
    fake: refusedByFake,
  },
  {
    name: 'a token whose expires_in is not a number',
    env: () => certificateEnv(fake.url, 'rsa.combined-encrypted.pem'),
    fake: {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token_type: 'Bearer', expires_in: 'soon', access_token: FAKE_TOKEN }),
    },
  },
  {
    name: 'a token answer cut short',
    env: () => secretEnv(fake.url),
    fake: {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token_type: 'Bearer', expires_in: 3599, access_token: FAKE_TOKEN }).slice(
        0,
        -40,
      ),
    },
  },
  {
    name: 'a redirect',
    env: () => secretEnv(fake.url),
    fake: () => ({ status: 307, headers: { location: `${authority.url}/${TENANT}/oauth2/v2.0/token` } }),
  },
  { name: 'a dropped connection', env: () => secretEnv(fake.url), fake: 'drop' },
]

const OUTPUTS = [
  { output: 'text', flags: [], expectShape: (stderr: string) => expect(stderr).toMatch(/^token: /) },
  {
    output: '--json',
    flags: ['--json'],
    expectShape: (stderr: string) =>
      expect(JSON.parse(stderr)).toMatchObject({ code: expect.stringMatching(/^ERR_/) }),
  },
]

describe.each(OUTPUTS)('oauth-client-credentials token ($output)', ({ flags, expectShape }) => {
  it.each(CASES)('$name: exits non-zero and prints no secret, key, assertion or token', async (c) => {
    if (c.fake !== undefined) fake.answer(c.fake)
    const run = captureIo(await c.env())
    const code = await main(['token', '--resource', RESOURCE, ...(c.args ?? []), ...flags], run.io)
    expect([1, 2]).toContain(code)
    expect(run.stdout).toBe('')
    expectShape(run.stderr)
    const secrets = baseSecrets().addToken('the endpoint’s access token', FAKE_TOKEN)
    for (const seen of fake.seen.slice(seenBefore)) {
      const form = new URLSearchParams(seen.body)
      for (const secret of form.getAll('client_secret')) secrets.add('client secret sent', secret)
      for (const assertion of form.getAll('client_assertion'))
        secrets.addToken('client assertion sent', assertion)
    }
    if (c.fake !== undefined) expect(fake.seen.length).toBeGreaterThan(seenBefore)
    expectNoLeak(secrets, { 'stdout and stderr': [run.stdout, run.stderr] })
    expect(`${run.stdout}\n${run.stderr}`).not.toMatch(JWT_SHAPED)
  })
})
