import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../src/cli/main.js'
import { runToken } from '../../src/cli/token.js'
import {
  EXAMPLE,
  generateCertificate,
  type LocalAuthority,
  startLocalAuthority,
} from '../../src/testing/index.js'
import { type FakeAuthority, startFakeAuthority } from '../leaks/fake-authority.js'
import { captureIo } from './io.js'

let authority: LocalAuthority
beforeAll(async () => {
  authority = await startLocalAuthority()
})
afterAll(async () => {
  await authority.close()
})

const env = () => ({
  AZURE_TENANT_ID: EXAMPLE.tenantId,
  AZURE_CLIENT_ID: EXAMPLE.clients.admin.appId,
  AZURE_CLIENT_SECRET: EXAMPLE.clients.admin.secret,
  AZURE_AUTHORITY_HOST: authority.url,
})

describe('token', () => {
  it('prints a token for the resource with credentials from the AZURE_* variables', async () => {
    const run = captureIo(env())
    expect(await runToken(['--resource', EXAMPLE.api.uri], run.io)).toBe(0)
    expect(run.stdout.split('.')).toHaveLength(3)
    expect(authority.requests.last()?.form?.scope).toBe(`${EXAMPLE.api.uri}/.default`)
  })

  it('prints JSON with the expiry and the decoded claims with --json, flags overriding the environment', async () => {
    const run = captureIo({ ...env(), AZURE_CLIENT_ID: 'ignored-by-flag' })
    const args = ['--resource', EXAMPLE.api.uri, '--client-id', EXAMPLE.clients.admin.appId, '--json']
    expect(await runToken(args, run.io)).toBe(0)
    const printed = JSON.parse(run.stdout) as {
      tokenType: string
      scope: string
      claims: { roles: string[] }
      expiresAt: string
    }
    expect(printed.tokenType).toBe('Bearer')
    expect(printed.scope).toBe(`${EXAMPLE.api.uri}/.default`)
    expect(printed.claims.roles).toEqual(['Admin'])
    expect(Date.parse(printed.expiresAt)).toBeGreaterThan(Date.now())
  })

  it('exits 2 without --resource, and when the environment lacks a credential', async () => {
    const bare = captureIo(env())
    expect(await main(['token'], bare.io)).toBe(2)
    expect(bare.stderr).toMatch(/^token: --resource or --scope is required/)
    await expect(
      runToken(['--resource', EXAMPLE.api.uri], captureIo({ AZURE_TENANT_ID: EXAMPLE.tenantId }).io),
    ).rejects.toMatchObject({
      code: 'ERR_CONFIG_INVALID',
    })
  })
})

describe('token: --scope, as az account get-access-token takes it', () => {
  const tokenRequests = () => authority.requests.all().filter((r) => r.route === 'token').length

  it('asks for the /.default scope given with --scope', async () => {
    const run = captureIo(env())
    expect(await runToken(['--scope', `${EXAMPLE.api.uri}/.default`], run.io)).toBe(0)
    expect(authority.requests.last()?.form?.scope).toBe(`${EXAMPLE.api.uri}/.default`)
    expect(run.stdout.split('.')).toHaveLength(3)
  })

  it.each([
    ['a scope that is not /.default', ['--scope', EXAMPLE.api.uri], `--resource ${EXAMPLE.api.uri}`],
    ['a delegated scope', ['--scope', 'User.Read'], 'client credentials take only'],
    [
      'both --scope and --resource',
      ['--scope', `${EXAMPLE.api.uri}/.default`, '--resource', EXAMPLE.api.uri],
      'give one',
    ],
  ])('exits 2 on %s, sending nothing', async (_name, args, expected) => {
    const before = tokenRequests()
    const run = captureIo(env())
    expect(await main(['token', ...args], run.io)).toBe(2)
    expect(run.stderr).toContain(expected)
    expect(tokenRequests()).toBe(before)
  })
})

describe('token: --client-secret', () => {
  const SECRET = 'typed-on-the-command-line'

  it.each([
    ['a separate value', ['--client-secret', SECRET]],
    ['an inline value', [`--client-secret=${SECRET}`]],
    ['no value', ['--client-secret']],
  ])(
    'is refused with a pointer to AZURE_CLIENT_SECRET (%s), never echoing the secret',
    async (_name, flag) => {
      const before = authority.requests.all().length
      const run = captureIo(env())
      expect(await main(['token', '--resource', EXAMPLE.api.uri, ...flag], run.io)).toBe(2)
      expect(run.stderr).toMatch(/^token: --client-secret is not accepted/)
      expect(run.stderr).toContain('AZURE_CLIENT_SECRET')
      expect(run.stderr).not.toContain(SECRET)
      expect(run.stdout).toBe('')
      expect(authority.requests.all().length).toBe(before)
    },
  )
})

describe('token: flags', () => {
  const PEM_PASSWORD = 'test-only-pem-password'
  let directory: string
  let plainFile: string
  let encryptedFile: string

  beforeAll(async () => {
    const certificate = await generateCertificate({ commonName: 'cli-daemon', validDays: 30 })
    authority.clients.addCertificate(EXAMPLE.clients.reader.appId, certificate.certificatePem)
    directory = await mkdtemp(join(tmpdir(), 'cli-token-'))
    plainFile = join(directory, 'plain.pem')
    encryptedFile = join(directory, 'encrypted.pem')
    const encryptedKey = certificate.privateKey.export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: PEM_PASSWORD,
    })
    await writeFile(plainFile, `${certificate.privateKeyPem}${certificate.certificatePem}`)
    await writeFile(encryptedFile, `${String(encryptedKey)}${certificate.certificatePem}`)
  })
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true })
  })

  /** Only what no flag gives: the client id, from the environment. */
  const readerEnv = (extra: NodeJS.ProcessEnv = {}) => ({
    AZURE_CLIENT_ID: EXAMPLE.clients.reader.appId,
    ...extra,
  })
  const withHost = () => [
    '--resource',
    EXAMPLE.api.uri,
    '--tenant',
    EXAMPLE.tenantDomain,
    '--authority-host',
    authority.url,
  ]

  it('signs with the certificate file of --certificate, the tenant and host of --tenant and --authority-host', async () => {
    const run = captureIo(readerEnv())
    expect(await runToken([...withHost(), '--certificate', plainFile], run.io)).toBe(0)
    const request = authority.requests.last()
    expect(request?.tenant).toBe(EXAMPLE.tenantDomain)
    expect(request?.form?.client_assertion_type).toBe(
      'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    )
    expect(request?.form?.client_secret).toBeUndefined()
    expect(run.stdout.split('.')).toHaveLength(3)
  })

  it('opens an encrypted certificate file with --certificate-password, or else AZURE_CLIENT_CERTIFICATE_PASSWORD', async () => {
    const byFlag = captureIo(readerEnv())
    const args = [...withHost(), '--certificate', encryptedFile]
    expect(await runToken([...args, '--certificate-password', PEM_PASSWORD], byFlag.io)).toBe(0)
    const byEnv = captureIo(readerEnv({ AZURE_CLIENT_CERTIFICATE_PASSWORD: PEM_PASSWORD }))
    expect(await runToken(args, byEnv.io)).toBe(0)
    await expect(runToken(args, captureIo(readerEnv()).io)).rejects.toMatchObject({
      code: 'ERR_CREDENTIAL_INVALID',
    })
  })

  it('asks the v1 endpoint for the resource with --endpoint-version v1', async () => {
    const run = captureIo(readerEnv())
    const args = [...withHost(), '--certificate', plainFile, '--endpoint-version', 'v1']
    expect(await runToken(args, run.io)).toBe(0)
    expect(authority.requests.last()?.version).toBe('v1')
    expect(authority.requests.last()?.form?.resource).toBe(EXAMPLE.api.uri)
  })

  it('passes --cloud to the options, which refuse a cloud they do not know', async () => {
    const args = ['--resource', EXAMPLE.api.uri, '--cloud', 'AzureMars']
    await expect(runToken(args, captureIo(env()).io)).rejects.toMatchObject({
      code: 'ERR_CONFIG_INVALID',
      path: 'cloud',
    })
  })
})

describe('token: what the authority sends is printed escaped', () => {
  /** A token no authority should issue: control characters that would drive the terminal. */
  const HOSTILE_TOKEN = 'opaque\u001b[2J\u001b]8;;http://127.0.0.1/\u0007x\u001b]8;;\u0007\r\u009b31m'
  const UNSAFE = /[\p{Cc}\p{Cf}\u2028\u2029]/u
  let fake: FakeAuthority
  beforeAll(async () => {
    fake = await startFakeAuthority()
    fake.answer({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token_type: 'Bearer', expires_in: 3599, access_token: HOSTILE_TOKEN }),
    })
  })
  afterAll(async () => {
    await fake.close()
  })

  const fakeEnv = () => ({ ...env(), AZURE_AUTHORITY_HOST: fake.url })

  it('never prints an access token holding control characters: the library refuses it', async () => {
    const run = captureIo(fakeEnv())
    await expect(runToken(['--resource', EXAMPLE.api.uri], run.io)).rejects.toMatchObject({
      code: 'ERR_TOKEN_RESPONSE_INVALID',
    })
    expect(run.stdout).toBe('')
  })

  it('with --json, the refusal is one JSON error with no raw control character and no token', async () => {
    const run = captureIo(fakeEnv())
    expect(await main(['token', '--resource', EXAMPLE.api.uri, '--json'], run.io)).toBe(1)
    expect(run.stderr.replaceAll('\n', '')).not.toMatch(UNSAFE)
    expect(run.stderr).not.toContain('opaque')
    expect(JSON.parse(run.stderr)).toMatchObject({ code: 'ERR_TOKEN_RESPONSE_INVALID' })
  })
})
