/**
 * Which managed identity a request names: by one of the source's selector parameters, else the
 * host's system-assigned identity, else (as IMDS does) its only user-assigned one.
 */
import type { ManagedIdentityRecord } from '../registry/records.js'
import type { RegistryStore } from '../registry/store.js'
import { IdentityRefusal } from './refusal.js'

/**
 * A source's selector parameters, by the record field each one names.
 *
 * @example
 * ```ts
 * const imds: SelectorParameters = { clientId: ['client_id'], objectId: ['object_id'], resourceId: ['msi_res_id'] }
 * ```
 */
export type SelectorParameters = Readonly<Record<'clientId' | 'objectId' | 'resourceId', readonly string[]>>

/**
 * The identity a request's query selects; an {@link IdentityRefusal} (400) when it names none, more
 * than one selector, or an identity the host does not have.
 *
 * @example
 * ```ts
 * selectIdentity(store, url.searchParams, IMDS_SELECTORS).objectId
 * ```
 */
export function selectIdentity(
  store: RegistryStore,
  query: URLSearchParams,
  parameters: SelectorParameters,
): ManagedIdentityRecord {
  const given = (Object.keys(parameters) as Array<keyof SelectorParameters>).flatMap((field) =>
    parameters[field].flatMap((name) => {
      const value = query.get(name)
      return value === null || value === '' ? [] : [{ field, value }]
    }),
  )
  if (given.length > 1) {
    throw new IdentityRefusal(400, 'invalid_request', 'Only one of the identity parameters may be given')
  }
  const identities = [...store.managedIdentities.values()]
  const [selector] = given
  if (selector === undefined) return defaultIdentity(identities)
  const found = identities.find(
    (identity) => identity[selector.field].toLowerCase() === selector.value.toLowerCase(),
  )
  if (!found) throw new IdentityRefusal(400, 'invalid_request', 'Identity not found')
  return found
}

function defaultIdentity(identities: ManagedIdentityRecord[]): ManagedIdentityRecord {
  const system = identities.find((identity) => identity.kind === 'system')
  if (system) return system
  const users = identities.filter((identity) => identity.kind === 'user')
  if (users.length === 1 && users[0]) return users[0]
  if (users.length > 1) {
    throw new IdentityRefusal(
      400,
      'invalid_request',
      'Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request',
    )
  }
  throw new IdentityRefusal(400, 'invalid_request', 'Identity not found')
}
