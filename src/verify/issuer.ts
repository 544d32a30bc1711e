/**
 * Which issuer (`iss`) a token must carry, by token version, cloud and tenant (docs/entra.md §1), and
 * where the signing keys are published.
 */
import { CLOUDS, type CloudName } from '../authority.js'

/** The `ver` claim of an Entra access token. */
export type TokenVersion = '1.0' | '2.0'

/** Computes the accepted issuer(s) for a token's tenant and version. */
export type IssuerResolver = (token: {
  tenantId: string
  version: TokenVersion
}) => string | readonly string[]

/** The `issuer` option: one fixed issuer, per-version templates, or a function. */
export type IssuerOption = string | { v1?: string | undefined; v2?: string | undefined } | IssuerResolver

/** The national clouds (their hosts: src/authority.ts's clouds table, the client's). */
export type { CloudName } from '../authority.js'

/** The placeholder replaced by the token's `tid` in issuer templates. */
export const TENANT_PLACEHOLDER = '{tenantid}'

/** An authority: its host, and its issuer templates per token version. */
export interface Authority {
  /** Origin (and path, if any) without a trailing slash: `https://login.microsoftonline.com`. */
  host: string
  v1Issuer: string
  v2Issuer: string
}

/**
 * The authority of a cloud, or of an `authorityHost`. A known Entra host (or alias) means its cloud;
 * any other host (a local emulator) is taken to issue `{host}/{tenantid}/v2.0` and `{host}/{tenantid}/`.
 *
 * @example
 * ```ts
 * resolveAuthority({ cloud: 'AzureChina' }).v1Issuer // 'https://sts.chinacloudapi.cn/{tenantid}/'
 * resolveAuthority({ authorityHost: 'http://127.0.0.1:8080' }).v2Issuer // 'http://127.0.0.1:8080/{tenantid}/v2.0'
 * ```
 */
export function resolveAuthority(options: {
  cloud?: CloudName | undefined
  authorityHost?: string | undefined
}): Authority {
  const cloud =
    options.authorityHost === undefined
      ? (options.cloud ?? 'AzurePublic')
      : cloudOfHost(options.authorityHost)
  if (cloud !== undefined) {
    const { host, v1IssuerHost } = CLOUDS[cloud]
    return {
      host: `https://${host}`,
      v1Issuer: `https://${v1IssuerHost}/${TENANT_PLACEHOLDER}/`,
      v2Issuer: `https://${host}/${TENANT_PLACEHOLDER}/v2.0`,
    }
  }
  const host = String(options.authorityHost).replace(/\/+$/, '')
  return { host, v1Issuer: `${host}/${TENANT_PLACEHOLDER}/`, v2Issuer: `${host}/${TENANT_PLACEHOLDER}/v2.0` }
}

function cloudOfHost(authorityHost: string): CloudName | undefined {
  const url = new URL(authorityHost)
  if (url.protocol !== 'https:' || (url.pathname !== '/' && url.pathname !== '')) return undefined
  const hostname = url.host.toLowerCase()
  const entries = Object.entries(CLOUDS) as [CloudName, (typeof CLOUDS)[CloudName]][]
  return entries.find(([, cloud]) => cloud.host === hostname || cloud.aliases.includes(hostname))?.[0]
}

/**
 * Turns the `issuer` option (or its absence) into one function: tenant and version → the accepted
 * issuers, placeholders filled in.
 *
 * @example
 * ```ts
 * const issuersFor = createIssuerResolver(undefined, resolveAuthority({}))
 * issuersFor({ tenantId: tid, version: '1.0' }) // [`https://sts.windows.net/${tid}/`]
 * ```
 */
export function createIssuerResolver(
  option: IssuerOption | undefined,
  authority: Authority,
): (token: { tenantId: string; version: TokenVersion }) => readonly string[] {
  if (typeof option === 'function') return (token) => toList(option(token))
  const templates =
    typeof option === 'string'
      ? { '1.0': option, '2.0': option }
      : { '1.0': option?.v1 ?? authority.v1Issuer, '2.0': option?.v2 ?? authority.v2Issuer }
  return ({ tenantId, version }) => [fillTenant(templates[version], tenantId)]
}

/**
 * Replaces every `{tenantid}` in a template.
 *
 * @example
 * ```ts
 * fillTenant('https://sts.windows.net/{tenantid}/', tid) // `https://sts.windows.net/${tid}/`
 * ```
 */
export function fillTenant(template: string, tenantId: string): string {
  return template.replaceAll(TENANT_PLACEHOLDER, tenantId)
}

/**
 * The default JWKS URL of a tenant: `{host}/{tenant}/discovery/v2.0/keys`.
 *
 * @example
 * ```ts
 * defaultJwksUri(resolveAuthority({}), tid) // `https://login.microsoftonline.com/${tid}/discovery/v2.0/keys`
 * ```
 */
export function defaultJwksUri(authority: Authority, tenantId: string): string {
  return `${authority.host}/${encodeURIComponent(tenantId)}/discovery/v2.0/keys`
}

function toList(value: string | readonly string[]): readonly string[] {
  return typeof value === 'string' ? [value] : value
}

/**
 * Whether an issuer is Entra's: https on a host of a national cloud (its login host, its v1 `sts`
 * host, or an alias), or an External ID tenant (`*.ciamlogin.com`). Decides the default `profile`.
 *
 * @example
 * ```ts
 * isEntraIssuer(`https://login.microsoftonline.com/${tid}/v2.0`) // true
 * isEntraIssuer('https://idp.example.com/realms/orders')         // false
 * ```
 */
export function isEntraIssuer(issuer: string): boolean {
  if (!URL.canParse(issuer)) return false
  const url = new URL(issuer)
  if (url.protocol !== 'https:') return false
  const host = url.hostname.toLowerCase()
  const clouds = Object.values(CLOUDS)
  return (
    clouds.some((cloud) => [cloud.host, cloud.v1IssuerHost, ...cloud.aliases].includes(host)) ||
    host.endsWith('.ciamlogin.com')
  )
}
