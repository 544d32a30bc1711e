import { describe, expect, it } from 'vitest'
import { main } from '../../src/cli/main.js'
import { VERSION } from '../../src/version.js'
import { captureIo } from './io.js'

describe('the client-credentials command', () => {
  it('lists its commands with --help', async () => {
    const run = captureIo()
    expect(await main(['--help'], run.io)).toBe(0)
    for (const command of ['token', 'decode', 'emulator', 'demo']) expect(run.stdout).toContain(command)
  })

  it.each(['token', 'decode', 'emulator', 'demo'])('prints help for %s', async (command) => {
    const run = captureIo()
    expect(await main([command, '--help'], run.io)).toBe(0)
    expect(run.stdout).toContain(`Usage: client-credentials ${command}`)
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

  it('exits 2 on an unknown command or option', async () => {
    const unknown = captureIo()
    expect(await main(['fly'], unknown.io)).toBe(2)
    expect(unknown.stderr).toContain("unknown command 'fly'")
    const option = captureIo()
    expect(await main(['decode', '--nope'], option.io)).toBe(2)
  })
})
