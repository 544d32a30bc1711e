/**
 * Folder `registry/`: what the local authority has registered, and how it gets there. The document
 * (`schema.ts`, its JSON Schema `json-schema.ts`, the demo `example.ts`) is loaded entry by entry
 * (`load.ts`) into the directories tests drive: `tenants.ts`, `apis.ts`, `clients.ts` (with
 * `credentials.ts`) and `grants.ts`. They validate into `records.ts` and refuse with
 * `registry-error.ts`; all of them keep their records in the store of this file.
 *
 * The registry's state, shared by the directories (which change it) and the endpoints (which read
 * it), with the look-ups both need.
 */

import type { ApiRecord, ClientRecord, GrantRecord, ManagedIdentityRecord, TenantRecord } from './records.js'
import { refuse } from './registry-error.js'

/**
 * All registrations of one local authority.
 *
 * @example
 * ```ts
 * const store = new RegistryStore()
 * store.tenants.set(tenant.id, tenant)
 * store.findTenant('contoso.onmicrosoft.com') // tenant
 * ```
 */
export class RegistryStore {
  readonly tenants = new Map<string, TenantRecord>()
  readonly apis = new Map<string, ApiRecord>()
  readonly clients = new Map<string, ClientRecord>()
  readonly grants: GrantRecord[] = []
  /** Managed identities by object id. */
  readonly managedIdentities = new Map<string, ManagedIdentityRecord>()

  /** The tenant named by GUID or verified domain (case-insensitive), if registered. */
  findTenant(ref: string): TenantRecord | undefined {
    const wanted = ref.toLowerCase()
    const byId = this.tenants.get(wanted)
    if (byId) return byId
    for (const tenant of this.tenants.values()) if (tenant.domains.includes(wanted)) return tenant
    return undefined
  }

  /** Like {@link findTenant}, refusing unknown references with a registry error at `path`. */
  requireTenant(ref: string | undefined, path: string): TenantRecord {
    const tenant = ref === undefined ? this.tenants.values().next().value : this.findTenant(ref)
    if (tenant) return tenant
    const known = [...this.tenants.values()].map((t) => [t.id, ...t.domains].join(' | ')).join('; ')
    return refuse(path, `unknown tenant '${ref ?? '(default)'}' (known: ${known || 'none'})`)
  }

  /**
   * The home tenant of an entry (`tenant`, else the first registered) and the ids of the tenants it
   * lists (`tenants`, else only the home tenant), each reference checked at its path.
   */
  requireTenants(
    entry: { tenant?: string | undefined; tenants?: readonly string[] | undefined },
    path: string,
  ): { home: TenantRecord; listed: string[] } {
    const home = this.requireTenant(entry.tenant, `${path}.tenant`)
    const listed = (entry.tenants ?? [home.id]).map(
      (ref, index) => this.requireTenant(ref, `${path}.tenants[${index}]`).id,
    )
    return { home, listed }
  }

  /** The API with this application id or App ID URI (exact, case-insensitive), if registered. */
  findApi(ref: string): ApiRecord | undefined {
    const wanted = ref.toLowerCase()
    const byId = this.apis.get(wanted)
    if (byId) return byId
    for (const api of this.apis.values()) {
      if (api.appIdUris.some((uri) => uri.toLowerCase() === wanted)) return api
    }
    return undefined
  }

  /** Like {@link findApi}, refusing unknown references with a registry error at `path`. */
  requireApi(ref: string, path: string): ApiRecord {
    return this.findApi(ref) ?? refuse(path, `unknown API '${ref}' (register it with apis.add first)`)
  }

  /** The client with this application id, refusing unknown ids with a registry error at `path`. */
  requireClient(appId: string, path: string): ClientRecord {
    return this.clients.get(appId.toLowerCase()) ?? refuse(path, `unknown client '${appId}'`)
  }

  /** The grant of `api` to `client` in `tenant`, if any. */
  findGrant(clientId: string, apiId: string, tenant: string): GrantRecord | undefined {
    return this.grants.find((g) => g.clientId === clientId && g.apiId === apiId && g.tenant === tenant)
  }

  /** The managed identity with this name, client id, object id or resource id (case-insensitive). */
  findManagedIdentity(ref: string): ManagedIdentityRecord | undefined {
    const wanted = ref.toLowerCase()
    for (const identity of this.managedIdentities.values()) {
      const names = [identity.name, identity.clientId, identity.objectId, identity.resourceId]
      if (names.some((name) => name.toLowerCase() === wanted)) return identity
    }
    return undefined
  }

  /** Like {@link findManagedIdentity}, refusing unknown references with a registry error at `path`. */
  requireManagedIdentity(ref: string, path: string): ManagedIdentityRecord {
    return (
      this.findManagedIdentity(ref) ??
      refuse(path, `unknown managed identity '${ref}' (register it in managedIdentities first)`)
    )
  }
}
