/**
 * Interop, App Service shape: with IDENTITY_ENDPOINT and IDENTITY_HEADER set (for this process,
 * restored after), `@azure/identity` and msal-node get tokens from the emulated endpoint unmodified,
 * and agree with ours (docs/managed-identity.md §Emulation).
 */
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest'
import { EXAMPLE, type LocalAuthority, startLocalAuthority } from '../../src/testing/index.js'
import { useLoopbackGuard } from '../helpers/loopback-guard.js'
import { isolateManagedIdentityEnvironment } from './managed-identity-env.js'
import { expectPeersAgree } from './managed-identity-interop.js'

useLoopbackGuard()
isolateManagedIdentityEnvironment()

const NOW = Math.floor(Date.now() / 1000) * 1000
let authority: LocalAuthority

beforeAll(async () => {
  authority = await startLocalAuthority({ now: () => NOW })
})
afterAll(() => authority.close())
beforeEach(() => {
  Object.assign(process.env, authority.managedIdentity.env('appService'))
})

it('the system-assigned identity: the three libraries agree on the token and its expiry', async () => {
  await expectPeersAgree('https://vault.azure.net', undefined)
  expect(authority.requests.all().filter((r) => r.route === 'appService' && r.status === 200)).toHaveLength(3)
})

it('a user-assigned identity by client id', async () => {
  await expectPeersAgree('https://management.azure.com', EXAMPLE.managedIdentities.worker.clientId)
})
