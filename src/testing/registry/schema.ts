/**
 * The zod schemas of a registry document (tenants, APIs, client apps, role grants): the one source
 * of truth for what `startLocalAuthority({ registry })`, `registryFile` and the run-time
 * `add…` methods accept.
 */
import { z } from 'zod'

const guid = z
  .guid({ error: 'must be a GUID such as f6aba1d9-da41-4ea3-8f30-4970725586a8' })
  .transform((value) => value.toLowerCase())

const domain = z
  .string()
  // spelled without the `i` flag so that the JSON Schema pattern (which has no flags) means the same
  .regex(/^(?=.{1,253}$)([a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}$/, {
    error: 'must be a DNS name such as contoso.onmicrosoft.com',
  })
  .transform((value) => value.toLowerCase())

/** An instant as epoch ms, an ISO 8601 date-time or a Date; normalised to epoch ms. */
const instant = z
  .union([z.number().int(), z.iso.datetime({ offset: true }), z.date()])
  .transform((value) => (typeof value === 'number' ? value : new Date(value).getTime()))

/**
 * A tenant: its GUID, verified domains and display name.
 *
 * @example
 * ```ts
 * tenantSchema.parse({ id: 'F6ABA1D9-DA41-4EA3-8F30-4970725586A8' }).id // lower case
 * ```
 */
export const tenantSchema = z.strictObject({
  id: guid,
  displayName: z.string().min(1).optional(),
  domains: z.array(domain).default([]),
})

/**
 * An app role defined by an API.
 *
 * @example
 * ```ts
 * appRoleSchema.parse({ value: 'Admin' }).allowedMemberTypes // ['Application']
 * ```
 */
export const appRoleSchema = z.strictObject({
  value: z.string().regex(/^[^\s]+$/, { error: 'must be a role value without spaces, such as Admin' }),
  id: guid.optional(),
  displayName: z.string().optional(),
  allowedMemberTypes: z
    .array(z.enum(['Application', 'User']))
    .min(1)
    .default(['Application']),
})

/**
 * An API (resource) registration.
 *
 * @example
 * ```ts
 * apiSchema.parse({ appId, appIdUris: ['api://myapis/mywebapi'] }).tokenLifetimeSeconds // 3599
 * ```
 */
export const apiSchema = z.strictObject({
  appId: guid,
  displayName: z.string().min(1).optional(),
  /** Home tenant (GUID or domain). Defaults to the first tenant of the registry. */
  tenant: z.string().min(1).optional(),
  /** Tenants where the API has a service principal. Defaults to the home tenant. */
  tenants: z.array(z.string().min(1)).optional(),
  appIdUris: z.array(z.string().min(1)).default([]),
  appRoles: z.array(appRoleSchema).default([]),
  accessTokenAcceptedVersion: z.union([z.literal(1), z.literal(2), z.null()]).default(null),
  tokenLifetimeSeconds: z.number().int().positive().default(3599),
  refreshInSeconds: z.number().int().positive().optional(),
})

/**
 * A client secret.
 *
 * @example
 * ```ts
 * secretSchema.parse({ value: 'x', expiresAt: '2030-01-01T00:00:00Z' }).expiresAt // 1893456000000
 * ```
 */
export const secretSchema = z.strictObject({
  value: z.string().min(1),
  id: guid.optional(),
  displayName: z.string().optional(),
  expiresAt: instant.optional(),
})

/**
 * A certificate credential, by PEM.
 *
 * @example
 * ```ts
 * certificateSchema.parse({ pem: certificate.certificatePem })
 * ```
 */
export const certificateSchema = z.strictObject({
  pem: z.string().includes('-----BEGIN CERTIFICATE-----', { error: 'must be a PEM certificate' }),
  displayName: z.string().optional(),
})

/**
 * Subject-name/issuer trust: certificates with this subject are accepted when sent in `x5c`.
 *
 * @example
 * ```ts
 * subjectNameSchema.parse({ subject: 'CN=daemon.contoso.com', issuerPem: ca.certificatePem })
 * ```
 */
export const subjectNameSchema = z.strictObject({
  /** `CN=…` (optionally with more RDNs, e.g. `CN=daemon, O=Contoso`) or the bare common name. */
  subject: z.string().min(1),
  /** When given, the `x5c` leaf must be issued (signed) by this certificate. */
  issuerPem: z.string().includes('-----BEGIN CERTIFICATE-----').optional(),
})

/**
 * A federated identity credential (workload identity).
 *
 * @example
 * ```ts
 * federatedCredentialSchema.parse({ issuer, subject, jwksUrl }).audiences // ['api://AzureADTokenExchange']
 * ```
 */
export const federatedCredentialSchema = z.union([
  z.strictObject({
    name: z.string().optional(),
    issuer: z.string().min(1),
    subject: z.string().min(1),
    audiences: z.array(z.string().min(1)).min(1).default(['api://AzureADTokenExchange']),
    /** Where the issuer publishes its signing keys. */
    jwksUrl: z.url(),
  }),
  z.strictObject({
    name: z.string().optional(),
    /**
     * A managed identity of this registry (name, client id or object id): trusted as Entra trusts one,
     * issuer `{authority}/{its tenant}/v2.0`, subject its object id (docs/managed-identity.md §Emulation).
     */
    managedIdentity: z.string().min(1),
    audiences: z.array(z.string().min(1)).min(1).default(['api://AzureADTokenExchange']),
  }),
])

const armResourceId = z
  .string()
  .regex(/^\/subscriptions\/[^/]+\/resource[gG]roups\/[^/]+\/providers\/[^/]+\/.+$/, {
    error:
      'must be an ARM resource id such as /subscriptions/…/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/name',
  })

/**
 * A managed identity: the system-assigned identity of the emulated host (at most one) or a
 * user-assigned identity attached to it. Ids not given are derived from the name.
 *
 * @example
 * ```ts
 * managedIdentitySchema.parse({ name: 'orders-worker' }).kind // 'user'
 * ```
 */
export const managedIdentitySchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, {
    error: 'must be a name of letters, digits, - _ . such as orders-worker',
  }),
  /** `system`: the host's own identity (selected by no parameter); `user`: selected by an id. */
  kind: z.enum(['system', 'user']).default('user'),
  clientId: guid.optional(),
  /** The service principal's object (principal) id: `oid` and `sub` of its tokens. */
  objectId: guid.optional(),
  /** The ARM id (`xms_mirid`, `msi_res_id`/`mi_res_id`): the host's for `system`, the identity's for `user`. */
  resourceId: armResourceId.optional(),
  /** Its tenant (GUID or domain). Defaults to the first tenant of the registry. */
  tenant: z.string().min(1).optional(),
  /** `expires_in` of its tokens: Entra issues managed identities 24-hour tokens. */
  tokenLifetimeSeconds: z.number().int().positive().default(86_399),
})

/**
 * A client application (the daemon asking for tokens).
 *
 * @example
 * ```ts
 * clientSchema.parse({ appId, secrets: [{ value: 's3cret' }] }).enabled // true
 * ```
 */
export const clientSchema = z.strictObject({
  appId: guid,
  displayName: z.string().min(1).optional(),
  enabled: z.boolean().default(true),
  /** Home tenant (GUID or domain). Defaults to the first tenant of the registry. */
  tenant: z.string().min(1).optional(),
  /** Tenants where the app has a service principal. Defaults to the home tenant. */
  tenants: z.array(z.string().min(1)).optional(),
  secrets: z.array(secretSchema).default([]),
  certificates: z.array(certificateSchema).default([]),
  subjectNames: z.array(subjectNameSchema).default([]),
  federatedCredentials: z.array(federatedCredentialSchema).default([]),
  /** Service principal object ids by tenant (GUID or domain); derived from the ids when absent. */
  servicePrincipalIds: z.record(z.string(), guid).default({}),
  /**
   * Tokens only bound to a DPoP key (RFC 9449): a request without a valid proof is refused; with
   * `nonce: true` the proof must carry the authority's nonce (`use_dpop_nonce` otherwise).
   */
  dpop: z.strictObject({ nonce: z.boolean().default(false) }).optional(),
})

/**
 * App roles of an API granted to a client in a tenant, with or without admin consent.
 *
 * @example
 * ```ts
 * grantSchema.parse({ clientId, api: 'api://myapis/mywebapi', roles: ['Admin'] }).adminConsent // true
 * ```
 */
export const grantSchema = z.strictObject({
  clientId: guid,
  /** The API's application id or one of its App ID URIs. */
  api: z.string().min(1),
  roles: z.array(z.string().min(1)).default([]),
  adminConsent: z.boolean().default(true),
  /** Tenant of the assignment. Defaults to the API's home tenant. */
  tenant: z.string().min(1).optional(),
})

/**
 * The top level of a registry document; items are validated one by one with the schemas above.
 *
 * @example
 * ```ts
 * registryDocumentSchema.parse(JSON.parse(text)).tenants.length
 * ```
 */
export const registryDocumentSchema = z.strictObject({
  /** The JSON Schema an editor checks the file against; ignored by the authority. */
  $schema: z.string().optional(),
  tenants: z.array(z.unknown()).min(1, { error: 'a registry needs at least one tenant' }),
  apis: z.array(z.unknown()).default([]),
  clients: z.array(z.unknown()).default([]),
  grants: z.array(z.unknown()).default([]),
  managedIdentities: z.array(z.unknown()).default([]),
})

export type {
  ApiInput,
  AppRoleInput,
  CertificateInput,
  ClientInput,
  FederatedCredentialInput,
  GrantInput,
  ManagedIdentityInput,
  RegistryInput,
  SecretInput,
  SubjectNameInput,
  TenantInput,
} from './inputs.js'
