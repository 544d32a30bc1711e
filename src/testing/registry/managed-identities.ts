/**
 * The managed identities of the local authority (docs/managed-identity.md §Emulation): the emulated
 * host's system-assigned identity (at most one) and the user-assigned identities attached to it.
 */
import { stableGuid } from '../entra/ids.js'
import type { ManagedIdentityRecord } from './records.js'
import { parseEntry, refuse } from './registry-error.js'
import { type ManagedIdentityInput, managedIdentitySchema } from './schema.js'
import type { RegistryStore } from './store.js'

/** The subscription of derived resource ids. */
const SUBSCRIPTION = stableGuid('local-authority:subscription')
const RESOURCE_GROUP = 'local-authority'

/**
 * The ARM id derived for an identity without one: a virtual machine's (the host) for `system`, a
 * user-assigned identity's for `user`.
 *
 * @example
 * ```ts
 * derivedResourceId('user', 'orders-worker') // '/subscriptions/…/resourceGroups/local-authority/providers/Microsoft.ManagedIdentity/userAssignedIdentities/orders-worker'
 * ```
 */
export function derivedResourceId(kind: 'system' | 'user', name: string): string {
  const provider =
    kind === 'system'
      ? 'Microsoft.Compute/virtualMachines'
      : 'Microsoft.ManagedIdentity/userAssignedIdentities'
  return `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RESOURCE_GROUP}/providers/${provider}/${name}`
}

/**
 * Adds and looks up managed identities.
 *
 * @example
 * ```ts
 * authority.managedIdentities.add({ name: 'orders-worker' }).clientId // derived from the name
 * authority.managedIdentities.systemAssigned()?.objectId
 * ```
 */
export class ManagedIdentityDirectory {
  readonly #store: RegistryStore

  constructor(store: RegistryStore) {
    this.#store = store
  }

  /** Registers a managed identity; its name and ids must be new, and only one may be `system`. */
  add(input: ManagedIdentityInput, path = 'managedIdentity'): ManagedIdentityRecord {
    const entry = parseEntry(managedIdentitySchema, input, path)
    if (entry.kind === 'system' && this.systemAssigned()) {
      refuse(`${path}.kind`, 'the host already has a system-assigned identity (give this one kind: user)')
    }
    const record: ManagedIdentityRecord = {
      name: entry.name,
      kind: entry.kind,
      clientId: entry.clientId ?? stableGuid(`managed-identity:client:${entry.name}`),
      objectId: entry.objectId ?? stableGuid(`managed-identity:object:${entry.name}`),
      resourceId: entry.resourceId ?? derivedResourceId(entry.kind, entry.name),
      tenant: this.#store.requireTenant(entry.tenant, `${path}.tenant`).id,
      tokenLifetimeSeconds: entry.tokenLifetimeSeconds,
    }
    for (const key of ['name', 'clientId', 'objectId', 'resourceId'] as const) {
      if (this.#store.findManagedIdentity(record[key]))
        refuse(`${path}.${key}`, `'${record[key]}' is already a managed identity's ${key}`)
    }
    this.#store.managedIdentities.set(record.objectId, record)
    return record
  }

  /** The identity with this name, client id, object id or resource id. */
  get(ref: string): ManagedIdentityRecord | undefined {
    return this.#store.findManagedIdentity(ref)
  }

  /** All identities, in registration order. */
  list(): ManagedIdentityRecord[] {
    return [...this.#store.managedIdentities.values()]
  }

  /** The host's system-assigned identity, if it has one. */
  systemAssigned(): ManagedIdentityRecord | undefined {
    return this.list().find((identity) => identity.kind === 'system')
  }
}
