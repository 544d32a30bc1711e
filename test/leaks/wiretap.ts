/**
 * A dispatcher that records what goes over the wire: every request's headers and body (the secret,
 * the assertion) and every answer's body as far as it was received (the access token), so that the
 * suite knows exactly what it must never find printed.
 */
import { Agent, type Dispatcher } from 'undici'

type Handler = Dispatcher.DispatchHandler
type Controller = Dispatcher.DispatchController

export interface Wiretap {
  readonly dispatcher: Dispatcher
  /** Request bodies and header values, as sent. */
  readonly sent: Array<{ body: string; headers: string[] }>
  /** Response bodies (or what arrived of them). */
  readonly received: string[]
  close(): Promise<void>
}

function headerValues(headers: Dispatcher.DispatchOptions['headers']): string[] {
  if (headers === undefined || headers === null) return []
  if (Array.isArray(headers)) return headers.filter((_, i) => i % 2 === 1).map(String)
  if (typeof (headers as Iterable<unknown>)[Symbol.iterator] === 'function') {
    return [...(headers as Iterable<[string, string]>)].map(([, v]) => String(v))
  }
  return Object.values(headers as Record<string, unknown>).map(String)
}

/** Forwards every callback to `inner`, copying response data into `chunks`. */
class Recorder implements Handler {
  readonly #inner: Handler
  readonly #chunks: Buffer[] = []
  readonly #done: (body: string) => void
  #reported = false

  constructor(inner: Handler, done: (body: string) => void) {
    this.#inner = inner
    this.#done = done
  }

  #report(): void {
    if (this.#reported) return
    this.#reported = true
    this.#done(Buffer.concat(this.#chunks).toString('utf8'))
  }

  onRequestStart(controller: Controller, context: unknown): void {
    this.#inner.onRequestStart?.(controller, context)
  }
  onRequestUpgrade(...args: Parameters<NonNullable<Handler['onRequestUpgrade']>>): void {
    this.#inner.onRequestUpgrade?.(...args)
  }
  onResponseStart(...args: Parameters<NonNullable<Handler['onResponseStart']>>): void {
    this.#inner.onResponseStart?.(...args)
  }
  onResponseData(controller: Controller, chunk: Buffer): void {
    this.#chunks.push(Buffer.from(chunk))
    this.#inner.onResponseData?.(controller, chunk)
  }
  onResponseEnd(
    controller: Controller,
    trailers: Parameters<NonNullable<Handler['onResponseEnd']>>[1],
  ): void {
    this.#report()
    this.#inner.onResponseEnd?.(controller, trailers)
  }
  onResponseError(controller: Controller, error: Error): void {
    this.#report()
    this.#inner.onResponseError?.(controller, error)
  }
}

export function wiretap(): Wiretap {
  const sent: Wiretap['sent'] = []
  const received: string[] = []
  const agent = new Agent()
  const dispatcher = agent.compose(
    (dispatch) =>
      function record(opts, handler) {
        sent.push({
          body: typeof opts.body === 'string' ? opts.body : '',
          headers: headerValues(opts.headers),
        })
        return dispatch(opts, new Recorder(handler, (body) => received.push(body)))
      },
  )
  return { dispatcher, sent, received, close: () => agent.close() }
}

/** The credentials a wiretap saw sent: client secrets, client assertions, Authorization headers. */
export function sentCredentials(tap: Wiretap): {
  secrets: string[]
  assertions: string[]
  authorizations: string[]
} {
  const forms = tap.sent.map((s) => new URLSearchParams(s.body))
  return {
    secrets: forms.flatMap((f) => f.getAll('client_secret')),
    assertions: forms.flatMap((f) => f.getAll('client_assertion')),
    authorizations: tap.sent.flatMap((s) => s.headers.filter((h) => /^(basic|bearer) /i.test(h))),
  }
}

/** Access tokens in the answers a wiretap saw, whole or as far as they arrived. */
export function receivedTokens(tap: Wiretap): string[] {
  return tap.received.flatMap((body) =>
    [...body.matchAll(/"access_token"\s*:\s*"([^"]*)/g)].map((m) => m[1] ?? '').filter((t) => t.length >= 16),
  )
}
