/**
 * Clouds, tenant validation and token endpoint URLs (docs/entra.md §1-2). Nothing but a GUID or a DNS name
 * reaches the URL, and the URL is built exactly.
 */

/** The Azure clouds we know the authority host of. */
export type CloudName = 'AzurePublic' | 'AzureUSGovernment' | 'AzureChina'

/** The hosts of one cloud's authority (docs/entra.md §1). */
export interface CloudHosts {
  /** The authority's host name: `login.microsoftonline.com`. */
  readonly host: string
  /** The host of its v1 token issuers (`https://sts.windows.net/{tid}/`). */
  readonly v1IssuerHost: string
  /** Other host names of the same authority (accepted as its `authorityHost`, and in issuers). */
  readonly aliases: readonly string[]
}

/**
 * The clouds table, the one the client and verify read (the local authority keeps its own copy,
 * src/testing/entra/clouds.ts, behind the emulator wall of docs/architecture.md).
 *
 * @example
 * ```ts
 * CLOUDS.AzureChina.v1IssuerHost // 'sts.chinacloudapi.cn'
 * ```
 */
export const CLOUDS: Readonly<Record<CloudName, CloudHosts>> = Object.freeze({
  AzurePublic: {
    host: 'login.microsoftonline.com',
    v1IssuerHost: 'sts.windows.net',
    aliases: ['login.windows.net', 'login.microsoft.com'],
  },
  AzureUSGovernment: { host: 'login.microsoftonline.us', v1IssuerHost: 'sts.windows.net', aliases: [] },
  AzureChina: {
    host: 'login.partner.microsoftonline.cn',
    v1IssuerHost: 'sts.chinacloudapi.cn',
    aliases: ['login.chinacloudapi.cn'],
  },
})

/** Authority host (origin) per cloud, from {@link CLOUDS}. */
export const CLOUD_HOSTS: Readonly<Record<CloudName, string>> = Object.freeze({
  AzurePublic: `https://${CLOUDS.AzurePublic.host}`,
  AzureUSGovernment: `https://${CLOUDS.AzureUSGovernment.host}`,
  AzureChina: `https://${CLOUDS.AzureChina.host}`,
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
 * Why `value` cannot be the token endpoint, or `undefined` when it can: an absolute URL with its scheme,
 * https (http for loopback hosts only), without a user name or password and without a fragment
 * (RFC 6749 §3.2). The message never repeats the value.
 *
 * @example
 * ```ts
 * tokenEndpointProblem('https://svc:pw@idp.example.com/token') // 'holds a user name or password …'
 * ```
 */
export function tokenEndpointProblem(value: string): string | undefined {
  const parsed = parseUrlOption(value)
  if (typeof parsed === 'string') return parsed
  return parsed.hash !== '' ? 'has a fragment (#…): a token endpoint has none (RFC 6749 §3.2).' : undefined
}

/**
 * Why `value` cannot be an authority host, or `undefined` when it can: like a token endpoint, and the
 * scheme and host (and port) only, so that the tenant goes in `tenant` and the URL is built exactly.
 * The message names the fix; it never repeats a user name, a password or anything but the origin and
 * a tenant it recognises.
 *
 * @example
 * ```ts
 * authorityHostProblem('https://login.microsoftonline.com') // undefined
 * authorityHostProblem('https://login.microsoftonline.com/contoso.onmicrosoft.com') // '… tenant: …'
 * ```
 */
export function authorityHostProblem(value: string): string | undefined {
  const parsed = parseUrlOption(value)
  if (typeof parsed === 'string') return parsed
  if (parsed.search !== '' || value.includes('?')) {
    return `has a query (?…): give the scheme and host only, e.g. ${parsed.origin}.`
  }
  if (parsed.hash !== '' || value.includes('#')) {
    return `has a fragment (#…): give the scheme and host only, e.g. ${parsed.origin}.`
  }
  const segments = parsed.pathname.split('/').filter((s) => s !== '')
  if (segments.length === 0) return undefined
  return pathProblem(parsed.origin, segments)
}

function pathProblem(origin: string, segments: string[]): string {
  const first = segments[0] ?? ''
  const tenant = tenantProblem(first) === undefined ? first : undefined
  const split = tenant === undefined ? '' : ` Write authorityHost: '${origin}', tenant: '${tenant}'.`
  if (segments.at(-1) === 'token') {
    return `is a token endpoint, not an authority host: give the scheme and host only (${origin}) and the tenant in tenant, or give tokenEndpoint for a server other than Entra.${split}`
  }
  return `has a path: authorityHost is the scheme and host only (${origin}); the tenant goes in tenant.${split}`
}

/** `value` parsed as a URL option, or why it cannot be one (never repeating the value). */
function parseUrlOption(value: string): URL | string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    return URL.canParse(value) || value.includes('.') || value.startsWith('//')
      ? 'has no scheme: start it with https:// (or http:// for a loopback host), e.g. https://login.microsoftonline.com.'
      : 'is not a valid URL: give an absolute https URL, e.g. https://login.microsoftonline.com.'
  }
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return 'is not a valid URL: give an absolute https URL, e.g. https://login.microsoftonline.com.'
  }
  if (url.username !== '' || url.password !== '') {
    return 'holds a user name or password (user:password@): remove them. Credentials go in credential, never in a URL, which is logged and shown.'
  }
  return insecureUrlProblem(url) ?? url
}

/**
 * MSAL's `authority` (`https://login.microsoftonline.com/{tenant}`) split into this library's
 * `authorityHost` and `tenant` (undefined when the segment is no tenant we accept, e.g. `common`), or
 * `undefined` when it is not such a URL.
 *
 * @example
 * ```ts
 * splitAuthority('https://login.microsoftonline.com/contoso.onmicrosoft.com')
 * // { authorityHost: 'https://login.microsoftonline.com', tenant: 'contoso.onmicrosoft.com' }
 * ```
 */
export function splitAuthority(
  value: unknown,
): { authorityHost: string; tenant: string | undefined } | undefined {
  if (typeof value !== 'string' || !URL.canParse(value)) return undefined
  const url = new URL(value)
  if (url.username !== '' || url.password !== '' || insecureUrlProblem(url) !== undefined) return undefined
  const first = url.pathname.split('/').find((s) => s !== '') ?? ''
  return { authorityHost: url.origin, tenant: tenantProblem(first) === undefined ? first : undefined }
}

/**
 * The cloud whose authority host is `origin`, if any.
 *
 * @example
 * ```ts
 * cloudOfOrigin('https://login.microsoftonline.us') // 'AzureUSGovernment'
 * ```
 */
export function cloudOfOrigin(origin: string): CloudName | undefined {
  return (Object.keys(CLOUD_HOSTS) as CloudName[]).find((cloud) => CLOUD_HOSTS[cloud] === origin)
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

/**
 * An authority host URL (checked by {@link authorityHostProblem}) as `scheme://host[:port]`.
 *
 * @example
 * ```ts
 * normalizeAuthorityHost('https://login.microsoftonline.com/') // 'https://login.microsoftonline.com'
 * ```
 */
export function normalizeAuthorityHost(value: string): string {
  return new URL(value).origin
}
