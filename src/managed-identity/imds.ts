/**
 * The Azure Instance Metadata Service (VMs, scale sets, AKS nodes, and the default when nothing else
 * matched): `GET {base}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=…` with
 * `Metadata: true`; user-assigned by `client_id`, `object_id` or `msi_res_id` (docs/entra.md §10).
 */
import { identityParameter } from './identity.js'
import {
  COMMON_HEADERS,
  IdentityRequest,
  type ManagedIdentitySource,
  type SourceRequestParameters,
  withQuery,
} from './source.js'

/**
 * The IMDS identity API version.
 *
 * @example
 * ```ts
 * url.searchParams.get('api-version') === IMDS_API_VERSION // '2018-02-01'
 * ```
 */
export const IMDS_API_VERSION = '2018-02-01'
/**
 * IMDS's link-local address: used only when neither the option nor the variable names another base.
 *
 * @example
 * ```ts
 * new ImdsSource(process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST ?? DEFAULT_IMDS_BASE_URL, 'default')
 * ```
 */
export const DEFAULT_IMDS_BASE_URL = 'http://169.254.169.254'
/**
 * The token path under the IMDS base URL.
 *
 * @example
 * ```ts
 * `${base}${IMDS_TOKEN_PATH}` // http://127.0.0.1:8080/metadata/identity/oauth2/token
 * ```
 */
export const IMDS_TOKEN_PATH = '/metadata/identity/oauth2/token'

/**
 * Where the IMDS base URL came from.
 *
 * @example
 * ```ts
 * const origin: ImdsBaseOrigin = imds.baseOrigin // 'option'
 * ```
 */
export type ImdsBaseOrigin = 'option' | 'AZURE_POD_IDENTITY_AUTHORITY_HOST' | 'default'

/**
 * The IMDS token endpoint.
 *
 * @example
 * ```ts
 * const imds = new ImdsSource('http://127.0.0.1:8080', 'option')
 * imds.endpoint // 'http://127.0.0.1:8080/metadata/identity/oauth2/token'
 * ```
 */
export class ImdsSource implements ManagedIdentitySource {
  readonly kind = 'imds' as const
  /** The token URL. */
  readonly endpoint: string
  readonly baseOrigin: ImdsBaseOrigin

  constructor(baseUrl: string, baseOrigin: ImdsBaseOrigin) {
    this.baseOrigin = baseOrigin
    this.endpoint = `${baseUrl.replace(/\/+$/, '')}${IMDS_TOKEN_PATH}`
  }

  buildRequest(parameters: SourceRequestParameters): IdentityRequest {
    const url = withQuery(
      this.endpoint,
      [
        ['api-version', IMDS_API_VERSION],
        ['resource', parameters.resource],
        identityParameter(parameters.identity, this.kind),
      ],
      parameters.clientCapabilities,
    )
    return new IdentityRequest('GET', url, { ...COMMON_HEADERS, metadata: 'true' })
  }

  /**
   * The availability probe: the token URL without the `Metadata` header, which IMDS answers at once
   * (400) without minting a token. Any HTTP answer means the endpoint is there.
   */
  probeRequest(): IdentityRequest {
    return new IdentityRequest('GET', this.endpoint, { ...COMMON_HEADERS })
  }
}
