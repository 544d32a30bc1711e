/**
 * The entry point: one managed-identity token, from whichever source the environment names
 * (docs/entra.md §10). Detect → build the request (identity checked before anything is sent) → for IMDS,
 * probe → send, answer Azure Arc's challenge, retry by the source's policy → parse.
 *
 * Never slow to say no: a connection that fails (refused, or not made within `connectTimeoutMs`) and an
 * IMDS probe without any answer within `connectTimeoutMs` throw a {@link ManagedIdentityUnavailableError}
 * at once; with the defaults that is within 1 s (docs/managed-identity.md).
 */
import type { Dispatcher } from 'undici'
import { AuthorityError, ConfigurationError } from '../errors.js'
import { loadUndici } from '../load-undici.js'
import { answerArcChallenge } from './arc.js'
import { detectManagedIdentitySource } from './detect.js'
import { identityDispatcher, pinnedDispatcher } from './dispatcher.js'
import { ManagedIdentityUnavailableError } from './errors.js'
import { ImdsSource } from './imds.js'
import {
  type ManagedIdentityRequestOptions,
  type ResolvedRequestOptions,
  resolveRequestOptions,
} from './request-options.js'
import { type IdentityResponse, parseManagedIdentityResponse } from './response.js'
import { nextRetryDelayMs } from './retry-policy.js'
import { EndpointUnreachable, sendIdentityRequest } from './send.js'
import { ServiceFabricSource } from './service-fabric.js'
import type { IdentityRequest, ManagedIdentitySource } from './source.js'
import type { ManagedIdentityToken } from './token.js'

/**
 * Called when the endpoint answered anything (it is there).
 *
 * @example
 * ```ts
 * const onAnswer: OnAnswer = () => { probed = true }
 * ```
 */
export type OnAnswer = () => void

interface Exchange {
  source: ManagedIdentitySource
  options: ResolvedRequestOptions
  dispatcher: Dispatcher
  onAnswer: OnAnswer | undefined
}

/**
 * Gets a token for `resource` from the managed identity of the resource this process runs on.
 *
 * Throws a ConfigurationError (bad option or variable, an identity the source cannot select, a Service
 * Fabric certificate that is not the pinned one), a {@link ManagedIdentityUnavailableError} (no endpoint
 * answered: retryable), an AuthorityError (the endpoint's error answer, with its code and a hint), a
 * CredentialError (an Azure Arc key file refused), a ResponseFormatError, or a TransportError.
 *
 * @example
 * ```ts
 * const token = await requestManagedIdentityToken({ resource: 'https://vault.azure.net' })
 * await fetch(url, { headers: { authorization: `Bearer ${token.accessToken}` } })
 * ```
 */
export async function requestManagedIdentityToken(
  options: ManagedIdentityRequestOptions,
): Promise<ManagedIdentityToken> {
  return requestFromSource(options, undefined)
}

/**
 * {@link requestManagedIdentityToken}, telling `onAnswer` when the endpoint answered (for a token source).
 *
 * @example
 * ```ts
 * await requestFromSource({ resource, source, probe: !answered }, () => { answered = true })
 * ```
 */
export async function requestFromSource(
  options: ManagedIdentityRequestOptions,
  onAnswer: OnAnswer | undefined,
): Promise<ManagedIdentityToken> {
  const resolved = resolveRequestOptions(options)
  const source =
    options.source ??
    detectManagedIdentitySource(options.environment ?? process.env, {
      imdsBaseUrl: options.imdsBaseUrl,
      himdsInstalled: options.himdsInstalled,
    })
  const request = source.buildRequest(resolved.parameters)
  const undici = await loadUndici()
  const dispatcher =
    source instanceof ServiceFabricSource
      ? pinnedDispatcher(undici, source.thumbprint, resolved.connectTimeoutMs)
      : (options.dispatcher ?? identityDispatcher(undici, resolved.connectTimeoutMs))
  const exchange: Exchange = { source, options: resolved, dispatcher, onAnswer }
  if (source instanceof ImdsSource && resolved.probe) {
    await send(exchange, source.probeRequest(), resolved.connectTimeoutMs, true)
  }
  return withRetries(exchange, request)
}

async function withRetries(exchange: Exchange, request: IdentityRequest): Promise<ManagedIdentityToken> {
  const { source, options } = exchange
  let firstGoneAt: number | undefined
  for (let retries = 0; ; retries++) {
    const response = await sendAnsweringChallenge(exchange, request)
    const now = options.clock.now()
    const context = { source: source.kind, resource: options.parameters.resource, now }
    try {
      return parseManagedIdentityResponse(response, context)
    } catch (error) {
      if (!(error instanceof AuthorityError)) throw error
      if (error.status === 410) firstGoneAt ??= now
      const state = { status: error.status, retries, retryAfterMs: error.retryAfterMs, now, firstGoneAt }
      const delay = nextRetryDelayMs(source.kind, state)
      if (delay === undefined) throw error
      await options.sleep(delay, options.signal)
    }
  }
}

/** Sends `request`; an Azure Arc 401 challenge is answered once, with the key file. */
async function sendAnsweringChallenge(
  exchange: Exchange,
  request: IdentityRequest,
): Promise<IdentityResponse> {
  const response = await send(exchange, request, exchange.options.timeoutMs, false)
  if (exchange.source.kind !== 'azure-arc' || response.status !== 401) return response
  const challenge = response.headers['www-authenticate']
  const header = Array.isArray(challenge) ? challenge[0] : challenge
  const authorization = await answerArcChallenge(header, exchange.options.arcKeyDirectory)
  return send(exchange, request.withHeaders({ authorization }), exchange.options.timeoutMs, false)
}

async function send(
  exchange: Exchange,
  request: IdentityRequest,
  deadlineMs: number,
  probe: boolean,
): Promise<IdentityResponse> {
  const { source, options } = exchange
  try {
    const response = await sendIdentityRequest(request, {
      dispatcher: exchange.dispatcher,
      deadlineMs,
      maxResponseBytes: options.maxResponseBytes,
      clock: options.clock,
      signal: options.signal,
      deadlineMeansUnreachable: probe,
    })
    exchange.onAnswer?.()
    return response
  } catch (error) {
    if (error instanceof EndpointUnreachable) {
      throw new ManagedIdentityUnavailableError(
        [{ source: source.kind, url: source.endpoint, outcome: error.outcome }],
        {
          cause: error.cause,
        },
      )
    }
    if ((error as { code?: unknown } | null)?.code === 'ERR_PIN_MISMATCH') throw pinError(error as Error)
    throw error
  }
}

function pinError(error: Error): ConfigurationError {
  return new ConfigurationError(
    'IDENTITY_SERVER_THUMBPRINT',
    `the Service Fabric identity endpoint presented another certificate: ${error.message}`,
    {
      cause: error,
      hint: 'Nothing was sent. Service Fabric sets IDENTITY_SERVER_THUMBPRINT to its endpoint certificate: if it was copied from elsewhere, unset it; otherwise something else answers on IDENTITY_ENDPOINT.',
    },
  )
}
