/**
 * The client applications of the local authority and their credentials and grants, changeable at
 * run time so that tests can set up scenarios.
 */

import { stableGuid } from '../entra/ids.js'
import {
  generateSecretValue,
  toCertificateRecord,
  toFederatedRecord,
  toSecretRecord,
  toSubjectNameRecord,
} from './credentials.js'
import { assignRoles } from './grants.js'
import type {
  CertificateRecord,
  ClientRecord,
  FederatedCredentialRecord,
  GrantRecord,
  SecretRecord,
  SubjectNameRecord,
} from './records.js'
import { parseEntry, refuse } from './registry-error.js'
import {
  type CertificateInput,
  type ClientInput,
  certificateSchema,
  clientSchema,
  type FederatedCredentialInput,
  federatedCredentialSchema,
  type SecretInput,
  type SubjectNameInput,
  secretSchema,
  subjectNameSchema,
} from './schema.js'
import type { RegistryStore } from './store.js'

/**
 * Options of {@link ClientDirectory.grant}.
 *
 * @example
 * ```ts
 * authority.clients.grant(clientId, 'api://myapis/mywebapi', ['Admin'], { adminConsent: false })
 * ```
 */
export interface GrantOptions {
  /** Whether an admin consented. @defaultValue true for a new grant, unchanged otherwise */
  adminConsent?: boolean
  /** Tenant of the assignment. @defaultValue the API's home tenant */
  tenant?: string
}

/**
 * Adds client apps and changes their credentials, tenants and grants.
 *
 * @example
 * ```ts
 * const app = authority.clients.add({ appId: '3c1e…', displayName: 'worker' })
 * const { value } = authority.clients.addSecret(app.appId)
 * authority.clients.grant(app.appId, 'api://myapis/mywebapi', ['ReadOnly'])
 * ```
 */
export class ClientDirectory {
  readonly #store: RegistryStore

  constructor(store: RegistryStore) {
    this.#store = store
  }

  /** Registers a client app; its application id must be new among clients. */
  add(input: ClientInput, path = 'client'): ClientRecord {
    const entry = parseEntry(clientSchema, input, path)
    if (this.#store.clients.has(entry.appId))
      refuse(`${path}.appId`, `client '${entry.appId}' is already registered`)
    const { home, listed } = this.#store.requireTenants(entry, path)
    const record: ClientRecord = {
      appId: entry.appId,
      displayName: entry.displayName ?? `app-${entry.appId.slice(0, 8)}`,
      enabled: entry.enabled,
      tenant: home.id,
      tenants: [],
      secrets: entry.secrets.map(toSecretRecord),
      certificates: entry.certificates.map((c, i) => toCertificateRecord(c, `${path}.certificates[${i}]`)),
      subjectNames: entry.subjectNames.map((s, i) => toSubjectNameRecord(s, `${path}.subjectNames[${i}]`)),
      federatedCredentials: entry.federatedCredentials.map((fc, i) =>
        toFederatedRecord(fc, this.#store, `${path}.federatedCredentials[${i}]`),
      ),
      servicePrincipalIds: {},
      ...(entry.dpop && { dpop: { nonce: entry.dpop.nonce } }),
    }
    const explicitIds = Object.entries(entry.servicePrincipalIds).map(
      ([ref, id]) => [this.#store.requireTenant(ref, `${path}.servicePrincipalIds`).id, id] as const,
    )
    for (const tenant of listed) addServicePrincipal(record, tenant, new Map(explicitIds).get(tenant))
    this.#store.clients.set(record.appId, record)
    return record
  }

  /** The client with this application id. */
  get(appId: string): ClientRecord | undefined {
    return this.#store.clients.get(appId.toLowerCase())
  }

  /** All clients, in registration order. */
  list(): ClientRecord[] {
    return [...this.#store.clients.values()]
  }

  /**
   * Requires DPoP-bound tokens for this client (RFC 9449): `nonce: true` also asks for the authority's
   * nonce; `false` turns DPoP back off (a proof sent anyway still binds the token).
   */
  requireDpop(appId: string, options: { nonce?: boolean } | false = {}): void {
    const client = this.#store.requireClient(appId, 'clientId')
    if (options === false) delete client.dpop
    else client.dpop = { nonce: options.nonce ?? false }
  }

  /** Adds a secret; a value like the portal's is generated when none is given. */
  addSecret(appId: string, input: Partial<SecretInput> = {}): SecretRecord {
    const client = this.#store.requireClient(appId, 'clientId')
    const secret = toSecretRecord(
      parseEntry(secretSchema, { value: generateSecretValue(), ...input }, 'secret'),
    )
    client.secrets.push(secret)
    return secret
  }

  /** Removes a secret by its Secret ID. */
  removeSecret(appId: string, secretId: string): void {
    const client = this.#store.requireClient(appId, 'clientId')
    client.secrets = client.secrets.filter((s) => s.id !== secretId.toLowerCase())
  }

  /** Uploads a certificate (PEM). */
  addCertificate(appId: string, input: string | CertificateInput): CertificateRecord {
    const client = this.#store.requireClient(appId, 'clientId')
    const entry = parseEntry(
      certificateSchema,
      typeof input === 'string' ? { pem: input } : input,
      'certificate',
    )
    const record = toCertificateRecord(entry, 'certificate')
    client.certificates.push(record)
    return record
  }

  /** Removes an uploaded certificate (given by its PEM), e.g. to rotate it out. */
  removeCertificate(appId: string, pem: string): void {
    const client = this.#store.requireClient(appId, 'clientId')
    const removed = toCertificateRecord(parseEntry(certificateSchema, { pem }, 'certificate'), 'certificate')
    client.certificates = client.certificates.filter(
      (c) => !c.thumbprintSha256.equals(removed.thumbprintSha256),
    )
  }

  /** Trusts certificates by subject name (and optionally issuer), sent as `x5c`. */
  trustSubject(appId: string, input: SubjectNameInput): SubjectNameRecord {
    const client = this.#store.requireClient(appId, 'clientId')
    const record = toSubjectNameRecord(parseEntry(subjectNameSchema, input, 'subjectName'), 'subjectName')
    client.subjectNames.push(record)
    return record
  }

  /** Adds a federated identity credential. */
  addFederatedCredential(appId: string, input: FederatedCredentialInput): FederatedCredentialRecord {
    const client = this.#store.requireClient(appId, 'clientId')
    const entry = parseEntry(federatedCredentialSchema, input, 'federatedCredential')
    const record = toFederatedRecord(entry, this.#store, 'federatedCredential')
    client.federatedCredentials.push(record)
    return record
  }

  /** Enables or disables an app (a disabled app gets AADSTS7000112). */
  setEnabled(appId: string, enabled: boolean): void {
    this.#store.requireClient(appId, 'clientId').enabled = enabled
  }

  /** Gives the app a service principal in another tenant (a consented multi-tenant app). */
  addToTenant(appId: string, tenantRef: string, servicePrincipalId?: string): void {
    const client = this.#store.requireClient(appId, 'clientId')
    addServicePrincipal(client, this.#store.requireTenant(tenantRef, 'tenant').id, servicePrincipalId)
  }

  /** Removes the app's service principal from a tenant (→ AADSTS7000229 in its home tenant, 700016 elsewhere). */
  removeFromTenant(appId: string, tenantRef: string): void {
    const client = this.#store.requireClient(appId, 'clientId')
    const tenant = this.#store.requireTenant(tenantRef, 'tenant').id
    client.tenants = client.tenants.filter((t) => t !== tenant)
  }

  /** The object id of the app's service principal in a tenant (`oid` = `sub` of its tokens). */
  servicePrincipalId(appId: string, tenantRef?: string): string {
    const client = this.#store.requireClient(appId, 'clientId')
    const tenant = this.#store.requireTenant(tenantRef ?? client.tenant, 'tenant').id
    return (
      client.servicePrincipalIds[tenant] ??
      refuse('tenant', `client '${appId}' has no service principal in '${tenant}'`)
    )
  }

  /** Grants app roles of an API to the app. */
  grant(appId: string, api: string, roles: readonly string[], options: GrantOptions = {}): GrantRecord {
    return assignRoles(this.#store, { clientId: appId, api, roles: [...roles], ...options }, 'grant')
  }

  /** Sets or withdraws admin consent for the app's grant on an API. */
  setAdminConsent(
    appId: string,
    api: string,
    adminConsent: boolean,
    options: { tenant?: string } = {},
  ): GrantRecord {
    return assignRoles(this.#store, { clientId: appId, api, roles: [], adminConsent, ...options }, 'grant')
  }

  /** Revokes some (or, without `roles`, all) roles of an API from the app. */
  revoke(appId: string, api: string, roles?: readonly string[], options: { tenant?: string } = {}): void {
    const grant = assignRoles(this.#store, { clientId: appId, api, roles: [], ...options }, 'grant')
    grant.roles = roles ? grant.roles.filter((r) => !roles.includes(r)) : []
  }
}

function addServicePrincipal(client: ClientRecord, tenant: string, objectId: string | undefined): void {
  if (!client.tenants.includes(tenant)) client.tenants.push(tenant)
  client.servicePrincipalIds[tenant] ??= objectId?.toLowerCase() ?? stableGuid(`sp:${tenant}:${client.appId}`)
}
