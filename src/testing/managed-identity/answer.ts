/**
 * The answer IMDS and App Service give alike: check the request, pick the identity its selector names,
 * issue its token for `resource`, and shape the answer or the refusal as that source does.
 */
import type { Outcome } from '../http/outcome.js'
import type { RequestContext } from '../http/request-context.js'
import { type IdentityCall, issuedOutcome, refusedOutcome } from './call.js'
import { type IdentityToken, type IssueDeps, issueIdentityToken } from './issue.js'
import type { IdentityRefusal } from './refusal.js'
import { type SelectorParameters, selectIdentity } from './select.js'

/** How one source checks its requests and shapes its answers. */
export interface SourceShape {
  /** Throws an `IdentityRefusal` for a request this source would refuse. */
  readonly check: (call: IdentityCall) => void
  /** The query parameters that name a user-assigned identity. */
  readonly selectors: SelectorParameters
  readonly body: (issued: IdentityToken) => unknown
  readonly errorBody: (refusal: IdentityRefusal, context: RequestContext) => unknown
}

/**
 * The outcome of `call` for a source of `shape`.
 *
 * @example
 * ```ts
 * const outcome = await answerSelected(call, deps, { check, selectors, body: imdsBody, errorBody: imdsErrorBody })
 * ```
 */
export async function answerSelected(
  call: IdentityCall,
  deps: IssueDeps,
  shape: SourceShape,
): Promise<Outcome> {
  try {
    shape.check(call)
    const identity = selectIdentity(deps.store, call.url.searchParams, shape.selectors)
    const resource = call.url.searchParams.get('resource')
    const issued = await issueIdentityToken(identity, resource, call.context.now, deps)
    return issuedOutcome(shape.body(issued), issued, call.context)
  } catch (error) {
    return refusedOutcome(error, call.context, shape.errorBody)
  }
}
