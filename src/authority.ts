/**
 * Clouds, tenant validation and token endpoint URLs (ENTRA §1-2). Nothing but a GUID or a DNS name
 * reaches the URL, and the URL is built exactly.
 */

/** The Azure clouds we know the authority host of. */
export type CloudName = 'AzurePublic' | 'AzureUSGovernment' | 'AzureChina'

/** Authority host per cloud. */
export const CLOUD_HOSTS: Readonly<Record<CloudName, string>> = Object.freeze({
  AzurePublic: 'https://login.microsoftonline.com',
  AzureUSGovernment: 'https://login.microsoftonline.us',
  AzureChina: 'https://login.partner.microsoftonline.cn',
})

/** Entra's token endpoint versions: v2 names the API by `scope`, v1 by `resource`. */
export type EndpointVersion = 'v1' | 'v2'

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const DNS_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i
const PSEUDO_TENANTS = new Set(['common', 'organizations', 'consumers'])
const LOOPBACK_HOSTS = new Set(['localhost', '[::1]'])

/** Whether `value` is a GUID (any case). */
export function isGuid(value: string): boolean {
  return GUID.test(value)
}

/**
 * Why `tenant` cannot be used with client credentials, or `undefined` when it can (a GUID or a DNS
 * name such as `contoso.onmicrosoft.com`).
 */
export function tenantProblem(tenant: string): string | undefined {
  const lower = tenant.toLowerCase()
  if (PSEUDO_TENANTS.has(lower)) {
    return `'${lower}' is not a tenant: with client credentials Entra answers it inconsistently (AADSTS900023, AADSTS50059, or a token for the wrong tenant). Use the tenant's GUID or one of its verified domains.`
  }
  if (isGuid(tenant)) {
    return /^[0-]+$/.test(tenant) ? 'the all-zero GUID is not a tenant: use your tenant id.' : undefined
  }
  if (tenant.length > 253 || !tenant.includes('.') || !tenant.split('.').every((l) => DNS_LABEL.test(l))) {
    return 'must be the tenant GUID or a verified domain name (e.g. contoso.onmicrosoft.com).'
  }
  return undefined
}

/** Whether a URL's host is a loopback host (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname)
}

/**
 * Why `url` may not carry credentials, or `undefined` when it may: https, or http to a loopback host.
 */
export function insecureUrlProblem(url: URL): string | undefined {
  if (url.protocol === 'https:') return undefined
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return undefined
  if (url.protocol === 'http:') {
    return `must use https: http is allowed for loopback hosts only (got ${url.host}).`
  }
  return `must be an https URL (got ${url.protocol}).`
}

/**
 * The token endpoint URL of `tenant` at `authorityHost`, exactly as Entra expects it.
 *
 * @example
 * ```ts
 * tokenEndpointUrl('https://login.microsoftonline.com', 'contoso.onmicrosoft.com', 'v2')
 * // 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token'
 * ```
 */
export function tokenEndpointUrl(authorityHost: string, tenant: string, version: EndpointVersion): string {
  const path = version === 'v2' ? 'oauth2/v2.0/token' : 'oauth2/token'
  return `${authorityHost}/${encodeURIComponent(tenant)}/${path}`
}

/** An authority host URL as `scheme://host[:port][/path]`, without a trailing slash. */
export function normalizeAuthorityHost(value: string): string {
  const url = new URL(value)
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`
}
