/**
 * The IMDS-shaped endpoint (`GET /metadata/identity/oauth2/token`, docs/managed-identity.md
 * §Emulation): `Metadata: true` required, `api-version` 2018-02-01 or later, the identity by
 * `client_id`, `object_id` or `msi_res_id`; answers and errors as IMDS words them.
 */
import type { Outcome } from '../http/outcome.js'
import type { RequestContext } from '../http/request-context.js'
import { headerValue, type IdentityCall, issuedOutcome, refusedOutcome } from './call.js'
import { type IdentityToken, type IssueDeps, issueIdentityToken } from './issue.js'
import { IdentityRefusal } from './refusal.js'
import { type SelectorParameters, selectIdentity } from './select.js'

const SELECTORS: SelectorParameters = {
  clientId: ['client_id'],
  objectId: ['object_id'],
  resourceId: ['msi_res_id'],
}

/**
 * IMDS's success body: every number a string, as IMDS sends them.
 *
 * @example
 * ```ts
 * imdsBody(issued).expires_on // '1767225600'
 * ```
 */
export function imdsBody(issued: IdentityToken): Record<string, string> {
  const { token } = issued
  // counted to expires_on (the token's exp), as IMDS counts them: the two always name one instant
  const expiresIn = String(token.expiresOn - issued.now)
  return {
    access_token: token.accessToken,
    client_id: issued.clientId,
    expires_in: expiresIn,
    expires_on: String(token.expiresOn),
    ext_expires_in: expiresIn,
    not_before: String(token.notBefore),
    resource: issued.resource,
    token_type: 'Bearer',
  }
}

/**
 * IMDS's error body.
 *
 * @example
 * ```ts
 * imdsErrorBody(new IdentityRefusal(400, 'invalid_request', 'Identity not found'), context)
 * ```
 */
export function imdsErrorBody(refusal: IdentityRefusal, _context: RequestContext): unknown {
  return { error: refusal.code, error_description: refusal.message }
}

/**
 * Refuses a request without `Metadata: true` or with a missing or unknown `api-version`.
 *
 * @example
 * ```ts
 * checkImdsRequest(call, (version) => version >= '2018-02-01')
 * ```
 */
export function checkImdsRequest(call: IdentityCall, knownVersion: (version: string) => boolean): void {
  if (call.method !== 'GET') throw new IdentityRefusal(405, 'invalid_request', 'Only GET is supported')
  if (headerValue(call.headers, 'metadata')?.toLowerCase() !== 'true') {
    throw new IdentityRefusal(400, 'invalid_request', 'Required metadata header not specified')
  }
  const version = call.url.searchParams.get('api-version')
  if (version === null)
    throw new IdentityRefusal(400, 'invalid_request', 'Required api-version not specified')
  if (!/^\d{4}-\d{2}-\d{2}$/.test(version) || !knownVersion(version)) {
    throw new IdentityRefusal(400, 'invalid_request', `Invalid api-version '${version}'`)
  }
}

/**
 * Answers an IMDS token request.
 *
 * @example
 * ```ts
 * const outcome = await answerImds(call, deps)
 * ```
 */
export async function answerImds(call: IdentityCall, deps: IssueDeps): Promise<Outcome> {
  try {
    checkImdsRequest(call, (version) => version >= '2018-02-01')
    const identity = selectIdentity(deps.store, call.url.searchParams, SELECTORS)
    const issued = await issueIdentityToken(
      identity,
      call.url.searchParams.get('resource'),
      call.context.now,
      deps,
    )
    return issuedOutcome(imdsBody(issued), issued, call.context)
  } catch (error) {
    return refusedOutcome(error, call.context, imdsErrorBody)
  }
}
