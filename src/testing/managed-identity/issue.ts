/**
 * A managed identity's token, minted as Entra mints one (docs/managed-identity.md §Emulation): the
 * resource's token version, `idtyp` app, `oid`/`sub` the identity's object id, `appid`/`azp` its
 * client id, `xms_mirid` its resource id, `tid` its tenant, signed with the authority's keys.
 */

import { MESSAGES } from '../entra/aadsts.js'
import type { IssuerSettings } from '../entra/clouds.js'
import { toEpochSeconds } from '../entra/ids.js'
import { rolesClaim } from '../registry/grants.js'
import type { ApiRecord, ManagedIdentityRecord } from '../registry/records.js'
import type { RegistryStore } from '../registry/store.js'
import { type MintedToken, mintAccessToken } from '../token/access-token.js'
import type { SigningKeyRing } from '../token/signing-keys.js'
import { IdentityRefusal } from './refusal.js'

/**
 * What minting a managed identity's token needs.
 *
 * @example
 * ```ts
 * await issueIdentityToken(identity, 'https://storage.azure.com', Date.now(), { store, keys, issuer })
 * ```
 */
export interface IssueDeps {
  store: RegistryStore
  keys: SigningKeyRing
  issuer: IssuerSettings
}

/**
 * A minted token and the facts every source's answer reports.
 *
 * @example
 * ```ts
 * const { token, resource, clientId } = await issueIdentityToken(identity, resource, now, deps)
 * ```
 */
export interface IdentityToken {
  token: MintedToken
  /** The resource as asked for (`resource` of the answer). */
  resource: string
  clientId: string
  /** Epoch seconds. */
  now: number
}

/**
 * Mints `identity`'s token for `resource` (an App ID URI or application id; a `/.default` suffix is
 * dropped); a resource not registered in the identity's tenant is refused as IMDS refuses it.
 *
 * @example
 * ```ts
 * const issued = await issueIdentityToken(identity, 'https://vault.azure.net', Date.now(), deps)
 * issued.token.claims.xms_mirid // identity.resourceId
 * ```
 */
export async function issueIdentityToken(
  identity: ManagedIdentityRecord,
  requested: string | null,
  now: number,
  deps: IssueDeps,
): Promise<IdentityToken> {
  if (requested === null || requested.trim() === '')
    throw new IdentityRefusal(400, 'invalid_request', 'Required audience parameter not specified')
  const resource = requested.replace(/\/\.default$/i, '')
  const api = findApi(deps.store, resource, identity)
  const tenant = deps.store.tenants.get(identity.tenant)
  if (!tenant) throw new IdentityRefusal(500, 'unknown_error', 'The identity has no tenant')
  const token = await mintAccessToken({
    tenant,
    api: { ...api, tokenLifetimeSeconds: identity.tokenLifetimeSeconds },
    requestedResource: resource,
    clientId: identity.clientId,
    servicePrincipalId: identity.objectId,
    authMethod: 'federated',
    roles: rolesClaim(deps.store, identity.clientId, api, tenant.id),
    now,
    key: deps.keys.current,
    issuer: deps.issuer,
    managedIdentityResourceId: identity.resourceId,
  })
  return { token, resource, clientId: identity.clientId, now: toEpochSeconds(now) }
}

function findApi(store: RegistryStore, resource: string, identity: ManagedIdentityRecord): ApiRecord {
  const wanted = resource.toLowerCase().replace(/\/$/, '')
  const api = [...store.apis.values()].find(
    (candidate) =>
      candidate.appId === wanted ||
      candidate.appIdUris.some((uri) => uri.toLowerCase().replace(/\/$/, '') === wanted),
  )
  if (api?.tenants.includes(identity.tenant)) return api
  const tenantName = store.tenants.get(identity.tenant)?.displayName ?? identity.tenant
  throw new IdentityRefusal(
    400,
    'invalid_resource',
    `AADSTS500011: ${MESSAGES.resourceNotFound(resource, tenantName)}`,
  )
}
