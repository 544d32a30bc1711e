/**
 * What every managed-identity source shares: its kind, the request it builds, and the query parameters
 * common to all of them (docs/entra.md §10).
 */
import { REDACTED, redactInstances } from '../redact.js'
import { VERSION } from '../version.js'
import type { ManagedIdentitySelector } from './identity.js'

/**
 * The managed-identity sources, in the order they are detected.
 *
 * @example
 * ```ts
 * const kind: ManagedIdentitySourceKind = 'imds'
 * ```
 */
export type ManagedIdentitySourceKind =
  | 'service-fabric'
  | 'app-service'
  | 'azure-ml'
  | 'cloud-shell'
  | 'azure-arc'
  | 'imds'

/**
 * What a token request asks for, whatever the source.
 *
 * @example
 * ```ts
 * source.buildRequest({ resource: 'https://vault.azure.net', identity: SYSTEM_ASSIGNED, clientCapabilities: ['cp1'], revokedTokenSha256: undefined } satisfies SourceRequestParameters)
 * ```
 */
export interface SourceRequestParameters {
  /** The resource URI, without `/.default`. */
  resource: string
  identity: ManagedIdentitySelector
  /** Client capabilities (`cp1`), sent as `xms_cc`. */
  clientCapabilities: readonly string[]
  /** Hex SHA-256 of a token the resource rejected (Service Fabric only: `token_sha256_to_refresh`). */
  revokedTokenSha256: string | undefined
}

/**
 * One HTTP request to an identity endpoint. It may carry the platform's secret header, so it prints and
 * serialises with header values redacted.
 *
 * @example
 * ```ts
 * new IdentityRequest('GET', 'http://127.0.0.1:40342/metadata/identity/oauth2/token?…', { metadata: 'true' })
 * ```
 */
export class IdentityRequest {
  readonly method: 'GET' | 'POST'
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | undefined

  constructor(method: 'GET' | 'POST', url: string, headers: Readonly<Record<string, string>>, body?: string) {
    this.method = method
    this.url = url
    this.headers = headers
    this.body = body
    Object.freeze(this)
  }

  /** The same request with more headers. */
  withHeaders(extra: Readonly<Record<string, string>>): IdentityRequest {
    return new IdentityRequest(this.method, this.url, { ...this.headers, ...extra }, this.body)
  }
}
redactInstances(IdentityRequest, (r) => ({
  method: r.method,
  url: r.url,
  headers: Object.fromEntries(Object.keys(r.headers).map((name) => [name, REDACTED])),
}))

/**
 * A detected source: where it is, and the request it sends for a token.
 *
 * @example
 * ```ts
 * const source: ManagedIdentitySource = detectManagedIdentitySource(process.env)
 * source.buildRequest({ resource: 'https://vault.azure.net', identity: SYSTEM_ASSIGNED, clientCapabilities: [], revokedTokenSha256: undefined })
 * ```
 */
export interface ManagedIdentitySource {
  readonly kind: ManagedIdentitySourceKind
  /** The endpoint URL (never a secret). */
  readonly endpoint: string
  /** The token request; throws a ConfigurationError when this source cannot select `identity`. */
  buildRequest(parameters: SourceRequestParameters): IdentityRequest
}

/**
 * Headers every request sends.
 *
 * @example
 * ```ts
 * new IdentityRequest('GET', url, { ...COMMON_HEADERS, metadata: 'true' })
 * ```
 */
export const COMMON_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  accept: 'application/json',
  'user-agent': `oauth-client-credentials/${VERSION} node/${process.versions.node}`,
})

/**
 * `endpoint` with `parameters` set in its query (in order), plus `xms_cc` when capabilities are given.
 *
 * @example
 * ```ts
 * withQuery('http://127.0.0.1:8080/token', [['api-version', '2018-02-01'], undefined], ['cp1']) // '…/token?api-version=2018-02-01&xms_cc=cp1'
 * ```
 */
export function withQuery(
  endpoint: string,
  parameters: ReadonlyArray<readonly [string, string] | undefined>,
  clientCapabilities: readonly string[] = [],
): string {
  const url = new URL(endpoint)
  for (const pair of parameters) if (pair) url.searchParams.set(pair[0], pair[1])
  if (clientCapabilities.length > 0) url.searchParams.set('xms_cc', clientCapabilities.join(','))
  return url.toString()
}

/**
 * How each source is named in messages.
 *
 * @example
 * ```ts
 * SOURCE_NAMES['app-service'] // 'App Service'
 * ```
 */
export const SOURCE_NAMES: Readonly<Record<ManagedIdentitySourceKind, string>> = {
  'service-fabric': 'Service Fabric',
  'app-service': 'App Service',
  'azure-ml': 'Azure Machine Learning',
  'cloud-shell': 'Cloud Shell',
  'azure-arc': 'Azure Arc',
  imds: 'IMDS',
}
