/**
 * The types of what the registry is given (code or a JSON file), read from its schemas (schema.ts).
 */
import type { z } from 'zod'
import type {
  apiSchema,
  appRoleSchema,
  certificateSchema,
  clientSchema,
  federatedCredentialSchema,
  grantSchema,
  managedIdentitySchema,
  secretSchema,
  subjectNameSchema,
  tenantSchema,
} from './schema.js'

/**
 * A tenant as given to the registry.
 *
 * @example
 * ```ts
 * const tenant: TenantInput = { id: 'a3d2c1b0-9e8f-4a7b-8c6d-5e4f3a2b1c0d', domains: ['fabrikam.onmicrosoft.com'] }
 * ```
 */
export type TenantInput = z.input<typeof tenantSchema>
/**
 * An app role as given to the registry.
 *
 * @example
 * ```ts
 * const role: AppRoleInput = { value: 'Orders.Read', allowedMemberTypes: ['Application'] }
 * ```
 */
export type AppRoleInput = z.input<typeof appRoleSchema>
/**
 * An API registration as given to the registry.
 *
 * @example
 * ```ts
 * const api: ApiInput = { appId, appIdUris: ['api://orders'], accessTokenAcceptedVersion: 2 }
 * ```
 */
export type ApiInput = z.input<typeof apiSchema>
/**
 * A client secret as given to the registry.
 *
 * @example
 * ```ts
 * authority.clients.addSecret(clientId, { expiresAt: '2030-01-01T00:00:00Z' } satisfies Partial<SecretInput>)
 * ```
 */
export type SecretInput = z.input<typeof secretSchema>
/**
 * A certificate credential as given to the registry.
 *
 * @example
 * ```ts
 * authority.clients.addCertificate(clientId, { pem: certPem, displayName: 'rotated' } satisfies CertificateInput)
 * ```
 */
export type CertificateInput = z.input<typeof certificateSchema>
/**
 * A subject-name trust as given to the registry.
 *
 * @example
 * ```ts
 * authority.clients.trustSubject(clientId, { subject: 'CN=daemon.contoso.com' } satisfies SubjectNameInput)
 * ```
 */
export type SubjectNameInput = z.input<typeof subjectNameSchema>
/**
 * A federated credential as given to the registry.
 *
 * @example
 * ```ts
 * authority.clients.addFederatedCredential(clientId, { issuer, subject: 'system:serviceaccount:ns:sa', jwksUrl: jwksUri })
 * ```
 */
export type FederatedCredentialInput = z.input<typeof federatedCredentialSchema>
/**
 * A client application as given to the registry.
 *
 * @example
 * ```ts
 * const client: ClientInput = { appId, displayName: 'worker', secrets: [{ value: 's3cret' }] }
 * ```
 */
export type ClientInput = z.input<typeof clientSchema>
/**
 * A role grant as given to the registry.
 *
 * @example
 * ```ts
 * const grant: GrantInput = { clientId, api: 'api://myapis/mywebapi', roles: ['ReadOnly'], adminConsent: false }
 * ```
 */
export type GrantInput = z.input<typeof grantSchema>
/**
 * A managed identity as given to the registry.
 *
 * @example
 * ```ts
 * const identity: ManagedIdentityInput = { name: 'orders-worker', clientId: '3c9e1a5b-7d2f-4b8e-9a1c-5e7f9b1d3a2c' }
 * ```
 */
export type ManagedIdentityInput = z.input<typeof managedIdentitySchema>

/**
 * A whole registry document (code or JSON file).
 *
 * @example
 * ```ts
 * const registry: RegistryInput = { tenants: [{ id: tenant, domains: ['contoso.onmicrosoft.com'] }] }
 * await startLocalAuthority({ registry })
 * ```
 */
export interface RegistryInput {
  tenants: TenantInput[]
  apis?: ApiInput[]
  clients?: ClientInput[]
  grants?: GrantInput[]
  /** Managed identities (loaded before the clients, whose federated credentials may name them). */
  managedIdentities?: ManagedIdentityInput[]
}
