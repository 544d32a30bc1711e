/**
 * The registrations as the console shows them: tenants, APIs with their App ID URIs and app roles,
 * clients with the kinds of their credentials (a secret's id and expiry, never its value; a
 * certificate's thumbprint, never a key), role grants with admin consent, federated credentials.
 */

import type { ApiRecord, ClientRecord, GrantRecord } from '../registry/records.js'
import type { RegistryStore } from '../registry/store.js'

/**
 * One credential of a client, without its secret part.
 *
 * @example
 * ```ts
 * const shown: CredentialView = { kind: 'secret', id: '0e1f…', expired: false }
 * ```
 */
export type CredentialView =
  | { kind: 'secret'; id: string; displayName?: string; expiresAt?: number; expired: boolean }
  | { kind: 'certificate'; thumbprint: string; subject: string; notAfter: string; displayName?: string }
  | { kind: 'subject-name'; subject: string; issuer?: string }
  | { kind: 'federated'; name: string; issuer: string; subject: string; audiences: string[] }

/**
 * A client as shown.
 *
 * @example
 * ```ts
 * view.clients[0]?.credentials.map((c) => c.kind) // ['secret']
 * ```
 */
export interface ClientView {
  appId: string
  displayName: string
  enabled: boolean
  tenant: string
  tenants: string[]
  credentials: CredentialView[]
}

/**
 * An API as shown.
 *
 * @example
 * ```ts
 * view.apis[0]?.appRoles.map((r) => r.value) // ['Admin', 'ReadOnly']
 * ```
 */
export interface ApiView {
  appId: string
  displayName: string
  tenant: string
  appIdUris: string[]
  appRoles: Array<{ value: string; displayName: string; allowedMemberTypes: string[] }>
  tokenVersion: 1 | 2
  tokenLifetimeSeconds: number
}

/**
 * A role grant as shown, with the names of its client and API.
 *
 * @example
 * ```ts
 * view.grants.find((g) => !g.adminConsent)?.clientName // 'daemon-unconsented'
 * ```
 */
export interface GrantView {
  clientId: string
  clientName: string
  apiId: string
  apiName: string
  tenant: string
  roles: string[]
  adminConsent: boolean
}

/**
 * Every registration, redacted.
 *
 * @example
 * ```ts
 * const view: RegistryView = registryView(store, Date.now())
 * ```
 */
export interface RegistryView {
  tenants: Array<{ id: string; displayName: string; domains: string[] }>
  apis: ApiView[]
  clients: ClientView[]
  grants: GrantView[]
}

/**
 * The registry as the console shows it.
 *
 * @example
 * ```ts
 * registryView(store, Date.now()).clients[0]?.credentials[0] // { kind: 'secret', id, expired: false, … }
 * ```
 */
export function registryView(store: RegistryStore, now: number): RegistryView {
  return {
    tenants: [...store.tenants.values()].map(({ id, displayName, domains }) => ({
      id,
      displayName,
      domains: [...domains],
    })),
    apis: [...store.apis.values()].map(apiView),
    clients: [...store.clients.values()].map((client) => clientView(client, now)),
    grants: store.grants.map((grant) => grantView(store, grant)),
  }
}

function apiView(api: ApiRecord): ApiView {
  return {
    appId: api.appId,
    displayName: api.displayName,
    tenant: api.tenant,
    appIdUris: [...api.appIdUris],
    appRoles: api.appRoles.map(({ value, displayName, allowedMemberTypes }) => ({
      value,
      displayName,
      allowedMemberTypes: [...allowedMemberTypes],
    })),
    tokenVersion: api.accessTokenAcceptedVersion === 2 ? 2 : 1,
    tokenLifetimeSeconds: api.tokenLifetimeSeconds,
  }
}

function clientView(client: ClientRecord, now: number): ClientView {
  return {
    appId: client.appId,
    displayName: client.displayName,
    enabled: client.enabled,
    tenant: client.tenant,
    tenants: [...client.tenants],
    credentials: credentialViews(client, now),
  }
}

function credentialViews(client: ClientRecord, now: number): CredentialView[] {
  const optional = <K extends string, V>(key: K, value: V | undefined) =>
    (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>
  return [
    ...client.secrets.map(
      (secret): CredentialView => ({
        kind: 'secret',
        id: secret.id,
        ...optional('displayName', secret.displayName),
        ...optional('expiresAt', secret.expiresAt),
        expired: secret.expiresAt !== undefined && secret.expiresAt <= now,
      }),
    ),
    ...client.certificates.map(
      (certificate): CredentialView => ({
        kind: 'certificate',
        thumbprint: certificate.thumbprintSha1.toString('hex').toUpperCase(),
        subject: certificate.x509.subject.replaceAll('\n', ', '),
        notAfter: new Date(certificate.x509.validTo).toISOString(),
        ...optional('displayName', certificate.displayName),
      }),
    ),
    ...client.subjectNames.map(
      (trust): CredentialView => ({
        kind: 'subject-name',
        subject: trust.subject,
        ...optional('issuer', trust.issuer?.subject.replaceAll('\n', ', ')),
      }),
    ),
    ...client.federatedCredentials.map(
      ({ name, issuer, subject, audiences }): CredentialView => ({
        kind: 'federated',
        name,
        issuer,
        subject,
        audiences: [...audiences],
      }),
    ),
  ]
}

function grantView(store: RegistryStore, grant: GrantRecord): GrantView {
  return {
    clientId: grant.clientId,
    clientName: store.clients.get(grant.clientId)?.displayName ?? grant.clientId,
    apiId: grant.apiId,
    apiName: store.apis.get(grant.apiId)?.displayName ?? grant.apiId,
    tenant: grant.tenant,
    roles: [...grant.roles],
    adminConsent: grant.adminConsent,
  }
}
