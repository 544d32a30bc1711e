/**
 * The Microsoft resources every tenant has (docs/managed-identity.md §Emulation): their real
 * application ids and App ID URIs and the token version Entra issues for them, registered by default
 * so that a managed identity or an app gets a Graph, Storage, Key Vault or ARM token (or the token
 * exchange token a federated credential trusts) with no registry written by hand.
 */
import type { ApiDirectory } from './apis.js'
import type { ApiInput } from './schema.js'
import type { RegistryStore } from './store.js'

/**
 * The well-known resources: application id, App ID URIs, token version.
 *
 * @example
 * ```ts
 * WELL_KNOWN_RESOURCES.find((r) => r.displayName === 'Azure Storage')?.appIdUris // ['https://storage.azure.com']
 * ```
 */
export const WELL_KNOWN_RESOURCES: readonly Readonly<ApiInput>[] = Object.freeze([
  {
    appId: '00000003-0000-0000-c000-000000000000',
    displayName: 'Microsoft Graph',
    appIdUris: ['https://graph.microsoft.com'],
    accessTokenAcceptedVersion: null,
  },
  {
    appId: 'e406a681-f3d4-42a8-90b6-c2b029497af1',
    displayName: 'Azure Storage',
    appIdUris: ['https://storage.azure.com'],
    accessTokenAcceptedVersion: null,
  },
  {
    appId: 'cfa8b339-82a2-471a-a3c9-0fc0be7a4093',
    displayName: 'Azure Key Vault',
    appIdUris: ['https://vault.azure.net'],
    accessTokenAcceptedVersion: null,
  },
  {
    appId: '797f4846-ba00-4fd7-ba43-dac1f8f63013',
    displayName: 'Windows Azure Service Management API',
    appIdUris: ['https://management.azure.com', 'https://management.core.windows.net'],
    accessTokenAcceptedVersion: null,
  },
  {
    appId: 'fb60f99c-7a34-4190-8149-302f77469936',
    displayName: 'AAD Token Exchange Endpoint',
    appIdUris: ['api://AzureADTokenExchange'],
    accessTokenAcceptedVersion: 2,
  },
])

/**
 * Registers each well-known resource in every tenant of the registry, unless the registry already
 * has an API with its application id or one of its App ID URIs (the registry's own wins).
 *
 * @example
 * ```ts
 * registerWellKnownResources(store, apis) // after the registry is loaded
 * ```
 */
export function registerWellKnownResources(store: RegistryStore, apis: ApiDirectory): void {
  const tenants = [...store.tenants.keys()]
  for (const resource of WELL_KNOWN_RESOURCES) {
    const taken = [resource.appId, ...(resource.appIdUris ?? [])].some((ref) => store.findApi(ref))
    if (!taken) apis.add({ ...resource, appIdUris: [...(resource.appIdUris ?? [])], tenants }, 'wellKnown')
  }
}
