/**
 * A generic server's request (`tokenEndpoint` clients): its scopes and RFC 8707 resource indicators as
 * form parameters, keyed by their canonical text. Entra and managed-identity requests are in target.ts.
 */
import { ConfigurationError } from './errors.js'
import type { TokenRequest } from './options.js'
import type { ResolvedRequest } from './target.js'

/**
 * The resolved request for `what` at `tokenEndpoint`. Throws {@link ConfigurationError} for a resource
 * that is not an absolute URI without a fragment.
 *
 * @example
 * ```ts
 * genericRequest('https://idp.example.com/token', 'orders:read').params // [['scope', 'orders:read']]
 * ```
 */
export function genericRequest(tokenEndpoint: string, what: string | TokenRequest): ResolvedRequest {
  const request: TokenRequest = typeof what === 'string' ? { scope: what } : what
  const scopes =
    request.scope === undefined ? [] : typeof request.scope === 'string' ? [request.scope] : request.scope
  const resources =
    request.resource === undefined
      ? []
      : typeof request.resource === 'string'
        ? [request.resource]
        : request.resource
  for (const resource of resources) checkResourceIndicator(resource)
  const params: Array<readonly [string, string]> = []
  const scope = scopes.join(' ')
  if (scope) params.push(['scope', scope])
  for (const resource of resources) params.push(['resource', resource])
  const canonical = params.map(([k, v]) => `${k}=${v}`).join('\u0000')
  return {
    key: canonical,
    label: canonical.replaceAll('\u0000', ' '),
    tokenEndpoint,
    params,
    scope,
    tenant: undefined,
    clientCapabilities: [],
    slot: undefined,
  }
}

/** RFC 8707 §2: a resource is an absolute URI without a fragment. */
function checkResourceIndicator(resource: string): void {
  let url: URL | undefined
  try {
    url = new URL(resource)
  } catch {
    url = undefined
  }
  if (url === undefined || url.hash !== '' || resource.includes('#')) {
    throw new ConfigurationError(
      'resource',
      `'${resource}' must be an absolute URI without a fragment (RFC 8707)`,
    )
  }
}
