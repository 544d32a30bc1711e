/**
 * The Service Fabric-shaped endpoint (`GET {IDENTITY_ENDPOINT}` over https, docs/managed-identity.md
 * §Emulation): the `secret` header must be the emulated `IDENTITY_HEADER`,
 * `api-version=2019-07-01-preview`; the identity is the cluster's choice (here the host's default), never
 * a request parameter; `expires_on` an epoch number. Served only by an authority started with
 * `https: true`, whose certificate's SHA-1 is `IDENTITY_SERVER_THUMBPRINT`.
 */
import type { Outcome } from '../http/outcome.js'
import type { RequestContext } from '../http/request-context.js'
import { answerSelected } from './answer.js'
import type { IdentityCall } from './call.js'
import { checkApiVersion, checkMethod, checkSecretHeader } from './checks.js'
import type { IdentityToken, IssueDeps } from './issue.js'
import { IdentityRefusal } from './refusal.js'
import type { SelectorParameters } from './select.js'

/**
 * The api-version of Service Fabric's Managed Identity Token Service.
 *
 * @example
 * ```ts
 * `${endpoint}?api-version=${SERVICE_FABRIC_API_VERSION}&resource=…`
 * ```
 */
export const SERVICE_FABRIC_API_VERSION = '2019-07-01-preview'

const NO_SELECTORS: SelectorParameters = { clientId: [], objectId: [], resourceId: [] }

/**
 * Service Fabric's success body: `expires_on` a number.
 *
 * @example
 * ```ts
 * serviceFabricBody(issued).expires_on // 1767225600
 * ```
 */
export function serviceFabricBody(issued: IdentityToken): Record<string, string | number> {
  return {
    token_type: 'Bearer',
    access_token: issued.token.accessToken,
    expires_on: issued.token.expiresOn,
    resource: issued.resource,
  }
}

function serviceFabricErrorBody(refusal: IdentityRefusal, context: RequestContext): unknown {
  return { error: { correlationId: context.correlationId, code: refusal.code, message: refusal.message } }
}

function checkRequest(call: IdentityCall, secret: string): void {
  if (call.url.protocol !== 'https:') {
    throw new IdentityRefusal(400, 'invalid_request', 'Service Fabric is served over https only')
  }
  checkMethod(call, 'GET')
  checkSecretHeader(call, 'secret', secret)
  checkApiVersion(call, SERVICE_FABRIC_API_VERSION)
}

/**
 * Answers a Service Fabric token request.
 *
 * @example
 * ```ts
 * const outcome = await answerServiceFabric(call, deps, identityHeader)
 * ```
 */
export function answerServiceFabric(call: IdentityCall, deps: IssueDeps, secret: string): Promise<Outcome> {
  return answerSelected(call, deps, {
    check: (checked) => checkRequest(checked, secret),
    selectors: NO_SELECTORS,
    body: serviceFabricBody,
    errorBody: serviceFabricErrorBody,
  })
}
