/**
 * The App Service-shaped endpoint (`GET {IDENTITY_ENDPOINT}`, docs/managed-identity.md §Emulation):
 * `X-IDENTITY-HEADER` must be the emulated `IDENTITY_HEADER`, `api-version=2019-08-01`, the identity
 * by `client_id`, `object_id` (or `principal_id`) or `mi_res_id`; `expires_on` an epoch string.
 */
import { timingSafeEqual } from 'node:crypto'
import type { Outcome } from '../http/outcome.js'
import type { RequestContext } from '../http/request-context.js'
import { headerValue, type IdentityCall, issuedOutcome, refusedOutcome } from './call.js'
import { type IdentityToken, type IssueDeps, issueIdentityToken } from './issue.js'
import { IdentityRefusal } from './refusal.js'
import { type SelectorParameters, selectIdentity } from './select.js'

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
  if (call.method !== 'GET') throw new IdentityRefusal(405, 'invalid_request', 'Only GET is supported')
  const sent = Buffer.from(headerValue(call.headers, 'x-identity-header') ?? '')
  const expected = Buffer.from(identityHeader)
  if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) {
    throw new IdentityRefusal(401, 'unauthorized', 'The X-IDENTITY-HEADER header is missing or wrong')
  }
  const version = call.url.searchParams.get('api-version')
  if (version !== APP_SERVICE_API_VERSION) {
    throw new IdentityRefusal(
      400,
      'invalid_request',
      `api-version must be ${APP_SERVICE_API_VERSION}, not '${version ?? ''}'`,
    )
  }
}

/**
 * Answers an App Service token request.
 *
 * @example
 * ```ts
 * const outcome = await answerAppService(call, deps, identityHeader)
 * ```
 */
export async function answerAppService(
  call: IdentityCall,
  deps: IssueDeps,
  identityHeader: string,
): Promise<Outcome> {
  try {
    checkRequest(call, identityHeader)
    const identity = selectIdentity(deps.store, call.url.searchParams, SELECTORS)
    const issued = await issueIdentityToken(
      identity,
      call.url.searchParams.get('resource'),
      call.context.now,
      deps,
    )
    return issuedOutcome(appServiceBody(issued), issued, call.context)
  } catch (error) {
    return refusedOutcome(error, call.context, appServiceErrorBody)
  }
}
