/**
 * What the registry tests share: a second tenant (Fabrikam) next to the example registry, and the
 * issues of the `RegistryError` a registry change throws.
 */
import { expect } from 'vitest'
import { type LocalAuthority, RegistryError, startLocalAuthority } from '../../../src/testing/index.js'

/** The id of the second tenant, `fabrikam.onmicrosoft.com`. */
export const FABRIKAM = 'a3d2c1b0-9e8f-4a7b-8c6d-5e4f3a2b1c0d'

/**
 * A local authority with the example registry and the Fabrikam tenant.
 *
 * @example
 * ```ts
 * beforeAll(async () => { authority = await startWithFabrikam() })
 * ```
 */
export async function startWithFabrikam(): Promise<LocalAuthority> {
  const authority = await startLocalAuthority()
  authority.tenants.add({ id: FABRIKAM, domains: ['fabrikam.onmicrosoft.com'] })
  return authority
}

/**
 * The issues of the `RegistryError` that `run` throws (fails the test when it throws anything else,
 * or nothing).
 *
 * @example
 * ```ts
 * expect(issues(() => authority.tenants.add({ id: FABRIKAM }))).toEqual([`tenant.id: …`])
 * ```
 */
export function issues(run: () => unknown): readonly string[] {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(RegistryError)
    return (error as RegistryError).issues
  }
  throw new Error('expected a RegistryError')
}
