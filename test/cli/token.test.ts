import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runToken } from '../../src/cli/token.js'
import { EXAMPLE, type LocalAuthority, startLocalAuthority } from '../../src/testing/index.js'
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
      scope: string
      claims: { roles: string[] }
      expiresAt: string
    }
    expect(printed.scope).toBe(`${EXAMPLE.api.uri}/.default`)
    expect(printed.claims.roles).toEqual(['Admin'])
    expect(Date.parse(printed.expiresAt)).toBeGreaterThan(Date.now())
  })

  it('exits 2 without --resource, and when the environment lacks a credential', async () => {
    expect(await runToken([], captureIo(env()).io)).toBe(2)
    await expect(
      runToken(['--resource', EXAMPLE.api.uri], captureIo({ AZURE_TENANT_ID: EXAMPLE.tenantId }).io),
    ).rejects.toMatchObject({
      code: 'ERR_CONFIG_INVALID',
    })
  })
})
