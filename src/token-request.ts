/**
 * One token request, as its own unit (golang/oauth2's split): the form, the credential applied, the POST
 * through the transport, the retries, and the answer parsed into an `AccessToken`. The cache is handed
 * the result, a `(target, ctx) => Promise<AccessToken>`, and knows nothing of any of this.
 */
import { randomUUID } from 'node:crypto'
import type { Dispatcher } from 'undici'
import { type FetchContext, tokenTimes } from './cache.js'
import type { Clock } from './clock.js'
import type { Credential } from './credentials/credential.js'
import { noteTokenRequestAttempt } from './diagnostics.js'
import type { Logger } from './options.js'
import { parseTokenResponse } from './response.js'
import { isRetryable, retryAfterOf, retryDelayMs, sleep } from './retry.js'
import type { AuthorityConfig, ResolvedRequest } from './target.js'
import { AccessToken } from './token.js'
import { postForm } from './transport.js'
import { VERSION } from './version.js'

const USER_AGENT = `oauth-client-credentials/${VERSION} node/${process.versions.node}`

/** The HTTP options, their defaults applied (by the options schema). */
export interface HttpSettings {
  readonly dispatcher?: Dispatcher | undefined
  readonly timeoutMs: number
  readonly retries: number
  readonly maxRetryDelayMs: number
  readonly maxResponseBytes: number
}

/** What a token request needs: who asks, where, with which credential, and how patiently. */
export interface TokenRequestSettings {
  readonly clientId: string
  readonly authority: AuthorityConfig
  readonly credential: Credential
  readonly clock: Clock
  readonly logger: Logger | undefined
  readonly http: HttpSettings
  /** How long before expiry a token is refreshed. */
  readonly refreshWindowMs: number
}

/** Gets one token for `target` from the authority: what the cache calls on a miss or a refresh. */
export type RequestToken = (target: ResolvedRequest, ctx: FetchContext) => Promise<AccessToken>

/** The token request of a client: attempts, retried while retryable (once only in the background). */
export function createTokenRequest(settings: TokenRequestSettings): RequestToken {
  return async (target, ctx) => {
    const attempts = ctx.background ? 1 : 1 + settings.http.retries
    const { signal } = ctx
    for (let attempt = 0; ; attempt++) {
      noteTokenRequestAttempt()
      try {
        return await requestOnce(settings, target, ctx.claims, signal)
      } catch (error) {
        if (signal?.aborted) throw signal.reason // closed: no retry, and the reason, not the abort's symptom
        const delayMs =
          attempt + 1 < attempts && isRetryable(error) ? retryDelay(settings, attempt, error) : undefined
        if (delayMs === undefined) throw error
        settings.logger?.debug?.('Token request failed; retrying.', {
          target: target.label,
          attempt: attempt + 1,
          delayMs,
        })
        await sleep(delayMs, true, signal)
      }
    }
  }
}

function retryDelay(settings: TokenRequestSettings, attempt: number, error: unknown): number | undefined {
  const delayMs = retryDelayMs(attempt, retryAfterOf(error), Math.random)
  return delayMs <= settings.http.maxRetryDelayMs ? delayMs : undefined
}

/** The form and headers of one attempt, the credential applied (a fresh assertion each time). */
async function buildRequest(
  settings: TokenRequestSettings,
  target: ResolvedRequest,
  claims: string | undefined,
  stop: AbortSignal | undefined,
) {
  const clientRequestId = randomUUID()
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: settings.clientId })
  for (const [name, value] of target.params) form.append(name, value)
  if (claims !== undefined) form.set('claims', claims)
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
    'user-agent': USER_AGENT,
    'client-request-id': clientRequestId,
  }
  if (settings.authority.kind === 'entra') headers['x-ms-lib-capability'] = 'retry-after, h429'
  // the credential (an assertion callback, a file) gets the request's time budget, and no longer
  const controller = new AbortController()
  const timer = setTimeout(
    () => controller.abort(new DOMException('The credential did not answer in time.', 'TimeoutError')),
    settings.http.timeoutMs,
  )
  // `close()` stops the credential too; a listener removed afterwards, not AbortSignal.any, whose
  // dependent signals the long-lived close signal keeps alive on Node 22 (the soak test's heap grew)
  const onStop = () => controller.abort(stop?.reason)
  if (stop?.aborted) onStop()
  else stop?.addEventListener('abort', onStop, { once: true })
  try {
    const context = {
      clientId: settings.clientId,
      tokenEndpoint: target.tokenEndpoint,
      clock: settings.clock,
      signal: controller.signal,
    }
    await settings.credential.authenticate({ form, headers }, context)
  } finally {
    clearTimeout(timer)
    stop?.removeEventListener('abort', onStop)
  }
  return { form, headers, clientRequestId }
}

async function requestOnce(
  settings: TokenRequestSettings,
  target: ResolvedRequest,
  claims: string | undefined,
  stop: AbortSignal | undefined,
): Promise<AccessToken> {
  const { form, headers, clientRequestId } = await buildRequest(settings, target, claims, stop)
  const { http, authority } = settings
  const raw = await postForm(
    { url: target.tokenEndpoint, body: form.toString(), headers, clientRequestId },
    {
      dispatcher: http.dispatcher,
      timeoutMs: http.timeoutMs,
      maxResponseBytes: http.maxResponseBytes,
      clock: settings.clock,
      signal: stop,
    },
  )
  const parsed = parseTokenResponse(raw, {
    secretLooksLikeId: settings.credential.secretLooksLikeId,
    endpointVersion: authority.kind === 'entra' ? authority.version : undefined,
  })
  const times = tokenTimes(raw.sentAt, parsed.expiresInSec, parsed.refreshInSec, settings.refreshWindowMs)
  return new AccessToken({
    accessToken: parsed.accessToken,
    requestedAt: raw.sentAt,
    ...times,
    scope: target.scope,
    tenant: target.tenant,
  })
}
