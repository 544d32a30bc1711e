/**
 * The registry's records after validation: tenant references resolved to GUIDs, defaults filled
 * in, certificates parsed. These are what the directories return and the token endpoint reads.
 */
import type { X509Certificate } from 'node:crypto'

/**
 * A tenant of the local authority.
 *
 * @example
 * ```ts
 * authority.tenants.get('contoso.onmicrosoft.com')?.id // 'f6aba1d9-…'
 * ```
 */
export interface TenantRecord {
  /** Tenant id (GUID, lower case). */
  id: string
  displayName: string
  /** Verified domains (lower case). */
  domains: string[]
}

/**
 * An app role of an API.
 *
 * @example
 * ```ts
 * authority.apis.addRole('api://orders', { value: 'Audit' }).id // a stable GUID
 * ```
 */
export interface AppRoleRecord {
  value: string
  id: string
  displayName: string
  allowedMemberTypes: Array<'Application' | 'User'>
}

/**
 * An API (resource) registration.
 *
 * @example
 * ```ts
 * authority.apis.get('api://myapis/mywebapi')?.accessTokenAcceptedVersion // null → v1 tokens
 * ```
 */
export interface ApiRecord {
  appId: string
  displayName: string
  /** Home tenant id. */
  tenant: string
  /** Tenant ids where the API has a service principal. */
  tenants: string[]
  appIdUris: string[]
  appRoles: AppRoleRecord[]
  /** `null`/1 → v1 tokens, 2 → v2 tokens (docs/entra.md §7). */
  accessTokenAcceptedVersion: 1 | 2 | null
  /** `expires_in` of issued tokens. */
  tokenLifetimeSeconds: number
  /** `refresh_in` of responses, when set. */
  refreshInSeconds?: number
}

/**
 * A client secret.
 *
 * @example
 * ```ts
 * const { value, id } = authority.clients.addSecret(clientId)
 * ```
 */
export interface SecretRecord {
  /** The secret's Value (what the client sends). */
  value: string
  /** The Secret ID (a GUID: what people wrongly send instead of the value). */
  id: string
  displayName?: string
  /** Epoch ms after which the secret is refused with AADSTS7000222. */
  expiresAt?: number
}

/**
 * A certificate credential.
 *
 * @example
 * ```ts
 * const record: CertificateRecord = authority.clients.addCertificate(clientId, certPem)
 * record.thumbprintSha1.toString('hex')
 * ```
 */
export interface CertificateRecord {
  pem: string
  x509: X509Certificate
  /** SHA-1 of the DER (what `x5t` carries, decoded). */
  thumbprintSha1: Buffer
  /** SHA-256 of the DER (what `x5t#S256` carries, decoded). */
  thumbprintSha256: Buffer
  displayName?: string
}

/**
 * Subject-name/issuer trust for `x5c` assertions.
 *
 * @example
 * ```ts
 * authority.clients.trustSubject(clientId, { subject: 'CN=daemon' }).subject // 'CN=daemon'
 * ```
 */
export interface SubjectNameRecord {
  subject: string
  issuer?: X509Certificate
}

/**
 * A federated identity credential.
 *
 * @example
 * ```ts
 * authority.clients.get(clientId)?.federatedCredentials[0]?.issuer
 * ```
 */
export interface FederatedCredentialRecord {
  name: string
  /** The issuer; for a managed identity, `{authority}/{tenant id}/v2.0` (this authority's v2 issuer). */
  issuer: string
  subject: string
  audiences: string[]
  /** Where the issuer's keys are; absent for a managed identity (the authority's own keys). */
  jwksUrl?: string
  /** The trusted managed identity's object id (its tokens are verified with the authority's keys). */
  managedIdentity?: string
}

/**
 * A managed identity.
 *
 * @example
 * ```ts
 * authority.managedIdentities.get('orders-worker')?.objectId // `oid` of its tokens
 * ```
 */
export interface ManagedIdentityRecord {
  name: string
  kind: 'system' | 'user'
  clientId: string
  objectId: string
  resourceId: string
  /** Tenant id. */
  tenant: string
  tokenLifetimeSeconds: number
}

/**
 * A client application.
 *
 * @example
 * ```ts
 * authority.clients.get(clientId)?.enabled // true
 * ```
 */
export interface ClientRecord {
  appId: string
  displayName: string
  enabled: boolean
  /** Home tenant id. */
  tenant: string
  /** Tenant ids where the app has a service principal. */
  tenants: string[]
  secrets: SecretRecord[]
  certificates: CertificateRecord[]
  subjectNames: SubjectNameRecord[]
  federatedCredentials: FederatedCredentialRecord[]
  /** Service principal object id by tenant id. */
  servicePrincipalIds: Record<string, string>
  /** Requires DPoP-bound tokens (and, with `nonce`, the authority's DPoP nonce in the proof). */
  dpop?: { nonce: boolean }
}

/**
 * The app roles of one API assigned to one client in one tenant.
 *
 * @example
 * ```ts
 * authority.clients.grant(clientId, 'api://myapis/mywebapi', ['Admin']).adminConsent // true
 * ```
 */
export interface GrantRecord {
  clientId: string
  /** The API's application id. */
  apiId: string
  tenant: string
  roles: string[]
  /** Without admin consent the token carries no `roles` claim. */
  adminConsent: boolean
}
