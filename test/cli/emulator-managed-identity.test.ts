/**
 * `emulator --managed-identity`: the identities and one `export` line per source; pasted into a shell,
 * each points the client's managed-identity code at the emulated endpoint.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'
import { exportLine } from '../../src/cli/emulator-managed-identity.js'
import { requestManagedIdentityToken } from '../../src/managed-identity/request.js'
import { EXAMPLE, MANAGED_IDENTITY_VARIABLES } from '../../src/testing/index.js'
import { startEmulator, stopEmulatorsAfterEach } from '../helpers/emulator.js'
import { useLoopbackGuard } from '../helpers/loopback-guard.js'

useLoopbackGuard()
stopEmulatorsAfterEach()

/** The managed-identity variables after running `line` in a shell whose environment sets them all. */
async function afterLine(line: string): Promise<Record<string, string>> {
  const stale = Object.fromEntries(
    MANAGED_IDENTITY_VARIABLES.map((name) => [name, 'http://127.0.0.1:9/stale']),
  )
  const { stdout } = await promisify(execFile)('sh', ['-c', `${line}\nexec env`], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...stale },
  })
  const entries = stdout
    .split('\n')
    .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)] as const)
    .filter(([name]) => (MANAGED_IDENTITY_VARIABLES as readonly string[]).includes(name))
  return Object.fromEntries(entries)
}

it('exportLine unsets the other sources’ variables before exporting its own', () => {
  expect(exportLine({ AZURE_POD_IDENTITY_AUTHORITY_HOST: 'http://127.0.0.1:5312' })).toBe(
    'unset IDENTITY_ENDPOINT IDENTITY_HEADER IDENTITY_SERVER_THUMBPRINT IMDS_ENDPOINT MSI_ENDPOINT MSI_SECRET; export AZURE_POD_IDENTITY_AUTHORITY_HOST=http://127.0.0.1:5312',
  )
})

it('without the flag, nothing of managed identity is printed', async () => {
  const { run } = await startEmulator([])
  expect(run.stdout).not.toContain('AZURE_POD_IDENTITY_AUTHORITY_HOST')
})

it.each([
  ['IMDS', 'imds'],
  ['App Service', 'app-service'],
  ['Azure ML', 'azure-ml'],
  ['Cloud Shell', 'cloud-shell'],
])(
  'prints the %s line; pasted into a shell, the client gets the system-assigned identity’s token',
  async (label, kind) => {
    const { run } = await startEmulator(['--managed-identity'])
    const lines = run.stdout.split('\n')
    expect(run.stdout).toContain(
      `contoso-vm (system-assigned) client id ${EXAMPLE.managedIdentities.system.clientId}`,
    )
    expect(run.stdout).toContain(
      `orders-worker (user-assigned) client id ${EXAMPLE.managedIdentities.worker.clientId}`,
    )
    const at = lines.findIndex((line) => line.includes(`# ${label}`))
    const environment = await afterLine(lines[at + 1]?.trim() ?? '')
    expect(Object.keys(environment).length).toBeGreaterThan(0)
    const token = await requestManagedIdentityToken({ resource: 'https://vault.azure.net', environment })
    expect(token.source).toBe(kind)
    expect(token.clientId).toBe(EXAMPLE.managedIdentities.system.clientId)
  },
)

it('prints no Service Fabric line for a plain-http emulator (its endpoint is https only)', async () => {
  const { run } = await startEmulator(['--managed-identity'])
  expect(run.stdout).toContain('# Service Fabric: start the emulator with --https')
  expect(run.stdout).not.toContain('IDENTITY_SERVER_THUMBPRINT=')
})
