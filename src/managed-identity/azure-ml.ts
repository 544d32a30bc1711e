/**
 * Azure Machine Learning: `GET {MSI_ENDPOINT}?api-version=2017-09-01&resource=…&clientid=…` with
 * `Metadata: true` and the `secret` header. The 2017 API names the identity by `clientid` only; the
 * system-assigned identity is asked for by `DEFAULT_IDENTITY_CLIENT_ID` (docs/entra.md §10).
 *
 * Shaped like app-service.ts and service-fabric.ts on purpose (one class per source: each has its own API version,
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
 * The Azure ML identity API version.
 *
 * @example
 * ```ts
 * url.searchParams.get('api-version') === AZURE_ML_API_VERSION // '2017-09-01'
 * ```
 */
export const AZURE_ML_API_VERSION = '2017-09-01'

/**
 * The Azure Machine Learning identity endpoint. Prints without its secret.
 *
 * @example
 * ```ts
 * const source = new AzureMlSource(env.MSI_ENDPOINT!, env.MSI_SECRET!, env.DEFAULT_IDENTITY_CLIENT_ID)
 * ```
 */
export class AzureMlSource implements ManagedIdentitySource {
  readonly kind = 'azure-ml' as const
  readonly endpoint: string
  /** The compute's system-assigned identity (`DEFAULT_IDENTITY_CLIENT_ID`), when set. */
  readonly defaultClientId: string | undefined
  readonly #secret: string

  constructor(endpoint: string, secret: string, defaultClientId: string | undefined) {
    this.endpoint = endpoint
    this.#secret = secret
    this.defaultClientId = defaultClientId
  }

  buildRequest(parameters: SourceRequestParameters): IdentityRequest {
    const system =
      this.defaultClientId === undefined ? undefined : (['clientid', this.defaultClientId] as const)
    const url = withQuery(
      this.endpoint,
      [
        ['api-version', AZURE_ML_API_VERSION],
        ['resource', parameters.resource],
        identityParameter(parameters.identity, this.kind) ?? system,
      ],
      parameters.clientCapabilities,
    )
    return new IdentityRequest('GET', url, { ...COMMON_HEADERS, metadata: 'true', secret: this.#secret })
  }
}
redactInstances(AzureMlSource, (s) => ({
  kind: s.kind,
  endpoint: s.endpoint,
  defaultClientId: s.defaultClientId,
  secret: REDACTED,
}))
