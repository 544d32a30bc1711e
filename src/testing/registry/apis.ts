/**
 * The API (resource) registrations of the local authority, changeable at run time.
 */
import { z } from 'zod'
import { stableGuid } from '../entra/ids.js'
import type { ApiRecord, AppRoleRecord } from './records.js'
import { parseEntry, refuse } from './registry-error.js'
import { type ApiInput, type AppRoleInput, apiSchema, appRoleSchema } from './schema.js'
import type { RegistryStore } from './store.js'

const apiPatchSchema = z.strictObject({
  accessTokenAcceptedVersion: z.union([z.literal(1), z.literal(2), z.null()]).optional(),
  tokenLifetimeSeconds: z.number().int().positive().optional(),
  refreshInSeconds: z.number().int().positive().nullable().optional(),
})

/**
 * Changes {@link ApiDirectory.update} accepts (`refreshInSeconds: null` removes `refresh_in`).
 *
 * @example
 * ```ts
 * authority.apis.update('api://myapis/mywebapi', { tokenLifetimeSeconds: 86399, refreshInSeconds: 43200 })
 * ```
 */
export type ApiPatch = z.input<typeof apiPatchSchema>

/**
 * Adds, looks up and changes APIs.
 *
 * @example
 * ```ts
 * authority.apis.add({ appId: '9f1c…', appIdUris: ['api://orders'], appRoles: [{ value: 'Orders.Read' }] })
 * authority.apis.update('api://orders', { accessTokenAcceptedVersion: 2 })
 * ```
 */
export class ApiDirectory {
  readonly #store: RegistryStore

  constructor(store: RegistryStore) {
    this.#store = store
  }

  /** Registers an API; its application id and App ID URIs must be new. */
  add(input: ApiInput, path = 'api'): ApiRecord {
    const entry = parseEntry(apiSchema, input, path)
    if (this.#store.apis.has(entry.appId))
      refuse(`${path}.appId`, `API '${entry.appId}' is already registered`)
    for (const [index, uri] of entry.appIdUris.entries()) {
      if (this.#store.findApi(uri)) refuse(`${path}.appIdUris[${index}]`, `App ID URI '${uri}' is taken`)
    }
    const { home, listed: tenants } = this.#store.requireTenants(entry, path)
    const record: ApiRecord = {
      appId: entry.appId,
      displayName: entry.displayName ?? entry.appIdUris[0] ?? entry.appId,
      tenant: home.id,
      tenants: tenants.includes(home.id) ? tenants : [home.id, ...tenants],
      appIdUris: entry.appIdUris,
      appRoles: entry.appRoles.map((role) => toRole(entry.appId, role)),
      accessTokenAcceptedVersion: entry.accessTokenAcceptedVersion,
      tokenLifetimeSeconds: entry.tokenLifetimeSeconds,
    }
    if (entry.refreshInSeconds !== undefined) record.refreshInSeconds = entry.refreshInSeconds
    this.#store.apis.set(record.appId, record)
    return record
  }

  /** The API with this application id or App ID URI. */
  get(ref: string): ApiRecord | undefined {
    return this.#store.findApi(ref)
  }

  /** All APIs, in registration order. */
  list(): ApiRecord[] {
    return [...this.#store.apis.values()]
  }

  /** Defines one more app role on an API. */
  addRole(apiRef: string, input: AppRoleInput): AppRoleRecord {
    const api = this.#store.requireApi(apiRef, 'api')
    const role = toRole(api.appId, parseEntry(appRoleSchema, input, 'role'))
    if (api.appRoles.some((r) => r.value === role.value)) refuse('role.value', `role '${role.value}' exists`)
    api.appRoles.push(role)
    return role
  }

  /** Changes the token version, lifetime or `refresh_in` of an API (`refreshInSeconds: null` removes it). */
  update(apiRef: string, patch: ApiPatch): ApiRecord {
    const api = this.#store.requireApi(apiRef, 'api')
    const entry = parseEntry(apiPatchSchema, patch, 'patch')
    if (entry.accessTokenAcceptedVersion !== undefined)
      api.accessTokenAcceptedVersion = entry.accessTokenAcceptedVersion
    if (entry.tokenLifetimeSeconds !== undefined) api.tokenLifetimeSeconds = entry.tokenLifetimeSeconds
    if (entry.refreshInSeconds === null) delete api.refreshInSeconds
    else if (entry.refreshInSeconds !== undefined) api.refreshInSeconds = entry.refreshInSeconds
    return api
  }
}

function toRole(apiId: string, role: z.output<typeof appRoleSchema>): AppRoleRecord {
  return {
    value: role.value,
    id: role.id ?? stableGuid(`role:${apiId}:${role.value}`),
    displayName: role.displayName ?? role.value,
    allowedMemberTypes: role.allowedMemberTypes,
  }
}
