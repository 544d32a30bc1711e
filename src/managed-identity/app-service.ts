/**
 * App Service and Azure Functions: `GET {IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=…` with the
 * `X-IDENTITY-HEADER` secret; user-assigned by `client_id`, `object_id` or `mi_res_id` (docs/entra.md §10).
 *
 * Shaped like azure-ml.ts and service-fabric.ts on purpose (one class per source: each has its own API version,
 * identity parameters and secret header; a shared base would hide the differences that matter here).
 */
import { REDACTED, redactInstances } from '../redact.js'
import { identityParameter } from './identity.js'
import {
  COMMON_HEADERS,
  IdentityRequest,
  type ManagedIdentitySource,
  type SourceRequestParameters,
  withQuery,
} from './source.js'

/**
 * The App Service identity API version.
 *
 * @example
 * ```ts
 * url.searchParams.get('api-version') === APP_SERVICE_API_VERSION // '2019-08-01'
 * ```
 */
export const APP_SERVICE_API_VERSION = '2019-08-01'

/**
 * The App Service / Functions identity endpoint. Prints without its secret.
 *
 * @example
 * ```ts
 * const source = new AppServiceSource(process.env.IDENTITY_ENDPOINT!, process.env.IDENTITY_HEADER!)
 * source.buildRequest({ resource: 'https://vault.azure.net', identity: SYSTEM_ASSIGNED, clientCapabilities: [], revokedTokenSha256: undefined })
 * ```
 */
export class AppServiceSource implements ManagedIdentitySource {
  readonly kind = 'app-service' as const
  readonly endpoint: string
  readonly #secret: string

  constructor(endpoint: string, secret: string) {
    this.endpoint = endpoint
    this.#secret = secret
  }

  buildRequest(parameters: SourceRequestParameters): IdentityRequest {
    const url = withQuery(
      this.endpoint,
      [
        ['api-version', APP_SERVICE_API_VERSION],
        ['resource', parameters.resource],
        identityParameter(parameters.identity, this.kind),
      ],
      parameters.clientCapabilities,
    )
    return new IdentityRequest('GET', url, { ...COMMON_HEADERS, 'x-identity-header': this.#secret })
  }
}
redactInstances(AppServiceSource, (s) => ({ kind: s.kind, endpoint: s.endpoint, secret: REDACTED }))
