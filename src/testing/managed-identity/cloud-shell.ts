/**
 * The Cloud Shell-shaped endpoint (`POST {MSI_ENDPOINT}`, docs/managed-identity.md §Emulation):
 * `Metadata: true`, the form body `resource=…`; only the system-assigned identity (the signed-in
 * user's, in Azure). Answers and errors as IMDS words them.
 */
import type { Outcome } from '../http/outcome.js'
import { answerSelected } from './answer.js'
import { headerValue, type IdentityCall } from './call.js'
import { checkMethod } from './checks.js'
import { imdsBody, imdsErrorBody } from './imds.js'
import type { IssueDeps } from './issue.js'
import { IdentityRefusal } from './refusal.js'
import type { SelectorParameters } from './select.js'

const NO_SELECTORS: SelectorParameters = { clientId: [], objectId: [], resourceId: [] }
const USER_ASSIGNED = ['client_id', 'object_id', 'msi_res_id', 'mi_res_id', 'clientid', 'principal_id']

function checkRequest(call: IdentityCall): void {
  checkMethod(call, 'POST')
  if (headerValue(call.headers, 'metadata')?.toLowerCase() !== 'true') {
    throw new IdentityRefusal(400, 'invalid_request', 'Required metadata header not specified')
  }
  if (USER_ASSIGNED.some((name) => call.url.searchParams.has(name))) {
    throw new IdentityRefusal(400, 'invalid_request', 'Cloud Shell serves the system-assigned identity only')
  }
}

/** The call with its form fields (`resource`) read as query parameters, as answerSelected reads them. */
function withForm(call: IdentityCall): IdentityCall {
  const url = new URL(call.url)
  const form = new URLSearchParams(call.body?.toString('utf8') ?? '')
  for (const [name, value] of form) url.searchParams.set(name, value)
  return { ...call, url }
}

/**
 * Answers a Cloud Shell token request.
 *
 * @example
 * ```ts
 * const outcome = await answerCloudShell(call, deps)
 * ```
 */
export function answerCloudShell(call: IdentityCall, deps: IssueDeps): Promise<Outcome> {
  return answerSelected(withForm(call), deps, {
    check: checkRequest,
    selectors: NO_SELECTORS,
    body: imdsBody,
    errorBody: imdsErrorBody,
  })
}
