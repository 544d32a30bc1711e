/**
 * Folder `token/`: the token endpoint. `route.ts` (this file) answers the request; `form.ts` reads
 * it; `decision.ts` decides it: tenant, grant type, client, `resource.ts` (the API a scope or
 * resource names), `client-authentication.ts` (a secret, `certificate-assertion.ts` or
 * `federated-assertion.ts`, both decoded by `assertion-jwt.ts`), then `access-token.ts` mints the
 * token with `signing-keys.ts` and `response-body.ts` shapes the v1 or v2 success body.
 *
 * The token route: POST only (AADSTS900561 otherwise), the decision of {@link issueToken}, the
 * success or error answer.
 */
import { MESSAGES } from '../entra/aadsts.js'
import { AadstsError } from '../entra/error-body.js'
import { type Outcome, refusalOutcome } from '../http/outcome.js'
import { jsonReply } from '../http/reply.js'
import type { RequestContext } from '../http/request-context.js'
import { issueToken, type TokenEndpointDeps } from './decision.js'
import { DpopRefusal } from './dpop-proof.js'
import type { TokenForm } from './form.js'

/**
 * One request to a token endpoint.
 *
 * @example
 * ```ts
 * await answerToken({ method: 'POST', tenant, version: 'v1', form, context }, deps)
 * ```
 */
export interface TokenRouteRequest {
  method: string
  tenant: string
  version: 'v1' | 'v2'
  form: TokenForm
  context: RequestContext
}

/**
 * Answers a token endpoint request.
 *
 * @example
 * ```ts
 * const outcome = await answerToken({ method: 'POST', tenant, version: 'v2', form, context }, deps)
 * outcome.reply.status // 200
 * ```
 */
export async function answerToken(request: TokenRouteRequest, deps: TokenEndpointDeps): Promise<Outcome> {
  const { context } = request
  try {
    if (request.method !== 'POST') throw new AadstsError(900561, MESSAGES.postOnly(request.method))
    const call = {
      tenantSegment: request.tenant,
      version: request.version,
      form: request.form,
      origin: context.origin,
      now: context.now,
      peerCertificate: context.peerCertificate,
    }
    const granted = await issueToken(call, deps)
    const token = { header: granted.header, claims: granted.claims }
    const reply = jsonReply(200, granted.body, context.traceId)
    if (granted.dpopNonce !== undefined) reply.headers['dpop-nonce'] = granted.dpopNonce
    return { reply, issued: true, token }
  } catch (error) {
    if (error instanceof DpopRefusal) return dpopRefusal(error, context)
    return refusalOutcome(error, context)
  }
}

/** RFC 9449 §5, §8: 400 with `invalid_dpop_proof`, or `use_dpop_nonce` and the nonce in `DPoP-Nonce`. */
function dpopRefusal(refusal: DpopRefusal, context: RequestContext): Outcome {
  const body = { error: refusal.error, error_description: refusal.description }
  const reply = jsonReply(400, body, context.traceId)
  if (refusal.nonce !== undefined) reply.headers['dpop-nonce'] = refusal.nonce
  return { reply, issued: false }
}
