/**
 * One POST of a form to a token endpoint over undici: a timeout, a capped body read, redirects refused
 * and every hop kept on the endpoint whatever the dispatcher (`endpoint-guard.ts`), connection failures
 * named (`connection-problems.ts`). It knows nothing of tokens or caching; it returns status, headers,
 * text and `sentAt`. undici is loaded on the first request, not when the package is imported
 * (docs/architecture.md, "Loading on first use").
 */
import type { Dispatcher } from 'undici'
import type { Clock } from './clock.js'
import { connectionProblem } from './connection-problems.js'
import { guardEndpoint } from './endpoint-guard.js'
import { TransportError } from './errors.js'
import { loadUndici, type Undici } from './load-undici.js'
import { WATCH_HEADER } from './request-watch.js'

/** What the transport hands to the parser (response.ts): the answer, unread. */
export interface RawResponse {
  status: number
  headers: Readonly<Record<string, string | string[] | undefined>>
  text: string
  /** When the request was sent, epoch ms. */
  sentAt: number
  clientRequestId?: string | undefined
}

/** One token request on the wire. */
export interface FormPost {
  url: string
  /** The `application/x-www-form-urlencoded` body. */
  body: string
  headers: Readonly<Record<string, string>>
  clientRequestId: string
}

/** How to send it. */
export interface TransportSettings {
  /** The app's dispatcher; without one, the shared pool ({@link defaultDispatcher}). */
  dispatcher?: Dispatcher | undefined
  timeoutMs: number
  maxResponseBytes: number
  clock: Clock
  /** Stops the request when it aborts (the client closed); the caller reads the signal's reason. */
  signal?: AbortSignal | undefined
}

type RequestInfo = { url: string; clientRequestId: string }

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']
let sharedDispatcher: Dispatcher | undefined

/**
 * The connection pool every client shares unless given its own dispatcher: a keep-alive Agent, or an
 * `EnvHttpProxyAgent` when `HTTPS_PROXY`/`HTTP_PROXY` is set (honouring `NO_PROXY`).
 *
 * @example
 * ```ts
 * const dispatcher = defaultDispatcher(await loadUndici())
 * ```
 */
export function defaultDispatcher({ Agent, EnvHttpProxyAgent }: Undici): Dispatcher {
  if (!sharedDispatcher) {
    const proxied = PROXY_VARIABLES.some((name) => process.env[name])
    sharedDispatcher = proxied ? new EnvHttpProxyAgent() : new Agent({ keepAliveTimeout: 30_000 })
  }
  return sharedDispatcher
}

/**
 * POSTs `post` and reads the whole answer, up to `maxResponseBytes`. Throws {@link TransportError}
 * for a timeout, a network or TLS failure, a redirect, a dispatcher that would send it elsewhere, or an
 * oversized body; any other HTTP status is returned.
 */
export async function postForm(post: FormPost, settings: TransportSettings): Promise<RawResponse> {
  const undici = await loadUndici()
  const info = { url: post.url, clientRequestId: post.clientRequestId }
  const guard = guardEndpoint(settings.dispatcher ?? defaultDispatcher(undici), info)
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), settings.timeoutMs)
  const sentAt = settings.clock.now()
  // the request stops on the timeout or on the caller's signal (close()); a listener removed afterwards,
  // not AbortSignal.any, whose dependent signals a long-lived signal keeps alive on Node 22
  const sending = new AbortController()
  const stopSending = () => sending.abort()
  controller.signal.addEventListener('abort', stopSending, { once: true })
  if (settings.signal?.aborted) stopSending()
  else settings.signal?.addEventListener('abort', stopSending, { once: true })
  try {
    const response = await undici.request(post.url, {
      method: 'POST',
      dispatcher: guard.dispatcher,
      headers: { ...post.headers, [WATCH_HEADER]: post.clientRequestId },
      body: post.body,
      signal: sending.signal,
    })
    if (response.statusCode >= 300 && response.statusCode < 400) {
      discard(response.body)
      throw redirectError(response.statusCode, response.headers.location, info)
    }
    const text = await readCapped(response, settings.maxResponseBytes, info)
    return {
      status: response.statusCode,
      headers: response.headers,
      text,
      sentAt,
      clientRequestId: post.clientRequestId,
    }
  } catch (error) {
    throw asTransportError(error, controller.signal.aborted, settings.timeoutMs, info)
  } finally {
    clearTimeout(timer)
    settings.signal?.removeEventListener('abort', stopSending)
    guard.close()
  }
}

async function readCapped(
  response: Dispatcher.ResponseData,
  max: number,
  info: RequestInfo,
): Promise<string> {
  const declared = Number(response.headers['content-length'])
  if (Number.isFinite(declared) && declared > max) {
    discard(response.body)
    throw tooLarge(max, info)
  }
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of response.body) {
    const buffer = chunk as Buffer
    size += buffer.length
    if (size > max) {
      discard(response.body)
      throw tooLarge(max, info)
    }
    chunks.push(buffer)
  }
  return Buffer.concat(chunks, size).toString('utf8')
}

function tooLarge(max: number, info: RequestInfo): TransportError {
  return new TransportError(
    'body_too_large',
    `The token endpoint's answer is larger than ${max} bytes.`,
    info,
    {
      hint: 'Check the token endpoint URL; raise http.maxResponseBytes only if the server really sends such answers.',
    },
  )
}

function redirectError(status: number, location: unknown, info: RequestInfo) {
  const where = typeof location === 'string' ? ` to ${location}` : ''
  return new TransportError(
    'redirect',
    `The token endpoint redirected (${status})${where}; redirects are refused.`,
    info,
    {
      hint: 'Configure the final token endpoint URL: credentials are never sent on to a redirect target.',
    },
  )
}

function asTransportError(
  error: unknown,
  timedOut: boolean,
  timeoutMs: number,
  info: RequestInfo,
): TransportError {
  if (error instanceof TransportError) return error
  const code = (error as { code?: unknown } | null)?.code
  if (
    timedOut ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  ) {
    return new TransportError('timeout', `The token request timed out after ${timeoutMs} ms.`, info, {
      retryable: true,
      cause: error,
    })
  }
  const problem = connectionProblem(error, new URL(info.url))
  if (problem?.reason === 'tls') {
    return new TransportError('tls', problem.message, info, { cause: error, hint: problem.hint })
  }
  const detail = error instanceof Error ? `: ${error.message}` : ''
  return new TransportError('network', `The token request failed${detail}`, info, {
    retryable: true,
    cause: error,
    hint: problem?.hint ?? 'Check network access to the authority host (and HTTPS_PROXY / NO_PROXY).',
  })
}

/** Stops reading a body we will not use; the stream's abort error is expected and must not go unhandled. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => {})
  body.destroy()
}
