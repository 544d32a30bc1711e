/**
 * The attributes of what the channels report: low-cardinality ones on metrics (server, outcome,
 * background, error code), the tenant and scope on spans only.
 */
import type { Attributes } from '@opentelemetry/api'
import type { TokenRequestContext } from '../diagnostics.js'
import { ATTRIBUTES } from './names.js'

/**
 * `server.address` and `server.port` of a request, when known.
 *
 * @example
 * ```ts
 * serverAttributes(request) // { 'server.address': 'login.microsoftonline.com', 'server.port': 443 }
 * ```
 */
export function serverAttributes(request: TokenRequestContext): Attributes {
  const attributes: Attributes = {}
  if (request.serverAddress !== undefined) attributes[ATTRIBUTES.serverAddress] = request.serverAddress
  if (request.serverPort !== undefined) attributes[ATTRIBUTES.serverPort] = request.serverPort
  return attributes
}

/**
 * A settled request on the request metrics: server, outcome, background, and `error.type` when it failed.
 *
 * @example
 * ```ts
 * requestAttributes(request)['error.type'] // 'ERR_AUTHORITY_REJECTED'
 * ```
 */
export function requestAttributes(request: TokenRequestContext): Attributes {
  return {
    ...serverAttributes(request),
    [ATTRIBUTES.background]: request.background,
    ...outcomeAttributes(request),
  }
}

/**
 * A span's attributes as its request starts: server, tenant, scope, background.
 *
 * @example
 * ```ts
 * spanStartAttributes(request)['oauth_client_credentials.scope'] // 'api://myapis/mywebapi/.default'
 * ```
 */
export function spanStartAttributes(request: TokenRequestContext): Attributes {
  const attributes: Attributes = {
    ...serverAttributes(request),
    [ATTRIBUTES.background]: request.background,
  }
  if (request.tenant !== undefined) attributes[ATTRIBUTES.tenant] = request.tenant
  if (request.scope !== undefined) attributes[ATTRIBUTES.scope] = request.scope
  return attributes
}

/**
 * A span's attributes once its request settled: attempts, outcome, and `error.type` when it failed.
 *
 * @example
 * ```ts
 * spanEndAttributes(request) // { 'oauth_client_credentials.token.request.attempts': 2, …outcome: 'success' }
 * ```
 */
export function spanEndAttributes(request: TokenRequestContext): Attributes {
  return { [ATTRIBUTES.attempts]: request.attempts, ...outcomeAttributes(request) }
}

function outcomeAttributes(request: TokenRequestContext): Attributes {
  const attributes: Attributes = { [ATTRIBUTES.outcome]: request.outcome ?? 'error' }
  if (request.errorCode !== undefined) attributes[ATTRIBUTES.errorType] = request.errorCode
  return attributes
}
