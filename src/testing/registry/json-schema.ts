/**
 * The JSON Schema of a registry file (`emulator --config`, `startLocalAuthority({ registryFile })`),
 * generated from the zod schemas the authority validates with. The package ships it as
 * `schema/registry.schema.json`; a test keeps that file equal to {@link registryJsonSchema}.
 */
import { z } from 'zod'
import { apiSchema, clientSchema, grantSchema, managedIdentitySchema, tenantSchema } from './schema.js'

/**
 * Where an app's registry file finds the shipped schema (the `$schema` that
 * `emulator --print-registry` writes), relative to the app's root.
 *
 * @example
 * ```ts
 * JSON.stringify({ $schema: REGISTRY_SCHEMA_REFERENCE, ...exampleRegistry() }, null, 2)
 * ```
 */
export const REGISTRY_SCHEMA_REFERENCE = './node_modules/oauth-client-credentials/schema/registry.schema.json'

/** A whole registry file, its items typed (the loader validates them one by one, with their paths). */
const registryFileSchema = z
  .strictObject({
    $schema: z.string().optional().describe('The JSON Schema of this file; ignored by the authority.'),
    tenants: z.array(tenantSchema).min(1).describe('Directories (tenants): GUID, verified domains.'),
    apis: z
      .array(apiSchema)
      .optional()
      .describe('APIs (resources): App ID URIs, app roles, token version and lifetime.'),
    clients: z
      .array(clientSchema)
      .optional()
      .describe('Client apps (daemons): secrets, certificates, subject-name trust, federated credentials.'),
    grants: z
      .array(grantSchema)
      .optional()
      .describe('App roles of an API granted to a client; without admin consent tokens carry no roles.'),
    managedIdentities: z
      .array(managedIdentitySchema)
      .optional()
      .describe('Managed identities: the host’s system-assigned one and user-assigned ones (ids, tenant).'),
  })
  .meta({
    title: 'oauth-client-credentials local authority registry',
    description: 'The registry of `oauth-client-credentials emulator --config` and `startLocalAuthority`.',
  })

/**
 * The JSON Schema (draft 2020-12) of a registry file, as the input it accepts (defaults optional).
 * Instants are epoch ms or ISO 8601 date-times (a `Date` exists only in code).
 *
 * @example
 * ```ts
 * writeFileSync('schema/registry.schema.json', `${JSON.stringify(registryJsonSchema(), null, 2)}\n`)
 * ```
 */
export function registryJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(registryFileSchema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
  })
  return withoutUnrepresentable(schema) as Record<string, unknown>
}

/** Drops the `{}` (anything) that `unrepresentable: 'any'` leaves for `z.date()` in a union. */
function withoutUnrepresentable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutUnrepresentable)
  if (typeof node !== 'object' || node === null) return node
  const entries = Object.entries(node).map(([key, value]) => {
    if (key !== 'anyOf' || !Array.isArray(value)) return [key, withoutUnrepresentable(value)]
    return [
      key,
      value.filter((branch) => Object.keys(branch as object).length > 0).map(withoutUnrepresentable),
    ]
  })
  return Object.fromEntries(entries)
}
