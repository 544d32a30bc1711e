/**
 * The tenants of the local authority, changeable at run time.
 */

import type { TenantRecord } from './records.js'
import { parseEntry, refuse } from './registry-error.js'
import { type TenantInput, tenantSchema } from './schema.js'
import type { RegistryStore } from './store.js'

/**
 * Adds and looks up tenants.
 *
 * @example
 * ```ts
 * authority.tenants.add({ id: 'a3d2…', domains: ['fabrikam.onmicrosoft.com'], displayName: 'Fabrikam' })
 * authority.tenants.get('fabrikam.onmicrosoft.com')?.id // 'a3d2…'
 * ```
 */
export class TenantDirectory {
  readonly #store: RegistryStore

  constructor(store: RegistryStore) {
    this.#store = store
  }

  /** Registers a tenant; its id and domains must be new. */
  add(input: TenantInput, path = 'tenant'): TenantRecord {
    const entry = parseEntry(tenantSchema, input, path)
    if (this.#store.tenants.has(entry.id)) refuse(`${path}.id`, `tenant '${entry.id}' is already registered`)
    for (const [index, domain] of entry.domains.entries()) {
      if (this.#store.findTenant(domain)) refuse(`${path}.domains[${index}]`, `domain '${domain}' is taken`)
    }
    const record: TenantRecord = {
      id: entry.id,
      displayName: entry.displayName ?? entry.domains[0]?.split('.')[0] ?? entry.id,
      domains: entry.domains,
    }
    this.#store.tenants.set(record.id, record)
    return record
  }

  /** The tenant with this GUID or verified domain. */
  get(ref: string): TenantRecord | undefined {
    return this.#store.findTenant(ref)
  }

  /** All tenants, in registration order. */
  list(): TenantRecord[] {
    return [...this.#store.tenants.values()]
  }
}
