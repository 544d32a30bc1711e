/**
 * One logged request as a row of the console: when, which route, tenant and client, what was
 * answered and why (each AADSTS code with its meaning and hint), and for an issued token its decoded
 * header and claims with a word on its roles. Only named form fields are copied: never a secret, an
 * assertion, a query string or a header value.
 */

import type { LoggedRequest } from '../http/request-log.js'
import type { RegistryStore } from '../registry/store.js'
import { type Explanation, explainCode, explainStatus } from './explanations.js'

/**
 * Form fields shown, by name (all others are left out, whatever they hold).
 *
 * @example
 * ```ts
 * SHOWN_FIELDS.includes('client_secret') // false
 * ```
 */
export const SHOWN_FIELDS: readonly string[] = ['grant_type', 'scope', 'resource', 'client_assertion_type']

/**
 * A request as the console shows it.
 *
 * @example
 * ```ts
 * const row: RequestRow = requestRow(entry, 1, store)
 * row.token?.rolesNote // 'no roles: admin consent missing'
 * ```
 */
export interface RequestRow {
  /** Order of arrival, from 1. */
  seq: number
  /** Epoch ms. */
  at: number
  method: string
  path: string
  route: string
  /** The tenant segment of the path, as sent. */
  tenant?: string
  /** The display name of that tenant, when it is registered. */
  tenantName?: string
  version?: 'v1' | 'v2'
  clientId?: string
  clientName?: string
  /** How the client authenticated: `secret (form)`, `secret (Basic)`, `assertion` or `none`. */
  auth?: string
  fields: Record<string, string>
  status: number | 'dropped'
  fault?: string
  errors: Array<{ code: number } & Explanation>
  /** Why an answer without AADSTS code (429, a dropped connection, …) is what it is. */
  note?: Explanation
  token?: {
    header: Record<string, unknown>
    claims: Record<string, unknown>
    /** The roles claim, or why there is none. */
    roles: string[]
    rolesNote?: string
  }
}

/**
 * Builds the row of a logged request; the registry explains a token without roles.
 *
 * @example
 * ```ts
 * authority.requests.subscribe((entry) => rows.push(requestRow(entry, rows.length + 1, store)))
 * ```
 */
export function requestRow(entry: LoggedRequest, seq: number, store: RegistryStore): RequestRow {
  const row: RequestRow = {
    seq,
    at: entry.at,
    method: entry.method,
    path: entry.path,
    route: entry.route,
    fields: shownFields(entry.form),
    status: entry.status,
    errors: (entry.errorCodes ?? []).map((code) => ({ code, ...explainCode(code) })),
  }
  if (entry.tenant !== undefined) {
    row.tenant = entry.tenant
    const name = store.findTenant(entry.tenant)?.displayName
    if (name !== undefined) row.tenantName = name
  }
  if (entry.version !== undefined) row.version = entry.version
  if (entry.fault !== undefined) row.fault = entry.fault
  if (entry.clientId !== undefined) {
    row.clientId = entry.clientId
    const name = store.clients.get(entry.clientId)?.displayName
    if (name !== undefined) row.clientName = name
  }
  if (entry.route === 'token') row.auth = authKind(entry)
  const note = row.errors.length === 0 ? explainStatus(entry.status, entry.fault) : undefined
  if (note) row.note = note
  if (entry.token) row.token = tokenView(entry.token.header, entry.token.claims, store)
  return row
}

function shownFields(form: Record<string, string> | undefined): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const name of SHOWN_FIELDS) {
    const value = form?.[name]
    if (value !== undefined) fields[name] = value
  }
  return fields
}

function authKind(entry: LoggedRequest): string {
  if (entry.basicAuth) return 'secret (Basic)'
  if (entry.form?.client_secret !== undefined) return 'secret (form)'
  if (entry.form?.client_assertion !== undefined) return 'assertion'
  return 'none'
}

function tokenView(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  store: RegistryStore,
): NonNullable<RequestRow['token']> {
  const roles = Array.isArray(claims.roles) ? claims.roles.map(String) : []
  const view: NonNullable<RequestRow['token']> = { header: { ...header }, claims: { ...claims }, roles }
  if (roles.length === 0) view.rolesNote = whyNoRoles(claims, store)
  return view
}

/**
 * Why a token carries no `roles` claim, from the registry as it is when the token was issued.
 *
 * @example
 * ```ts
 * whyNoRoles({ aud: 'api://myapis/mywebapi', appid, tid }, store) // 'no roles: admin consent missing'
 * ```
 */
export function whyNoRoles(claims: Record<string, unknown>, store: RegistryStore): string {
  const clientId = String(claims.azp ?? claims.appid ?? '')
  const audience = String(claims.aud ?? '')
  const api = store.findApi(audience) ?? store.findApi(audience.replace(/\/+$/, ''))
  if (!api) return 'no roles: the audience is not a registered API'
  const grant = store.findGrant(clientId, api.appId, String(claims.tid ?? ''))
  if (!grant || grant.roles.length === 0)
    return `no roles: no app role of ${api.displayName} is granted to this client`
  if (!grant.adminConsent)
    return `no roles: admin consent missing (granted ${grant.roles.join(', ')} on ${api.displayName}, not consented)`
  return `no roles: the roles granted (${grant.roles.join(', ')}) are no longer defined by ${api.displayName}`
}
