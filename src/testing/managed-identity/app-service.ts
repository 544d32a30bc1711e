/**
 * The App Service-shaped endpoint (`GET {IDENTITY_ENDPOINT}`, docs/managed-identity.md §Emulation):
 * `X-IDENTITY-HEADER` must be the emulated `IDENTITY_HEADER`, `api-version=2019-08-01`, the identity
 * by `client_id`, `object_id` (or `principal_id`) or `mi_res_id`; `expires_on` an epoch string.
 */
import type { Outcome } from '../http/outcome.js'
import type { RequestContext } from '../http/request-context.js'
import { answerSelected } from './answer.js'
import type { IdentityCall } from './call.js'
import { checkApiVersion, checkMethod, checkSecretHeader } from './checks.js'
import type { IdentityToken, IssueDeps } from './issue.js'
import type { IdentityRefusal } from './refusal.js'
import type { SelectorParameters } from './select.js'

/**
 * The one api-version of the `IDENTITY_ENDPOINT` protocol.
 *
 * @example
 * ```ts
 * `${endpoint}?api-version=${APP_SERVICE_API_VERSION}&resource=…`
 * ```
 */
export const APP_SERVICE_API_VERSION = '2019-08-01'

const SELECTORS: SelectorParameters = {
  clientId: ['client_id'],
  objectId: ['object_id', 'principal_id'],
  resourceId: ['mi_res_id'],
}

/**
 * App Service's success body.
 *
 * @example
 * ```ts
 * appServiceBody(issued).expires_on // '1767225600'
 * ```
 */
export function appServiceBody(issued: IdentityToken): Record<string, string> {
  return {
    access_token: issued.token.accessToken,
    expires_on: String(issued.token.expiresOn),
    resource: issued.resource,
    token_type: 'Bearer',
    client_id: issued.clientId,
  }
}

function appServiceErrorBody(refusal: IdentityRefusal, context: RequestContext): unknown {
  return { statusCode: refusal.status, message: refusal.message, correlationId: context.correlationId }
}

function checkRequest(call: IdentityCall, identityHeader: string): void {
  checkMethod(call, 'GET')
  checkSecretHeader(call, 'x-identity-header', identityHeader)
  checkApiVersion(call, APP_SERVICE_API_VERSION)
}

/**
 * Answers an App Service token request.
 *
 * @example
 * ```ts
 * const outcome = await answerAppService(call, deps, identityHeader)
 * ```
 */
export function answerAppService(
  call: IdentityCall,
  deps: IssueDeps,
  identityHeader: string,
): Promise<Outcome> {
  return answerSelected(call, deps, {
    check: (checked) => checkRequest(checked, identityHeader),
    selectors: SELECTORS,
    body: appServiceBody,
    errorBody: appServiceErrorBody,
  })
}
