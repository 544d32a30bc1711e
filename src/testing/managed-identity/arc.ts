/**
 * The Azure Arc-shaped endpoint (docs/managed-identity.md §Emulation): as IMDS (`Metadata: true`,
 * api-version 2019-11-01 or 2020-06-01), but a request without `Authorization: Basic <key>` gets 401
 * with `WWW-Authenticate: Basic realm=<a new .key file>`; the retry with the file's content gets the
 * token. Only the system-assigned identity, as entra.md §10 says of Arc.
 */
import type { Outcome } from '../http/outcome.js'
import { jsonReply } from '../http/reply.js'
import type { ArcKeys } from './arc-keys.js'
import { headerValue, type IdentityCall, issuedOutcome, refusedOutcome } from './call.js'
import { checkImdsRequest, imdsBody, imdsErrorBody } from './imds.js'
import { type IssueDeps, issueIdentityToken } from './issue.js'
import { IdentityRefusal } from './refusal.js'

const ARC_API_VERSIONS = new Set(['2019-11-01', '2020-06-01'])
const SELECTOR_PARAMETERS = ['client_id', 'object_id', 'msi_res_id', 'mi_res_id']

/**
 * Answers an Azure Arc token request: the challenge, or the token.
 *
 * @example
 * ```ts
 * const outcome = await answerArc(call, deps, arcKeys)
 * outcome.reply.status // 401 the first time
 * ```
 */
export async function answerArc(call: IdentityCall, deps: IssueDeps, keys: ArcKeys): Promise<Outcome> {
  try {
    checkImdsRequest(call, (version) => ARC_API_VERSIONS.has(version))
    if (SELECTOR_PARAMETERS.some((name) => call.url.searchParams.has(name))) {
      throw new IdentityRefusal(
        400,
        'invalid_request',
        'This Azure Arc agent serves the machine’s system-assigned identity only',
      )
    }
    const presented = /^Basic (.+)$/.exec(headerValue(call.headers, 'authorization') ?? '')?.[1]
    if (presented === undefined || !(await keys.redeem(presented))) return challenge(call, keys)
    const identity = [...deps.store.managedIdentities.values()].find((i) => i.kind === 'system')
    if (!identity) throw new IdentityRefusal(400, 'invalid_request', 'Identity not found')
    const resource = call.url.searchParams.get('resource')
    const issued = await issueIdentityToken(identity, resource, call.context.now, deps)
    return issuedOutcome(imdsBody(issued), issued, call.context)
  } catch (error) {
    return refusedOutcome(error, call.context, imdsErrorBody)
  }
}

async function challenge(call: IdentityCall, keys: ArcKeys): Promise<Outcome> {
  const file = await keys.challenge()
  const body = { error: 'unauthorized', error_description: 'Authorization with the key file is required' }
  const reply = jsonReply(401, body, call.context.traceId)
  reply.headers['www-authenticate'] = `Basic realm=${file}`
  return { reply, issued: false }
}
