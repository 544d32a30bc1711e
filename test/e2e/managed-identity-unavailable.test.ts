/**
 * End to end: "no managed identity here" is said quickly against the emulated IMDS too — a port that
 * accepts and never answers (a latency fault on the `imds` route) and a closed port
 * (docs/managed-identity.md "Never slow to say no").
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { ManagedIdentityUnavailableError, TokenClient } from '../../src/index.js'
import { type LocalAuthority, startLocalAuthority } from '../../src/testing/index.js'
import { useLoopbackGuard } from '../helpers/loopback-guard.js'
import { isolateManagedIdentityEnvironment } from './managed-identity-env.js'

useLoopbackGuard()
isolateManagedIdentityEnvironment()

let authority: LocalAuthority

beforeAll(async () => {
  authority = await startLocalAuthority()
})
afterAll(() => authority.close())

/** The call's outcome, or 'still waiting' when 1.5 s pass first (the bound). */
async function within1500ms(call: Promise<unknown>): Promise<unknown> {
  const bound = AbortSignal.timeout(1500)
  const waited = new Promise((resolve) => bound.addEventListener('abort', () => resolve('still waiting')))
  return Promise.race([
    call.then(
      () => 'token',
      (error: unknown) => error,
    ),
    waited,
  ])
}

it('an IMDS that accepts and stays silent: ERR_MANAGED_IDENTITY_UNAVAILABLE within 1.5 s', async () => {
  authority.faults.add({ route: 'imds', kind: 'latency', ms: 5_000 })
  const client = new TokenClient({ managedIdentity: {}, imdsBaseUrl: authority.url })
  const outcome = await within1500ms(client.getToken('https://vault.azure.net'))
  expect(outcome).toBeInstanceOf(ManagedIdentityUnavailableError)
  expect(outcome).toMatchObject({ code: 'ERR_MANAGED_IDENTITY_UNAVAILABLE', retryable: true })
  await client.close()
})

it('a closed port: ERR_MANAGED_IDENTITY_UNAVAILABLE within 1.5 s', async () => {
  const closed = await startLocalAuthority()
  const url = closed.url
  await closed.close()
  const client = new TokenClient({ managedIdentity: {}, imdsBaseUrl: url })
  expect(await within1500ms(client.getToken('https://vault.azure.net'))).toBeInstanceOf(
    ManagedIdentityUnavailableError,
  )
  await client.close()
})
