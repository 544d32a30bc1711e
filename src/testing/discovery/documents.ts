/**
 * The discovery documents (docs/entra.md §1): OpenID configuration v1 and v2 (endpoints on the local
 * authority, issuer of the impersonated cloud) and the instance-discovery answer MSAL asks for.
 */
import { cloudProfile, type IssuerSettings, issuerFor, TENANT_PLACEHOLDER } from '../entra/clouds.js'
import { TENANT_ALIASES } from '../entra/tenant-resolution.js'
import { TENANT_ROUTE_PATHS } from '../http/url-map.js'

/**
 * Where documents point.
 *
 * @example
 * ```ts
 * openIdConfiguration(tid, 'v2', { origin: 'http://127.0.0.1:5312', issuer: { cloud: 'AzurePublic', mode: 'cloud', localUrl } })
 * ```
 */
export interface MetadataSettings {
  /** Scheme and host of the local authority as the caller reached it. */
  origin: string
  issuer: IssuerSettings
}

/**
 * The OpenID configuration of a tenant (by id) or of an alias (`common`, `organizations`,
 * `consumers`, whose issuer carries the `{tenantid}` placeholder).
 *
 * @example
 * ```ts
 * openIdConfiguration('f6aba1d9-…', 'v2', settings).token_endpoint // 'https://127.0.0.1:5312/f6aba1d9-…/oauth2/v2.0/token'
 * ```
 */
export function openIdConfiguration(
  tenantSegment: string,
  version: 'v1' | 'v2',
  settings: MetadataSettings,
): Record<string, unknown> {
  const base = `${settings.origin}/${tenantSegment}`
  const issuer = issuerFor(
    settings.issuer,
    isAlias(tenantSegment) ? TENANT_PLACEHOLDER : tenantSegment,
    version === 'v2' ? 2 : 1,
  )
  const oauth = version === 'v2' ? `${base}/oauth2/v2.0` : `${base}/oauth2`
  return {
    token_endpoint: `${base}/${TENANT_ROUTE_PATHS.token[version]}`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/${TENANT_ROUTE_PATHS.jwks[version]}`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer,
    request_uri_parameter_supported: false,
    authorization_endpoint: `${oauth}/authorize`,
    device_authorization_endpoint: `${oauth}/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${oauth}/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'tid', 'ver', 'oid'],
    tenant_region_scope: isAlias(tenantSegment) ? null : 'NA',
    cloud_instance_name: cloudProfile(settings.issuer.cloud).instanceName,
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  }
}

function isAlias(segment: string): boolean {
  const lower = segment.toLowerCase()
  return TENANT_ALIASES.has(lower) || lower === TENANT_PLACEHOLDER
}

/**
 * The instance-discovery answer for an `authorization_endpoint` on one of `hosts` (the local
 * authority's own `host:port` names), or `undefined` when the host is not served here.
 *
 * @example
 * ```ts
 * instanceDiscovery('https://127.0.0.1:5312/f6ab…/oauth2/v2.0/authorize', ['127.0.0.1:5312', 'localhost:5312'])
 * // { tenant_discovery_endpoint: 'https://127.0.0.1:5312/f6ab…/v2.0/.well-known/openid-configuration', … }
 * ```
 */
export function instanceDiscovery(
  authorizationEndpoint: string,
  hosts: readonly string[],
): Record<string, unknown> | undefined {
  let url: URL
  try {
    url = new URL(authorizationEndpoint)
  } catch {
    return undefined
  }
  if (!hosts.includes(url.host.toLowerCase())) return undefined
  const tenant = url.pathname.split('/')[1] ?? 'common'
  return {
    tenant_discovery_endpoint: `${url.origin}/${tenant}/${TENANT_ROUTE_PATHS.metadata.v2}`,
    'api-version': '1.1',
    metadata: [{ preferred_network: url.host, preferred_cache: url.host, aliases: [...hosts] }],
  }
}
