/**
 * `token --managed-identity [--client-id …]`: a managed identity's token from the command line, the
 * source detected from the environment (here IMDS on 127.0.0.1 via AZURE_POD_IDENTITY_AUTHORITY_HOST).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { main } from '../../src/cli/main.js'
import { runToken, TOKEN_HELP } from '../../src/cli/token.js'
import { useLoopbackGuard } from '../helpers/loopback-guard.js'
import { type IdentityServer, startIdentityServer, tokenBody } from '../managed-identity/server.js'
import { captureIo } from './io.js'

useLoopbackGuard()

const MI_CLIENT = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'
const servers: IdentityServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

async function imds(): Promise<IdentityServer & { tokenRequests: () => IdentityServer['seen'] }> {
  const server = await startIdentityServer((request) =>
    request.headers.metadata === undefined
      ? { status: 400, body: { error: 'invalid_request' } }
      : { body: tokenBody(Date.now()) },
  )
  servers.push(server)
  return { ...server, tokenRequests: () => server.seen.filter((seen) => seen.headers.metadata === 'true') }
}

describe('token --managed-identity', () => {
  it('prints the system-assigned identity token, the resource without /.default', async () => {
    const endpoint = await imds()
    const run = captureIo({ AZURE_POD_IDENTITY_AUTHORITY_HOST: endpoint.origin })
    expect(
      await runToken(['--managed-identity', '--scope', 'https://vault.azure.net/.default'], run.io),
    ).toBe(0)
    expect(run.stdout).toBe('mi-access-token-0123456789')
    const [request] = endpoint.tokenRequests()
    expect(request?.query.get('resource')).toBe('https://vault.azure.net')
    expect(request?.query.get('client_id')).toBeNull()
  })

  it('asks for the user-assigned identity of --client-id, even with app variables set', async () => {
    const endpoint = await imds()
    const run = captureIo({
      AZURE_POD_IDENTITY_AUTHORITY_HOST: endpoint.origin,
      AZURE_TENANT_ID: 'f6aba1d9-da41-4ea3-8f30-4970725586a8',
      AZURE_CLIENT_SECRET: 'Xq8~not-real-and-not-used',
    })
    const args = [
      '--managed-identity',
      '--client-id',
      MI_CLIENT,
      '--resource',
      'https://vault.azure.net',
      '--json',
    ]
    expect(await runToken(args, run.io)).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({
      accessToken: 'mi-access-token-0123456789',
      scope: 'https://vault.azure.net',
    })
    expect(endpoint.tokenRequests()[0]?.query.get('client_id')).toBe(MI_CLIENT)
  })

  it.each([
    ['--tenant', ['--tenant', 'contoso.onmicrosoft.com']],
    ['--certificate', ['--certificate', '/etc/app/client.pem']],
    ['--authority-host', ['--authority-host', 'http://127.0.0.1:1']],
  ])('refuses %s beside it (exit 2, nothing sent)', async (flag, extra) => {
    const endpoint = await imds()
    const run = captureIo({ AZURE_POD_IDENTITY_AUTHORITY_HOST: endpoint.origin })
    expect(
      await main(['token', '--managed-identity', '--resource', 'https://vault.azure.net', ...extra], run.io),
    ).toBe(2)
    expect(run.stderr).toContain(`${flag} does not apply to --managed-identity`)
    expect(endpoint.seen).toHaveLength(0)
  })

  it('is in the help text', () => {
    expect(TOKEN_HELP).toContain('--managed-identity')
    expect(TOKEN_HELP).toMatch(/--client-id <guid>.*managed identity/s)
  })
})
