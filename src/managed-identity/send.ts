/**
 * One HTTP exchange with an identity endpoint over undici: a deadline, a capped body read, and a
 * classification of failures. A connection that cannot be made is {@link EndpointUnreachable} (the caller
 * turns it into "unavailable"); an answer of any status is returned as it is.
 */
import type { Dispatcher } from 'undici'
import type { Clock } from '../clock.js'
import { TransportError } from '../errors.js'
import { loadUndici } from '../load-undici.js'
import type { UnreachableOutcome } from './errors.js'
import type { IdentityResponse } from './response.js'
import type { IdentityRequest } from './source.js'

/**
 * How to send.
 *
 * @example
 * ```ts
 * await sendIdentityRequest(request, { dispatcher, deadlineMs: 1000, maxResponseBytes: 65536, clock: systemClock, deadlineMeansUnreachable: true } satisfies SendSettings)
 * ```
 */
export interface SendSettings {
  dispatcher: Dispatcher
  /** Give up after this long without a complete answer. */
  deadlineMs: number
  /** Read at most this many bytes of the body. */
  maxResponseBytes: number
  clock: Clock
  /** The caller's signal: aborting it rejects with its reason. */
  signal?: AbortSignal | undefined
  /** Whether running out of time means "unreachable" (the probe) or a timeout of a live endpoint. */
  deadlineMeansUnreachable: boolean
}

const REFUSED = new Set(['ECONNREFUSED'])
const CONNECT_TIMEOUT = new Set(['UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT'])
const NETWORK = new Set([
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EADDRNOTAVAIL',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'UND_ERR_SOCKET',
])

/**
 * No connection to the endpoint (refused, timed out, unroutable). Internal: requests turn it into a
 * ManagedIdentityUnavailableError.
 *
 * @example
 * ```ts
 * if (error instanceof EndpointUnreachable) tried.push({ source, url, outcome: error.outcome })
 * ```
 */
export class EndpointUnreachable extends Error {
  readonly outcome: UnreachableOutcome
  readonly url: string

  constructor(outcome: UnreachableOutcome, url: string, options?: ErrorOptions) {
    super(`${url}: ${outcome}`, options)
    this.outcome = outcome
    this.url = url
    this.name = 'EndpointUnreachable'
  }
}

/**
 * Sends `identityRequest` and reads the answer. Throws {@link EndpointUnreachable} when no connection
 * could be made (or, for a probe, no answer came within the deadline), a TransportError for a live
 * endpoint that timed out or sent too much, and the signal's reason when the caller aborts.
 *
 * @example
 * ```ts
 * const response = await sendIdentityRequest(source.buildRequest(parameters), settings)
 * ```
 */
export async function sendIdentityRequest(
  identityRequest: IdentityRequest,
  settings: SendSettings,
): Promise<IdentityResponse> {
  const { request } = await loadUndici()
  settings.signal?.throwIfAborted()
  const controller = new AbortController()
  const onAbort = () => controller.abort(settings.signal?.reason)
  settings.signal?.addEventListener('abort', onAbort, { once: true })
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort()
  }, settings.deadlineMs)
  const sentAt = settings.clock.now()
  try {
    const response = await request(identityRequest.url, {
      method: identityRequest.method,
      headers: identityRequest.headers,
      body: identityRequest.body ?? null,
      dispatcher: settings.dispatcher,
      signal: controller.signal,
    })
    const text = await readCapped(response, settings.maxResponseBytes, identityRequest.url)
    return { status: response.statusCode, headers: response.headers, text, sentAt }
  } catch (error) {
    if (settings.signal?.aborted) throw settings.signal.reason
    throw classify(error, timedOut, identityRequest.url, settings)
  } finally {
    clearTimeout(timer)
    settings.signal?.removeEventListener('abort', onAbort)
  }
}

function codesOf(error: unknown): string[] {
  const codes: string[] = []
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string') codes.push(code)
    e = (e as { cause?: unknown }).cause
  }
  return codes
}

function classify(error: unknown, timedOut: boolean, url: string, settings: SendSettings): Error {
  if (error instanceof TransportError || error instanceof EndpointUnreachable) return error
  const codes = codesOf(error)
  if (codes.some((c) => REFUSED.has(c))) return new EndpointUnreachable('refused', url, { cause: error })
  if (codes.some((c) => CONNECT_TIMEOUT.has(c)))
    return new EndpointUnreachable('timeout', url, { cause: error })
  if (codes.some((c) => NETWORK.has(c))) return new EndpointUnreachable('network', url, { cause: error })
  if (codes.includes('ERR_PIN_MISMATCH')) return error as Error
  if (timedOut && settings.deadlineMeansUnreachable)
    return new EndpointUnreachable('timeout', url, { cause: error })
  if (timedOut || codes.includes('UND_ERR_HEADERS_TIMEOUT') || codes.includes('UND_ERR_BODY_TIMEOUT')) {
    return new TransportError(
      'timeout',
      `The managed identity endpoint did not answer within ${settings.deadlineMs} ms.`,
      { url },
      {
        retryable: true,
        cause: error,
        hint: 'The identity endpoint is up but slow: try again later.',
      },
    )
  }
  const detail = error instanceof Error ? `: ${error.message}` : ''
  return new TransportError(
    'network',
    `The managed identity request failed${detail}`,
    { url },
    {
      retryable: true,
      cause: error,
    },
  )
}

async function readCapped(response: Dispatcher.ResponseData, max: number, url: string): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of response.body) {
    const buffer = chunk as Buffer
    size += buffer.length
    if (size > max) {
      response.body.on('error', () => {})
      response.body.destroy()
      throw new TransportError(
        'body_too_large',
        `The managed identity endpoint's answer is larger than ${max} bytes.`,
        { url },
        {
          hint: 'Check the identity endpoint URL: managed identity answers are small.',
        },
      )
    }
    chunks.push(buffer)
  }
  return Buffer.concat(chunks, size).toString('utf8')
}
