/**
 * The interop check the managed-identity interop files share: with the process's variables pointing
 * at one emulated source, `@azure/identity`'s `ManagedIdentityCredential` and msal-node's
 * `ManagedIdentityApplication`, unmodified, get the same identity's token as our TokenClient, with the
 * same claims and expiry. One source per file: msal-node keeps the first source it detects in a
 * static for the life of the module.
 */
import { ManagedIdentityCredential } from '@azure/identity'
import { ManagedIdentityApplication } from '@azure/msal-node'
import { decodeJwt } from 'jose'
import { expect } from 'vitest'
import { TokenClient } from '../../src/index.js'

/** The claims that differ between two tokens minted at the same instant (opaque, random). */
const RANDOM_CLAIMS = ['aio', 'rh', 'uti']

function stableClaims(token: string): Record<string, unknown> {
  const claims = decodeJwt(token) as Record<string, unknown>
  return Object.fromEntries(Object.entries(claims).filter(([name]) => !RANDOM_CLAIMS.includes(name)))
}

/**
 * Gets `resource`'s token for the identity with each of the three libraries and checks they agree.
 *
 * @example
 * ```ts
 * await expectPeersAgree('https://vault.azure.net', undefined)
 * ```
 */
export async function expectPeersAgree(resource: string, clientId: string | undefined): Promise<void> {
  const ours = new TokenClient({ managedIdentity: clientId ? { clientId } : {} })
  const mine = await ours.getToken(resource)
  await ours.close()
  const credential = new ManagedIdentityCredential(clientId ? { clientId } : {})
  const azure = await credential.getToken(`${resource}/.default`)
  const msal = new ManagedIdentityApplication(
    clientId ? { managedIdentityIdParams: { userAssignedClientId: clientId } } : {},
  )
  // forceRefresh: msal-node's managed-identity cache is shared with @azure/identity's, which would answer
  const theirs = await msal.acquireToken({ resource, forceRefresh: true })
  expect(stableClaims(azure.token)).toEqual(stableClaims(mine.accessToken))
  expect(stableClaims(theirs.accessToken)).toEqual(stableClaims(mine.accessToken))
  // msal-node turns expires_on into whole seconds from its own clock and back, so its expiry (and
  // @azure/identity's, which is msal-node's) is the answer's to the second, not to the millisecond
  for (const expiry of [azure.expiresOnTimestamp, theirs.expiresOn?.getTime() ?? 0]) {
    expect(Math.abs(expiry - mine.expiresAt)).toBeLessThanOrEqual(1000)
  }
  expect(Math.floor(mine.expiresAt / 1000)).toBe(decodeJwt(mine.accessToken).exp)
}
