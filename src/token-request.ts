/**
 * One token request, as its own unit (golang/oauth2's split): the form, the credential applied, the POST
 * through the transport, the retries, and the answer parsed into an `AccessToken`. The cache is handed
 * the result, a `(target, ctx) => Promise<AccessToken>`, and knows nothing of any of this.
 */
import { randomUUID } from 'node:crypto'
import type { Dispatcher } from 'undici'
import { type FetchContext, tokenTimes } from './cache.js'
import { claimsWithCapabilities } from './client-capabilities.js'
import type { Clock } from './clock.js'
import { isCredentialRejected } from './credential-rejection.js'
import type { Credential } from './credentials/credential.js'
import { noteTokenRequestAttempt } from './diagnostics.js'
import type { DpopSession } from './dpop/session.js'
import type { CertificateConnections } from './mtls/connections.js'
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
  /** DPoP (RFC 9449): a proof per attempt, the server's nonce kept (docs/sender-constrained.md). */
  readonly dpop?: DpopSession | undefined
  /** Mutual TLS: the connections presenting the certificate, and whether mtls_pop tokens are asked for. */
  readonly mtls?: { readonly connections: CertificateConnections; readonly pop: boolean } | undefined
}

/** Gets one token for `target` from the authority: what the cache calls on a miss or a refresh. */
export type RequestToken = (target: ResolvedRequest, ctx: FetchContext) => Promise<AccessToken>

/**
 * The token request of a client: attempts, retried while retryable (once only in the background); a
 * refused credential (`credential-rejection.ts`) is read again and sent once more, not counted as a retry.
 */
export function createTokenRequest(settings: TokenRequestSettings): RequestToken {
  return async (target, ctx) => {
    const attempts = ctx.background ? 1 : 1 + settings.http.retries
    const { signal } = ctx
    let reload = false
    for (let attempt = 0; ; attempt++) {
      noteTokenRequestAttempt()
      try {
        return await requestOnce(settings, target, ctx.claims, signal, reload)
      } catch (error) {
        if (signal?.aborted) throw signal.reason // closed: no retry, and the reason, not the abort's symptom
        if (!reload && isCredentialRejected(error)) {
          reload = true // docs/design.md §7: read the credential again, send once more
          attempt--
          settings.logger?.info?.('The credential was refused; reading it again and retrying once.', {
            target: target.label,
          })
          continue
        }
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
  reload: boolean,
) {
  const clientRequestId = randomUUID()
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: settings.clientId })
  for (const [name, value] of target.params) form.append(name, value)
  const sentClaims = claimsWithCapabilities(claims, target.clientCapabilities)
  if (sentClaims !== undefined) form.set('claims', sentClaims)
  if (settings.mtls?.pop) form.set('token_type', 'mtls_pop') // docs/entra.md §12
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
      reload,
    }
    await settings.credential.authenticate({ form, headers }, context)
    // the certificate to present is the one in service now (a rotated file is picked up here)
    const presented = await settings.mtls?.connections.current(context)
    return { form, headers, clientRequestId, presented }
  } finally {
    clearTimeout(timer)
    stop?.removeEventListener('abort', onStop)
  }
}

/** One attempt; with DPoP, once more after a `use_dpop_nonce` answer (a fresh proof and assertion). */
function requestOnce(
  settings: TokenRequestSettings,
  target: ResolvedRequest,
  claims: string | undefined,
  stop: AbortSignal | undefined,
  reload: boolean,
): Promise<AccessToken> {
  const send = () => sendOnce(settings, target, claims, stop, reload)
  return settings.dpop ? settings.dpop.withNonceRetry(target.tokenEndpoint, send) : send()
}

async function sendOnce(
  settings: TokenRequestSettings,
  target: ResolvedRequest,
  claims: string | undefined,
  stop: AbortSignal | undefined,
  reload: boolean,
): Promise<AccessToken> {
  const { form, headers, clientRequestId, presented } = await buildRequest(
    settings,
    target,
    claims,
    stop,
    reload,
  )
  const { http, authority, dpop } = settings
  if (dpop) headers.dpop = await dpop.proof({ method: 'POST', url: target.tokenEndpoint })
  const raw = await postForm(
    { url: target.tokenEndpoint, body: form.toString(), headers, clientRequestId },
    {
      dispatcher: presented?.dispatcher ?? http.dispatcher,
      timeoutMs: http.timeoutMs,
      maxResponseBytes: http.maxResponseBytes,
      clock: settings.clock,
      signal: stop,
    },
  )
  dpop?.noteNonce(target.tokenEndpoint, headerText(raw.headers['dpop-nonce']))
  const parsed = parseTokenResponse(raw, {
    secretLooksLikeId: settings.credential.secretLooksLikeId,
    endpointVersion: authority.kind === 'entra' ? authority.version : undefined,
    dpop: dpop !== undefined,
    tokenType: settings.mtls?.pop ? 'mtls_pop' : 'Bearer',
  })
  const times = tokenTimes(raw.sentAt, parsed.expiresInSec, parsed.refreshInSec, settings.refreshWindowMs)
  return new AccessToken({
    accessToken: parsed.accessToken,
    requestedAt: raw.sentAt,
    ...times,
    scope: target.scope,
    tenant: target.tenant,
    tokenType: parsed.tokenType,
    certificateThumbprint: presented?.thumbprintSha256,
  })
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}
