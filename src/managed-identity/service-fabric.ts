/**
 * Service Fabric: `GET {IDENTITY_ENDPOINT}?api-version=2019-07-01-preview&resource=…` with the `secret`
 * header, over https to a server whose certificate is pinned by `IDENTITY_SERVER_THUMBPRINT` (its SHA-1,
 * hex). The identity is chosen in the cluster, never at run time (docs/entra.md §10).
 *
 * Shaped like app-service.ts and azure-ml.ts on purpose (one class per source: each has its own API version,
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
 * The Service Fabric identity API version.
 *
 * @example
 * ```ts
 * url.searchParams.get('api-version') === SERVICE_FABRIC_API_VERSION // '2019-07-01-preview'
 * ```
 */
export const SERVICE_FABRIC_API_VERSION = '2019-07-01-preview'

/**
 * The Service Fabric identity endpoint (the Managed Identity Token Service). Prints without its secret.
 *
 * @example
 * ```ts
 * const source = new ServiceFabricSource(env.IDENTITY_ENDPOINT!, env.IDENTITY_HEADER!, 'C0FFEE…')
 * source.thumbprint // upper-case hex SHA-1 of the only certificate accepted
 * ```
 */
export class ServiceFabricSource implements ManagedIdentitySource {
  readonly kind = 'service-fabric' as const
  readonly endpoint: string
  /** Upper-case hex SHA-1 of the server certificate to accept (and no other). */
  readonly thumbprint: string
  readonly #secret: string

  constructor(endpoint: string, secret: string, thumbprint: string) {
    this.endpoint = endpoint
    this.#secret = secret
    this.thumbprint = thumbprint
  }

  buildRequest(parameters: SourceRequestParameters): IdentityRequest {
    identityParameter(parameters.identity, this.kind) // throws for a user-assigned identity
    const revoked = parameters.revokedTokenSha256
    const url = withQuery(
      this.endpoint,
      [
        ['api-version', SERVICE_FABRIC_API_VERSION],
        ['resource', parameters.resource],
        revoked === undefined ? undefined : ['token_sha256_to_refresh', revoked],
      ],
      parameters.clientCapabilities,
    )
    return new IdentityRequest('GET', url, { ...COMMON_HEADERS, secret: this.#secret })
  }
}
redactInstances(ServiceFabricSource, (s) => ({
  kind: s.kind,
  endpoint: s.endpoint,
  thumbprint: s.thumbprint,
  secret: REDACTED,
}))
