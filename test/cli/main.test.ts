import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../../src/cli/main.js'
import { VERSION } from '../../src/version.js'
import { startFakeAuthority } from '../leaks/fake-authority.js'
import { captureIo } from './io.js'

describe('the oauth-client-credentials command', () => {
  it('lists its commands with --help', async () => {
    const run = captureIo()
    expect(await main(['--help'], run.io)).toBe(0)
    for (const command of ['token', 'decode', 'emulator', 'demo']) expect(run.stdout).toContain(command)
  })

  it.each(['token', 'decode', 'emulator', 'demo'])('prints help for %s', async (command) => {
    const run = captureIo()
    expect(await main([command, '--help'], run.io)).toBe(0)
    expect(run.stdout).toContain(`Usage: oauth-client-credentials ${command}`)
  })

  it('prints its version', async () => {
    const run = captureIo()
    expect(await main(['--version'], run.io)).toBe(0)
    expect(run.stdout).toBe(VERSION)
  })

  it('exits 1 when the authority refuses, and 2 on a configuration mistake, printing the hint', async () => {
    const refused = captureIo({
      AZURE_TENANT_ID: 'f6aba1d9-da41-4ea3-8f30-4970725586a8',
      AZURE_CLIENT_ID: '55b2a7ec-73f3-45c2-af08-21ecc33dc40e',
      AZURE_CLIENT_SECRET: 'not-the-secret',
      AZURE_AUTHORITY_HOST: 'http://127.0.0.1:9',
    })
    expect(await main(['token', '--resource', 'api://x'], refused.io)).toBe(1)
    expect(refused.stderr).toContain('ERR_TOKEN_REQUEST_FAILED')
    expect(refused.stderr).not.toContain('not-the-secret')
    const misconfigured = captureIo({ AZURE_TENANT_ID: 'common' })
    expect(await main(['token', '--resource', 'api://x'], misconfigured.io)).toBe(2)
    expect(misconfigured.stderr).toContain('AZURE_CLIENT_ID')
  })

  it('exits 2 when the credential cannot be used (a configuration problem)', async () => {
    const run = captureIo({
      AZURE_TENANT_ID: 'f6aba1d9-da41-4ea3-8f30-4970725586a8',
      AZURE_CLIENT_ID: '55b2a7ec-73f3-45c2-af08-21ecc33dc40e',
      AZURE_CLIENT_CERTIFICATE_PATH: '/nonexistent/client.pem',
    })
    expect(await main(['token', '--resource', 'api://x'], run.io)).toBe(2)
    expect(run.stderr).toContain('/nonexistent/client.pem')
  })

  it('exits 2 on an unknown command or option', async () => {
    const unknown = captureIo()
    expect(await main(['fly'], unknown.io)).toBe(2)
    expect(unknown.stderr).toContain("unknown command 'fly'")
    const option = captureIo()
    expect(await main(['decode', '--nope'], option.io)).toBe(2)
  })

  it.each([
    [['token', '--resorce', 'api://x'], "token: unknown option '--resorce'", "did you mean '--resource'?"],
    [['token', '--client_id=x'], "token: unknown option '--client_id'", "did you mean '--client-id'?"],
    [['decode', '--jsn', '-'], "decode: unknown option '--jsn'", "did you mean '--json'?"],
    [['tokn'], "unknown command 'tokn'", "did you mean 'token'?"],
  ])('suggests the closest name for a misspelt one: %j', async (argv, problem, suggestion) => {
    const run = captureIo()
    expect(await main(argv, run.io)).toBe(2)
    expect(run.stderr).toContain(problem)
    expect(run.stderr).toContain(suggestion)
  })

  it('points to --help when no option is close, and never echoes the value of an unknown option', async () => {
    const run = captureIo()
    expect(await main(['token', '--password=value-not-echoed'], run.io)).toBe(2)
    expect(run.stderr).toContain("unknown option '--password'")
    expect(run.stderr).toContain("'oauth-client-credentials token --help' lists the options")
    expect(run.stderr).not.toContain('value-not-echoed')
  })

  describe('with --json, errors are one JSON object on standard error', () => {
    const parsed = (stderr: string) => {
      expect(stderr.split('\n')).toHaveLength(1)
      return JSON.parse(stderr) as Record<string, unknown>
    }

    it('a configuration error: its code, message and hint', async () => {
      const run = captureIo({ AZURE_TENANT_ID: 'common' })
      expect(await main(['token', '--resource', 'api://x', '--json'], run.io)).toBe(2)
      expect(run.stdout).toBe('')
      const error = parsed(run.stderr)
      expect(error).toMatchObject({
        code: 'ERR_CONFIG_INVALID',
        message: expect.stringContaining('AZURE_CLIENT_ID'),
      })
    })

    it('an authority that cannot be reached, without the secret', async () => {
      const run = captureIo({
        AZURE_TENANT_ID: 'f6aba1d9-da41-4ea3-8f30-4970725586a8',
        AZURE_CLIENT_ID: '55b2a7ec-73f3-45c2-af08-21ecc33dc40e',
        AZURE_CLIENT_SECRET: 'not-the-secret',
        AZURE_AUTHORITY_HOST: 'http://127.0.0.1:9',
      })
      expect(await main(['token', '--json', '--resource', 'api://x'], run.io)).toBe(1)
      expect(parsed(run.stderr)).toMatchObject({ code: 'ERR_TOKEN_REQUEST_FAILED', hint: expect.any(String) })
      expect(run.stderr).not.toContain('not-the-secret')
    })

    it.each([
      [['decode', 'opaque-token', '--json'], 'not a JWT'],
      [['decode', '--json', '--jsn'], "unknown option '--jsn'"],
      [['token', '--json'], '--resource or --scope is required'],
    ])('a usage error: %j', async (argv, message) => {
      const run = captureIo()
      expect(await main(argv, run.io)).toBe(2)
      expect(parsed(run.stderr)).toMatchObject({
        code: 'ERR_CLI_USAGE',
        message: expect.stringContaining(message),
      })
    })

    it('any other failure', async () => {
      const run = captureIo()
      run.io.readStdin = () => Promise.reject(new Error('EIO: i/o error, read'))
      expect(await main(['decode', '-', '--json'], run.io)).toBe(1)
      expect(parsed(run.stderr)).toEqual({ code: 'ERR_CLI_FAILED', message: 'EIO: i/o error, read' })
    })
  })

  it('prints its help and exits 2 without a command', async () => {
    const run = captureIo()
    expect(await main([], run.io)).toBe(2)
    expect(run.stdout).toContain('Usage: oauth-client-credentials <command>')
  })

  it('exits 2 on an argument a command does not take', async () => {
    const run = captureIo()
    expect(await main(['token', 'stray'], run.io)).toBe(2)
    expect(run.stderr).toMatch(/^token: Unexpected argument 'stray'/)
  })

  it('exits 1 with the message when anything else fails, such as reading standard input', async () => {
    const failing = captureIo()
    failing.io.readStdin = () => Promise.reject(new Error('EIO: i/o error, read'))
    expect(await main(['decode', '-'], failing.io)).toBe(1)
    expect(failing.stderr).toBe('decode: EIO: i/o error, read')
    const thrown = captureIo()
    thrown.io.readStdin = () => Promise.reject('standard input closed')
    expect(await main(['decode', '-'], thrown.io)).toBe(1)
    expect(thrown.stderr).toBe('decode: standard input closed')
  })

  it('prints what the authority said with control characters escaped', async () => {
    const fake = await startFakeAuthority()
    try {
      const description = 'AADSTS7000215: Invalid client secret.\u001b[2J\rforged\u009b31m\u202e'
      fake.answer({
        status: 401,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ error: 'invalid_client', error_description: description }),
      })
      const run = captureIo({
        AZURE_TENANT_ID: 'f6aba1d9-da41-4ea3-8f30-4970725586a8',
        AZURE_CLIENT_ID: '55b2a7ec-73f3-45c2-af08-21ecc33dc40e',
        AZURE_CLIENT_SECRET: 'not-the-secret',
        AZURE_AUTHORITY_HOST: fake.url,
      })
      expect(await main(['token', '--resource', 'api://x'], run.io)).toBe(1)
      expect(run.stderr.replaceAll('\n', '')).not.toMatch(/[\p{Cc}\p{Cf}]/u)
      expect(run.stderr).toContain('\\u001b[2J\\rforged\\u009b31m\\u202e')
    } finally {
      await fake.close()
    }
  })

  it('prints the error code without a hint line when the error has no hint', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'cli-main-'))
    try {
      const path = join(directory, 'not-a-key.bin')
      await writeFile(path, 'not a key')
      const run = captureIo({
        AZURE_TENANT_ID: 'f6aba1d9-da41-4ea3-8f30-4970725586a8',
        AZURE_CLIENT_ID: '55b2a7ec-73f3-45c2-af08-21ecc33dc40e',
      })
      expect(await main(['token', '--resource', 'api://x', '--certificate', path], run.io)).toBe(2)
      expect(run.stderr).toMatch(/^token: ERR_CREDENTIAL_INVALID: certificate file .* is neither PEM/)
      expect(run.stderr).not.toContain('hint:')
    } finally {
      await rm(directory, { recursive: true, force: true })
    }
  })
})
