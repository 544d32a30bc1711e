/**
 * Which API a token request names (docs/entra.md §5): `scope` (v2, exactly one `{resource}/.default`) or
 * `resource` (v1, the bare resource), looked up in the tenant.
 */
import { MESSAGES } from '../entra/aadsts.js'
import { AadstsError } from '../entra/error-body.js'
import type { ApiRecord, ClientRecord, TenantRecord } from '../registry/records.js'
import type { RegistryStore } from '../registry/store.js'

// Deliberate copy: the emulator shares no protocol code with the client (docs/architecture.md)
// (the client's: src/scope.ts)
const DEFAULT_SUFFIX = '/.default'

/**
 * The resource named by a v2 `scope` parameter.
 *
 * @example
 * ```ts
 * resourceFromScope('api://myapis/mywebapi/.default') // 'api://myapis/mywebapi'
 * resourceFromScope('https://database.windows.net//.default') // 'https://database.windows.net/'
 * resourceFromScope('openid api://x/.default') // throws AADSTS1002012
 * ```
 */
export function resourceFromScope(scope: string | undefined): string {
  if (scope === undefined || scope.trim() === '')
    throw new AadstsError(900144, MESSAGES.missingParameter('scope'))
  const parts = scope.trim().split(/\s+/)
  const resources = parts
    .filter((p) => p.endsWith(DEFAULT_SUFFIX))
    .map((p) => p.slice(0, -DEFAULT_SUFFIX.length))
  if (parts.length > 1 && resources.length === parts.length && new Set(resources).size > 1) {
    throw new AadstsError(700022, MESSAGES.twoResources(scope))
  }
  const [resource] = resources
  if (parts.length !== 1 || resource === undefined || resource === '') {
    throw new AadstsError(1002012, MESSAGES.scopeNotDefault(scope))
  }
  return resource
}

/**
 * The resource named by a v1 `resource` parameter (taken as is: `…/.default` is not stripped).
 *
 * @example
 * ```ts
 * resourceFromParameter('https://management.azure.com') // 'https://management.azure.com'
 * ```
 */
export function resourceFromParameter(resource: string | undefined): string {
  if (resource === undefined || resource === '')
    throw new AadstsError(900144, MESSAGES.missingParameter('resource'))
  return resource
}

/**
 * The API a resource string names in a tenant: by application id or App ID URI (case-insensitive,
 * a trailing `/` ignored); an app naming itself must use its GUID (AADSTS90009).
 *
 * @example
 * ```ts
 * findResource(store, tenant, client, 'api://myapis/mywebapi').appId // '…'
 * ```
 */
export function findResource(
  store: RegistryStore,
  tenant: TenantRecord,
  client: ClientRecord,
  resource: string,
): ApiRecord {
  const wanted = normalise(resource)
  if (wanted === client.appId) return store.apis.get(client.appId) ?? selfApi(client)
  const api = [...store.apis.values()].find(
    (candidate) => candidate.appId === wanted || candidate.appIdUris.some((uri) => normalise(uri) === wanted),
  )
  if (!api?.tenants.includes(tenant.id)) {
    throw new AadstsError(500011, MESSAGES.resourceNotFound(resource, tenant.displayName))
  }
  if (api.appId === client.appId)
    throw new AadstsError(90009, MESSAGES.tokenForItself(client.appId, client.displayName))
  return api
}

function normalise(resource: string): string {
  return resource.toLowerCase().replace(/\/$/, '')
}

/** An app asking for a token for itself (by GUID) when it exposes no API registration. */
function selfApi(client: ClientRecord): ApiRecord {
  return {
    appId: client.appId,
    displayName: client.displayName,
    tenant: client.tenant,
    tenants: client.tenants,
    appIdUris: [],
    appRoles: [],
    accessTokenAcceptedVersion: null,
    tokenLifetimeSeconds: 3599,
  }
}
