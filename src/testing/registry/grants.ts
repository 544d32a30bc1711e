/**
 * App-role assignments (an API's roles granted to a client in a tenant) and admin consent: what
 * decides the `roles` claim of a token.
 */

import type { ApiRecord, GrantRecord } from './records.js'
import { parseEntry, refuse } from './registry-error.js'
import { type GrantInput, grantSchema } from './schema.js'
import type { RegistryStore } from './store.js'

/**
 * Grants roles (merged with roles granted before). `adminConsent` defaults to true for a new
 * grant and is left as it was for an existing one unless given.
 *
 * @example
 * ```ts
 * assignRoles(store, { clientId, api: 'api://myapis/mywebapi', roles: ['Admin'] }, 'grant')
 * ```
 */
export function assignRoles(store: RegistryStore, input: GrantInput, path: string): GrantRecord {
  const entry = parseEntry(grantSchema, input, path)
  const client = store.requireClient(entry.clientId, `${path}.clientId`)
  const api = store.requireApi(entry.api, `${path}.api`)
  const tenant = store.requireTenant(entry.tenant ?? api.tenant, `${path}.tenant`).id
  if (!client.tenants.includes(tenant))
    refuse(`${path}.tenant`, `client '${client.appId}' has no service principal in '${tenant}'`)
  if (!api.tenants.includes(tenant))
    refuse(`${path}.tenant`, `API '${api.appId}' has no service principal in '${tenant}'`)
  entry.roles.forEach((role, index) => {
    checkAssignable(api, role, `${path}.roles[${index}]`)
  })
  const existing = store.findGrant(client.appId, api.appId, tenant)
  if (existing) {
    existing.roles = [...new Set([...existing.roles, ...entry.roles])]
    if (input.adminConsent !== undefined) existing.adminConsent = entry.adminConsent
    return existing
  }
  const grant: GrantRecord = {
    clientId: client.appId,
    apiId: api.appId,
    tenant,
    roles: entry.roles,
    adminConsent: entry.adminConsent,
  }
  store.grants.push(grant)
  return grant
}

function checkAssignable(api: ApiRecord, value: string, path: string): void {
  const role = api.appRoles.find((r) => r.value === value)
  if (!role) {
    const known = api.appRoles.map((r) => r.value).join(', ') || 'none'
    refuse(path, `API '${api.displayName}' defines no app role '${value}' (defined: ${known})`)
  }
  if (!role.allowedMemberTypes.includes('Application')) {
    refuse(
      path,
      `app role '${value}' cannot be assigned to applications (allowedMemberTypes: ${role.allowedMemberTypes.join(', ')})`,
    )
  }
}

/**
 * The `roles` claim for a client calling an API in a tenant: the granted roles that the API still
 * defines, or `undefined` (no claim) when none are granted or admin consent is missing.
 *
 * @example
 * ```ts
 * rolesClaim(store, clientId, apiId, tenantId) // ['Admin'] or undefined
 * ```
 */
export function rolesClaim(
  store: RegistryStore,
  clientId: string,
  api: ApiRecord,
  tenant: string,
): string[] | undefined {
  const grant = store.findGrant(clientId, api.appId, tenant)
  if (!grant?.adminConsent) return undefined
  const roles = grant.roles.filter((value) => api.appRoles.some((r) => r.value === value))
  return roles.length > 0 ? roles : undefined
}
