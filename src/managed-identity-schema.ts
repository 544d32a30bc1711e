/**
 * The schema of the `managedIdentity` option (the client's identity, or `credential.managedIdentity`):
 * `{}` or exactly one of `clientId`, `objectId`, `resourceId`, checked by `parseManagedIdentity` so that
 * the option and the standalone managed-identity functions refuse the same values with the same words.
 */
import { ConfigurationError } from './errors.js'
import { type ManagedIdentityOptions, parseManagedIdentity } from './managed-identity/identity.js'
import { lazySchema } from './validation/zod.js'

/**
 * The `managedIdentity` option: validated as `parseManagedIdentity` validates it, a problem reported at
 * the field it names (`managedIdentity.clientId`, …).
 *
 * @example
 * ```ts
 * managedIdentitySchema().safeParse({ clientId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' }).success // true
 * managedIdentitySchema().safeParse({ clientId: 'a', objectId: 'b' }).success // false: exactly one
 * ```
 */
export const managedIdentitySchema = lazySchema((z) =>
  z
    .custom<ManagedIdentityOptions>(() => true)
    .check((ctx) => {
      try {
        parseManagedIdentity(ctx.value, '')
      } catch (error) {
        if (!(error instanceof ConfigurationError)) throw error
        const path = error.path.split('.').filter((part) => part !== '')
        const prefix = `${error.path}: `
        const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message
        ctx.issues.push({ code: 'custom', input: undefined, path, message })
      }
    }),
)
