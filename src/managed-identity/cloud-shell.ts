/**
 * Azure Cloud Shell: `POST {MSI_ENDPOINT}` with `Metadata: true` and the form body `resource=…`; only the
 * signed-in user's system-assigned identity (docs/entra.md §10).
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
 * The Cloud Shell identity endpoint.
 *
 * @example
 * ```ts
 * new CloudShellSource('http://localhost:50342/oauth2/token').buildRequest(parameters).method // 'POST'
 * ```
 */
export class CloudShellSource implements ManagedIdentitySource {
  readonly kind = 'cloud-shell' as const

  readonly endpoint: string

  constructor(endpoint: string) {
    this.endpoint = endpoint
  }

  buildRequest(parameters: SourceRequestParameters): IdentityRequest {
    identityParameter(parameters.identity, this.kind) // throws for a user-assigned identity
    const url = withQuery(this.endpoint, [], parameters.clientCapabilities)
    const body = new URLSearchParams({ resource: parameters.resource }).toString()
    return new IdentityRequest(
      'POST',
      url,
      { ...COMMON_HEADERS, metadata: 'true', 'content-type': 'application/x-www-form-urlencoded' },
      body,
    )
  }
}
