/**
 * The demo registry of the Microsoft article the library follows: tenant Contoso, the API
 * `api://myapis/mywebapi` with app roles `Admin` and `ReadOnly`, and three daemons with known test
 * secrets: one granted Admin with admin consent, one granted ReadOnly, one granted a role that no
 * admin consented to (its tokens carry no `roles`). The emulated host has a system-assigned managed
 * identity and one user-assigned identity (docs/managed-identity.md §Emulation).
 */
import type { RegistryInput } from './schema.js'

/**
 * Ids and test-only secrets of {@link exampleRegistry}.
 *
 * @example
 * ```ts
 * const { tenantId, clients, api } = EXAMPLE
 * const admin = new TokenClient({ tenant: tenantId, clientId: clients.admin.appId, credential: { clientSecret: clients.admin.secret } })
 * await admin.getToken(`${api.uri}/.default`)
 * ```
 */
export const EXAMPLE = {
  tenantId: 'f6aba1d9-da41-4ea3-8f30-4970725586a8',
  tenantDomain: 'contoso.onmicrosoft.com',
  tenantName: 'Contoso',
  api: {
    appId: 'c2a3d5e1-7b64-4f0e-9a1d-3e5f7b9c1d20',
    uri: 'api://myapis/mywebapi',
    roles: ['Admin', 'ReadOnly'],
  },
  clients: {
    /** Granted `Admin`, admin consent given. */
    admin: {
      appId: '55b2a7ec-73f3-45c2-af08-21ecc33dc40e',
      secret: 'Adm8Q~test.only_admin-secret~0001',
      secretId: '0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a51',
    },
    /** Granted `ReadOnly`, admin consent given. */
    reader: {
      appId: '7d9a1c3e-5f7b-4d2a-8c4e-6a8b0c2d4e62',
      secret: 'Rdr8Q~test.only_reader-secret~0002',
      secretId: '1f2a3b4c-5d6e-4f7a-9b0c-1d2e3f4a5b62',
    },
    /** Granted `ReadOnly` but no admin consented: tokens carry no `roles` claim. */
    unconsented: {
      appId: '9e1b3d5f-7a9c-4e1b-8d3f-5a7c9e1b3d73',
      secret: 'Unc8Q~test.only_unconsented-secret~0003',
      secretId: '2a3b4c5d-6e7f-4a8b-8c1d-2e3f4a5b6c73',
    },
  },
  managedIdentities: {
    /** The host's system-assigned identity (a virtual machine). */
    system: {
      name: 'contoso-vm',
      clientId: '3f8a2c6e-1b4d-4e7a-9c2f-6d8e0a4b2c84',
      objectId: '4a9b3d7f-2c5e-4f8b-8d3a-7e9f1b5c3d95',
    },
    /** A user-assigned identity attached to the host. */
    worker: {
      name: 'orders-worker',
      clientId: '5b0c4e8a-3d6f-4a9c-9e4b-8f0a2c6d4ea6',
      objectId: '6c1d5f9b-4e7a-4b0d-8f5c-9a1b3d7e5fb7',
    },
  },
} as const

/**
 * A fresh copy of the demo registry (the default when `startLocalAuthority()` is given none).
 *
 * @example
 * ```ts
 * const authority = await startLocalAuthority({ registry: exampleRegistry() })
 * // POST {tokenEndpoint} client_id=EXAMPLE.clients.admin.appId, client_secret=EXAMPLE.clients.admin.secret,
 * //      scope=api://myapis/mywebapi/.default → a token with roles ['Admin']
 * ```
 */
export function exampleRegistry(): RegistryInput {
  const { clients, api, managedIdentities } = EXAMPLE
  const client = (name: keyof typeof clients, displayName: string) => ({
    appId: clients[name].appId,
    displayName,
    secrets: [{ value: clients[name].secret, id: clients[name].secretId, displayName: 'test-only' }],
  })
  return {
    tenants: [{ id: EXAMPLE.tenantId, domains: [EXAMPLE.tenantDomain], displayName: EXAMPLE.tenantName }],
    apis: [
      {
        appId: api.appId,
        displayName: 'mywebapi',
        appIdUris: [api.uri],
        appRoles: api.roles.map((value) => ({ value, allowedMemberTypes: ['Application' as const] })),
      },
    ],
    clients: [
      client('admin', 'daemon-admin'),
      client('reader', 'daemon-reader'),
      client('unconsented', 'daemon-unconsented'),
    ],
    grants: [
      { clientId: clients.admin.appId, api: api.uri, roles: ['Admin'], adminConsent: true },
      { clientId: clients.reader.appId, api: api.uri, roles: ['ReadOnly'], adminConsent: true },
      { clientId: clients.unconsented.appId, api: api.uri, roles: ['ReadOnly'], adminConsent: false },
    ],
    managedIdentities: [
      { ...managedIdentities.system, kind: 'system' },
      { ...managedIdentities.worker, kind: 'user' },
    ],
  }
}
