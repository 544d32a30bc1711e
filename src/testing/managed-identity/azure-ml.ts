/**
 * The Azure Machine Learning-shaped endpoint (`GET {MSI_ENDPOINT}`, docs/managed-identity.md
 * §Emulation): the `secret` header must be the emulated `MSI_SECRET`, `api-version=2017-09-01`, the
 * identity by `clientid` only (else the compute's system-assigned one); `expires_on` an epoch string.
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
 * The one api-version of Azure ML's identity endpoint.
 *
 * @example
 * ```ts
 * `${endpoint}?api-version=${AZURE_ML_API_VERSION}&resource=…&clientid=…`
 * ```
 */
export const AZURE_ML_API_VERSION = '2017-09-01'

const SELECTORS: SelectorParameters = { clientId: ['clientid'], objectId: [], resourceId: [] }

/**
 * Azure ML's success body (the 2017 App Service form, with the identity's `client_id`).
 *
 * @example
 * ```ts
 * azureMlBody(issued).expires_on // '1767225600'
 * ```
 */
export function azureMlBody(issued: IdentityToken): Record<string, string> {
  return {
    access_token: issued.token.accessToken,
    expires_on: String(issued.token.expiresOn),
    resource: issued.resource,
    token_type: 'Bearer',
    client_id: issued.clientId,
  }
}

function azureMlErrorBody(refusal: IdentityRefusal, context: RequestContext): unknown {
  return { statusCode: refusal.status, message: refusal.message, correlationId: context.correlationId }
}

/**
 * Answers an Azure ML token request.
 *
 * @example
 * ```ts
 * const outcome = await answerAzureMl(call, deps, secret)
 * ```
 */
export function answerAzureMl(call: IdentityCall, deps: IssueDeps, secret: string): Promise<Outcome> {
  return answerSelected(call, deps, {
    check: (checked) => {
      checkMethod(checked, 'GET')
      checkSecretHeader(checked, 'secret', secret)
      checkApiVersion(checked, AZURE_ML_API_VERSION)
    },
    selectors: SELECTORS,
    body: azureMlBody,
    errorBody: azureMlErrorBody,
  })
}
