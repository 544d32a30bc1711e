/**
 * The managed-identity variables of the test process: cleared before each test and restored after,
 * so that a source is chosen only by what a test sets (never the machine's own environment).
 */
import { afterEach, beforeEach } from 'vitest'
import { MANAGED_IDENTITY_VARIABLES } from '../../src/testing/index.js'

/**
 * Clears the variables before each test of the file and restores the process's own after it.
 *
 * @example
 * ```ts
 * isolateManagedIdentityEnvironment()
 * Object.assign(process.env, authority.managedIdentity.env('appService'))
 * ```
 */
export function isolateManagedIdentityEnvironment(): void {
  const saved = new Map<string, string | undefined>()
  beforeEach(() => {
    for (const name of MANAGED_IDENTITY_VARIABLES) {
      saved.set(name, process.env[name])
      delete process.env[name]
    }
  })
  afterEach(() => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  })
}
