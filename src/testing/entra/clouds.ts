/**
 * The clouds the local authority can impersonate: which host its error URIs name and which
 * issuers its tokens carry (ENTRA §1).
 */

/**
 * A national cloud of Entra ID.
 *
 * @example
 * ```ts
 * await startLocalAuthority({ cloud: 'AzureUSGovernment' })
 * ```
 */
export type CloudName = 'AzurePublic' | 'AzureUSGovernment' | 'AzureChina'

/**
 * Host and issuer prefixes of one cloud.
 *
 * @example
 * ```ts
 * cloudProfile('AzurePublic').host // 'login.microsoftonline.com'
 * ```
 */
export interface CloudProfile {
  /** The authority host, e.g. `login.microsoftonline.com`. */
  host: string
  /** The v1 `iss`/`idp` prefix, e.g. `https://sts.windows.net`. */
  v1IssuerBase: string
  /** `cloud_instance_name` of the OpenID metadata. */
  instanceName: string
}

const CLOUDS: Record<CloudName, CloudProfile> = {
  AzurePublic: {
    host: 'login.microsoftonline.com',
    v1IssuerBase: 'https://sts.windows.net',
    instanceName: 'microsoftonline.com',
  },
  AzureUSGovernment: {
    host: 'login.microsoftonline.us',
    v1IssuerBase: 'https://sts.windows.net',
    instanceName: 'microsoftonline.us',
  },
  AzureChina: {
    host: 'login.partner.microsoftonline.cn',
    v1IssuerBase: 'https://sts.chinacloudapi.cn',
    instanceName: 'partner.microsoftonline.cn',
  },
}

/**
 * The profile of a cloud.
 *
 * @example
 * ```ts
 * cloudProfile('AzureChina').v1IssuerBase // 'https://sts.chinacloudapi.cn'
 * ```
 */
export function cloudProfile(cloud: CloudName): CloudProfile {
  return CLOUDS[cloud]
}

/**
 * Where tokens say they come from: the real cloud's issuers (`'cloud'`, what APIs in production
 * expect) or the local authority's own URL (`'local'`, for verifiers that fetch metadata from it).
 *
 * @example
 * ```ts
 * await startLocalAuthority({ issuer: 'local' }) // iss = http://127.0.0.1:PORT/{tid}/v2.0
 * ```
 */
export type IssuerMode = 'cloud' | 'local'

/**
 * The `iss` of a token or metadata document for a tenant and token version.
 *
 * @example
 * ```ts
 * issuerFor({ cloud: 'AzurePublic', mode: 'cloud', localUrl }, tid, 1) // 'https://sts.windows.net/{tid}/'
 * issuerFor({ cloud: 'AzurePublic', mode: 'cloud', localUrl }, tid, 2) // 'https://login.microsoftonline.com/{tid}/v2.0'
 * ```
 */
export function issuerFor(
  settings: { cloud: CloudName; mode: IssuerMode; localUrl: string },
  tenantId: string,
  version: 1 | 2,
): string {
  const profile = cloudProfile(settings.cloud)
  if (settings.mode === 'local') {
    return version === 1 ? `${settings.localUrl}/${tenantId}/` : `${settings.localUrl}/${tenantId}/v2.0`
  }
  return version === 1 ? `${profile.v1IssuerBase}/${tenantId}/` : `https://${profile.host}/${tenantId}/v2.0`
}
