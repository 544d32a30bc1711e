/**
 * Which managed identity to ask for: the resource's system-assigned identity, or one user-assigned
 * identity named by exactly one of its client id, object (principal) id or ARM resource id; and how each
 * source names it on the wire (docs/entra.md §10).
 */
import { isGuid } from '../authority.js'
import { closestName } from '../did-you-mean.js'
import { ConfigurationError } from '../errors.js'
import type { ManagedIdentitySourceKind } from './source.js'

/**
 * The managed identity option as users write it: `{}` for the system-assigned identity, or exactly one of
 * `clientId`, `objectId`, `resourceId` for a user-assigned one.
 *
 * @example
 * ```ts
 * const system: ManagedIdentityOptions = {}
 * const byClientId: ManagedIdentityOptions = { clientId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' }
 * ```
 */
export type ManagedIdentityOptions =
  | Record<string, never>
  | { clientId: string }
  | { objectId: string }
  | { resourceId: string }

/**
 * How a user-assigned identity is named.
 *
 * @example
 * ```ts
 * const kind: UserAssignedIdKind = 'clientId'
 * ```
 */
export type UserAssignedIdKind = 'clientId' | 'objectId' | 'resourceId'

/**
 * A validated identity selector.
 *
 * @example
 * ```ts
 * parseManagedIdentity({ objectId: 'f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9' })
 * // { kind: 'objectId', id: 'f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9' }
 * ```
 */
export type ManagedIdentitySelector =
  | { readonly kind: 'system' }
  | { readonly kind: UserAssignedIdKind; readonly id: string }

const KEYS: readonly UserAssignedIdKind[] = ['clientId', 'objectId', 'resourceId']
const RESOURCE_ID =
  /^\/subscriptions\/[^/\s]+\/resourceGroups\/[^/\s]+\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/[^/\s]+$/i

/**
 * The system-assigned identity.
 *
 * @example
 * ```ts
 * source.buildRequest({ resource, identity: SYSTEM_ASSIGNED, clientCapabilities: [], revokedTokenSha256: undefined })
 * ```
 */
export const SYSTEM_ASSIGNED: ManagedIdentitySelector = Object.freeze({ kind: 'system' })

/**
 * Validates the managed identity option: `{}` (or `undefined`) is the system-assigned identity; otherwise
 * exactly one of `clientId` / `objectId` (GUIDs) or `resourceId` (an ARM id of a user-assigned identity).
 * Throws a {@link ConfigurationError} naming `path` and the fix.
 *
 * @example
 * ```ts
 * parseManagedIdentity({})                                      // { kind: 'system' }
 * parseManagedIdentity({ clientId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' }) // { kind: 'clientId', id: … }
 * parseManagedIdentity({ clientId: 'a', objectId: 'b' })          // throws: exactly one
 * ```
 */
export function parseManagedIdentity(input: unknown, path = 'managedIdentity'): ManagedIdentitySelector {
  if (input === undefined) return SYSTEM_ASSIGNED
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ConfigurationError(path, 'must be an object: {} for the system-assigned identity.', {
      hint: 'Write {} for the system-assigned identity, or { clientId }, { objectId } or { resourceId } for a user-assigned one.',
    })
  }
  const record = input as Record<string, unknown>
  const present = Object.keys(record).filter((key) => record[key] !== undefined)
  const unknown = present.find((key) => !(KEYS as readonly string[]).includes(key))
  if (unknown !== undefined) {
    const near = closestName(unknown, KEYS)
    throw new ConfigurationError(`${path}.${unknown}`, 'is not a managed identity option.', {
      hint: near ? `Did you mean ${path}.${near}?` : `Use one of ${KEYS.join(', ')}.`,
    })
  }
  if (present.length === 0) return SYSTEM_ASSIGNED
  if (present.length > 1) {
    throw new ConfigurationError(path, `names ${present.join(' and ')}: give exactly one.`, {
      hint: 'A user-assigned identity is named by one of clientId, objectId or resourceId; remove the others.',
    })
  }
  const kind = present[0] as UserAssignedIdKind
  return { kind, id: checkedId(kind, record[kind], `${path}.${kind}`) }
}

function checkedId(kind: UserAssignedIdKind, value: unknown, path: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigurationError(path, 'must be a non-empty string.', { hint: hintFor(kind) })
  }
  const ok = kind === 'resourceId' ? RESOURCE_ID.test(value) : isGuid(value)
  if (!ok) {
    throw new ConfigurationError(path, `'${value}' is not ${describe(kind)}.`, { hint: hintFor(kind) })
  }
  return value
}

function describe(kind: UserAssignedIdKind): string {
  if (kind === 'resourceId') return 'the ARM resource id of a user-assigned identity'
  return kind === 'clientId' ? 'a client id (a GUID)' : 'an object (principal) id (a GUID)'
}

function hintFor(kind: UserAssignedIdKind): string {
  if (kind === 'resourceId') {
    return "Copy it from the identity's Properties page: /subscriptions/{sub}/resourceGroups/{group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}."
  }
  return kind === 'clientId'
    ? "Copy the identity's Client ID from its Overview page (az identity show --query clientId)."
    : "Copy the identity's Object (principal) ID from its Overview page (az identity show --query principalId)."
}

/** The query parameter each source takes for each way of naming a user-assigned identity. */
const PARAMETERS: Readonly<
  Record<ManagedIdentitySourceKind, Readonly<Partial<Record<UserAssignedIdKind, string>>>>
> = {
  imds: { clientId: 'client_id', objectId: 'object_id', resourceId: 'msi_res_id' },
  'app-service': { clientId: 'client_id', objectId: 'object_id', resourceId: 'mi_res_id' },
  'azure-ml': { clientId: 'clientid' },
  'service-fabric': {},
  'cloud-shell': {},
  'azure-arc': {},
}

const WHY_NOT: Readonly<Record<ManagedIdentitySourceKind, string>> = {
  imds: '',
  'app-service': '',
  'azure-ml': 'Azure Machine Learning names a user-assigned identity by its client id only.',
  'service-fabric':
    'Service Fabric chooses the identity in the cluster and application manifest, not at run time.',
  'cloud-shell': "Cloud Shell has only the signed-in user's system-assigned identity.",
  'azure-arc': "The Azure Arc agent serves only the machine's system-assigned identity.",
}

/**
 * The query parameter naming `selector` on `source`, or `undefined` for the system-assigned identity.
 * Throws a {@link ConfigurationError} when the source cannot select that identity.
 *
 * @example
 * ```ts
 * identityParameter({ kind: 'resourceId', id }, 'imds')        // ['msi_res_id', id]
 * identityParameter({ kind: 'resourceId', id }, 'app-service') // ['mi_res_id', id]
 * identityParameter({ kind: 'clientId', id }, 'cloud-shell')   // throws
 * ```
 */
export function identityParameter(
  selector: ManagedIdentitySelector,
  source: ManagedIdentitySourceKind,
): readonly [string, string] | undefined {
  if (selector.kind === 'system') return undefined
  const name = PARAMETERS[source][selector.kind]
  if (name !== undefined) return [name, selector.id]
  const supported = Object.keys(PARAMETERS[source])
  throw new ConfigurationError(
    `managedIdentity.${selector.kind}`,
    `cannot be used on ${source}: ${WHY_NOT[source]}`,
    {
      hint: supported.length
        ? `Use managedIdentity.${supported.join(' or managedIdentity.')} here.`
        : 'Use managedIdentity: {} (the system-assigned identity) on this platform.',
    },
  )
}
