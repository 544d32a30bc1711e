/**
 * The clouds the local authority can impersonate: which host its error URIs name and which
 * issuers its tokens carry (docs/entra.md §1). A deliberate copy of the client's clouds table
 * (src/authority.ts `CLOUDS`): the emulator shares no protocol code with the client, so that a
 * wrong host in one is caught by the other (docs/architecture.md, the emulator wall).
 */

/**
 * The national clouds of Entra ID, for the `cloud` option's schema.
 *
 * @example
 * ```ts
 * CLOUD_NAMES.includes('AzureChina') // true
 * ```
 */
export const CLOUD_NAMES = ['AzurePublic', 'AzureUSGovernment', 'AzureChina'] as const

/**
 * A national cloud of Entra ID.
 *
 * @example
 * ```ts
 * await startLocalAuthority({ cloud: 'AzureUSGovernment' })
 * ```
 */
export type CloudName = (typeof CLOUD_NAMES)[number]

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

// Deliberate copy: the emulator shares no protocol code with the client (docs/architecture.md)
// (the client's: CLOUD_HOSTS in src/authority.ts; the verifier's: src/verify/issuer.ts)
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
 * The values of the `issuer` option, for its schema.
 *
 * @example
 * ```ts
 * ISSUER_MODES // ['cloud', 'local']
 * ```
 */
export const ISSUER_MODES = ['cloud', 'local'] as const

/**
 * Where tokens say they come from: the real cloud's issuers (`'cloud'`, what APIs in production
 * expect) or the local authority's own URL (`'local'`, for verifiers that fetch metadata from it).
 *
 * @example
 * ```ts
 * await startLocalAuthority({ issuer: 'local' }) // iss = http://127.0.0.1:PORT/{tid}/v2.0
 * ```
 */
export type IssuerMode = (typeof ISSUER_MODES)[number]

/**
 * What decides the issuers of one local authority: the cloud it impersonates, the issuer mode and
 * its own URL. Built once at start; tokens, metadata and JWKS read the same one.
 *
 * @example
 * ```ts
 * const issuer: IssuerSettings = { cloud: 'AzurePublic', mode: 'cloud', localUrl: 'http://127.0.0.1:5312' }
 * ```
 */
export interface IssuerSettings {
  cloud: CloudName
  mode: IssuerMode
  /** The authority's own URL, e.g. `http://127.0.0.1:5312` (no trailing slash). */
  localUrl: string
}

/**
 * What stands for the tenant id in the issuer of a tenant-independent document (the metadata and
 * JWKS of `common`, `organizations`, `consumers`), as Entra writes it.
 *
 * @example
 * ```ts
 * issuerFor(settings, TENANT_PLACEHOLDER, 2) // 'https://login.microsoftonline.com/{tenantid}/v2.0'
 * ```
 */
export const TENANT_PLACEHOLDER = '{tenantid}'

/**
 * The `iss` of a token or metadata document for a tenant and token version.
 *
 * @example
 * ```ts
 * issuerFor({ cloud: 'AzurePublic', mode: 'cloud', localUrl }, tid, 1) // 'https://sts.windows.net/{tid}/'
 * issuerFor({ cloud: 'AzurePublic', mode: 'cloud', localUrl }, tid, 2) // 'https://login.microsoftonline.com/{tid}/v2.0'
 * ```
 */
export function issuerFor(settings: IssuerSettings, tenantId: string, version: 1 | 2): string {
  const profile = cloudProfile(settings.cloud)
  if (settings.mode === 'local') {
    return version === 1 ? `${settings.localUrl}/${tenantId}/` : `${settings.localUrl}/${tenantId}/v2.0`
  }
  return version === 1 ? `${profile.v1IssuerBase}/${tenantId}/` : `https://${profile.host}/${tenantId}/v2.0`
}
