/**
 * The tenant segment of a URL → a registered tenant, or the refusal the real service gives
 * (docs/entra.md §2): AADSTS90002 for an unknown GUID or domain, AADSTS900023 for something that is no
 * tenant at all (`common`, `organizations`, `consumers`, a stray path word).
 */

import type { TenantRecord } from '../registry/records.js'
import type { RegistryStore } from '../registry/store.js'
import { MESSAGES } from './aadsts.js'
import { AadstsError } from './error-body.js'
import { isGuid } from './ids.js'

// Deliberate copy: the emulator shares no protocol code with the client (docs/architecture.md)
/**
 * Aliases that name no tenant; the metadata endpoints serve them, client credentials cannot (the
 * client refuses them itself, in `src/authority.ts`).
 *
 * @example
 * ```ts
 * TENANT_ALIASES.has('organizations') // true
 * ```
 */
export const TENANT_ALIASES: ReadonlySet<string> = new Set(['common', 'organizations', 'consumers'])

// Deliberate copy: the emulator shares no protocol code with the client (docs/architecture.md)
// (the client's: tenantProblem in src/authority.ts)
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i

/**
 * Resolves a tenant for the token endpoint.
 *
 * @example
 * ```ts
 * resolveTenant(store, 'contoso.onmicrosoft.com').id // 'f6aba1d9-…'
 * resolveTenant(store, 'common') // throws AADSTS900023
 * ```
 */
export function resolveTenant(store: RegistryStore, segment: string): TenantRecord {
  if (TENANT_ALIASES.has(segment.toLowerCase()) || !(isGuid(segment) || DNS_NAME.test(segment))) {
    throw new AadstsError(900023, MESSAGES.notATenant(segment))
  }
  const tenant = store.findTenant(segment)
  if (!tenant) throw new AadstsError(90002, MESSAGES.tenantNotFound(segment))
  return tenant
}

/**
 * Resolves a tenant for the metadata and keys endpoints: the aliases are accepted (`'alias'`), and
 * refusals carry `error: "invalid_tenant"` as the real metadata endpoint's do.
 *
 * @example
 * ```ts
 * resolveMetadataTenant(store, 'organizations') // 'alias'
 * ```
 */
export function resolveMetadataTenant(store: RegistryStore, segment: string): TenantRecord | 'alias' {
  if (TENANT_ALIASES.has(segment.toLowerCase())) return 'alias'
  try {
    return resolveTenant(store, segment)
  } catch (error) {
    if (!(error instanceof AadstsError)) throw error
    const message = error.message.replace(/^AADSTS\d+: /, '')
    throw new AadstsError(error.code, message, { error: 'invalid_tenant' })
  }
}
