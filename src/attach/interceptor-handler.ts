/**
 * The interceptor's handler (undici style: the factory in interceptor.ts validates once, this class
 * handles one request): it sends the request with a token, and once more after a 401 when that can help.
 */
import type { Dispatcher } from 'undici'
import type { Clock } from '../clock.js'
import { bearer } from './bearer.js'
import { headerValue, isReplayable } from './dispatch-headers.js'
import { ForwardingController } from './forwarding-controller.js'
import { requestOrigin } from './origins.js'
import { type Grant, grantFor, grantForRetry, retryPlan } from './retry-on-401.js'
import type { TokenSource, TokenTarget } from './source.js'

type DispatchOptions = Dispatcher.DispatchOptions
type DispatchHandler = Dispatcher.DispatchHandler
type DispatchController = Dispatcher.DispatchController
type IncomingHeaders = Parameters<NonNullable<DispatchHandler['onResponseStart']>>[2]
type Socket = Parameters<NonNullable<DispatchHandler['onRequestUpgrade']>>[3]

/**
 * What one {@link AuthorizingHandler} works with: where tokens come from and for what, and where the
 * request goes.
 *
 * @example
 * ```ts
 * const settings: HandlerSettings = { source: client, target: 'api://myapis/mywebapi', origin, clock, dispatch }
 * ```
 */
export interface HandlerSettings {
  readonly source: TokenSource
  readonly target: TokenTarget
  /** The origin the request goes to (a routed one). */
  readonly origin: string
  readonly clock: Clock
  readonly dispatch: Dispatcher.Dispatch
}

/**
 * Sends one request with a token, and once more after a 401 when that can help: the refused answer is
 * drained, not shown to the caller's handler, which sees exactly one response (or one error).
 *
 * @example
 * ```ts
 * new AuthorizingHandler(settings, { ...opts, headers }, handler).start()
 * ```
 */
export class AuthorizingHandler implements DispatchHandler {
  readonly #settings: HandlerSettings
  readonly #opts: DispatchOptions & { headers: string[] }
  readonly #handler: DispatchHandler
  readonly #controller = new ForwardingController()
  #grant: Grant | undefined
  /** The token for the retry, while the refused answer is drained. */
  #retry: Promise<Grant> | undefined
  #retried = false
  /** The options of the first attempt, once sent. */
  #sent: DispatchOptions | undefined
  #started = false
  #done = false
  /** The hops of the attempt under way, as a redirect handler records them (undici hands them over). */
  #history: readonly unknown[] | undefined
  /** How often the attempt under way started (more than once: a handler in between sent it again). */
  #starts = 0

  constructor(
    settings: HandlerSettings,
    opts: DispatchOptions & { headers: string[] },
    handler: DispatchHandler,
  ) {
    this.#settings = settings
    this.#opts = opts
    this.#handler = handler
  }

  start(): void {
    const { source, target, clock } = this.#settings
    grantFor(source, target, clock).then(
      (grant) => this.#send(grant),
      (error: unknown) => this.#fail(error),
    )
  }

  #send(grant: Grant): void {
    if (this.#done) return
    const reason = this.#controller.reason
    if (reason !== null) {
      this.#fail(reason)
      return
    }
    this.#grant = grant
    this.#history = undefined
    this.#starts = 0
    try {
      this.#settings.dispatch(this.#withToken(grant), this)
    } catch (error) {
      this.#fail(error)
    }
  }

  /**
   * The options sent: the first attempt's are the handler's own copy with the token pushed onto its
   * header list (the interceptor copied the caller's, once); the retry gets a new copy, since whatever
   * sent the first attempt may still hold those options.
   */
  #withToken(grant: Grant): DispatchOptions {
    const value = bearer(grant.token)
    if (this.#sent === undefined) {
      this.#opts.headers.push('authorization', value)
      this.#sent = this.#opts
      return this.#opts
    }
    const headers = this.#opts.headers.slice(0, -1)
    headers.push(value)
    return { ...this.#opts, headers }
  }

  #fail(error: unknown): void {
    if (this.#done) return
    this.#done = true
    this.#handler.onResponseError?.(
      this.#controller,
      error instanceof Error ? error : new Error(String(error)),
    )
  }

  onRequestStart(controller: DispatchController, context: unknown): void {
    this.#controller.target = controller
    this.#starts++
    const history = (context as { history?: unknown } | null | undefined)?.history
    if (Array.isArray(history)) this.#history = history
    if (this.#started) return
    this.#started = true
    this.#handler.onRequestStart?.(this.#controller, context)
  }

  onRequestUpgrade(
    _c: DispatchController,
    statusCode: number,
    headers: IncomingHeaders,
    socket: Socket,
  ): void {
    this.#done = true
    this.#handler.onRequestUpgrade?.(this.#controller, statusCode, headers, socket)
  }

  onResponseStart(
    _c: DispatchController,
    statusCode: number,
    headers: IncomingHeaders,
    statusMessage?: string,
  ): void {
    if (
      statusCode === 401 &&
      this.#grant &&
      !this.#retried &&
      isReplayable(this.#opts.body) &&
      this.#answeredByOrigin()
    ) {
      const plan = retryPlan(this.#grant, headerValue(headers['www-authenticate']))
      if (plan !== undefined) {
        const { source, target } = this.#settings
        this.#retried = true
        this.#retry = grantForRetry(source, target, this.#grant, plan)
        this.#retry.catch(() => undefined) // handled when the refused answer has been drained
        return
      }
    }
    this.#handler.onResponseStart?.(this.#controller, statusCode, headers, statusMessage)
  }

  /**
   * Whether the answer under way came from the routed origin: the last hop a redirect handler recorded
   * is on it, or there was only the one hop. A hop we cannot place (sent again without a history) is not.
   */
  #answeredByOrigin(): boolean {
    const history = this.#history
    if (history === undefined || history.length === 0) return this.#starts <= 1
    return requestOrigin(history[history.length - 1]) === this.#settings.origin
  }

  onResponseData(_c: DispatchController, chunk: Buffer): void {
    if (this.#retry === undefined) this.#handler.onResponseData?.(this.#controller, chunk)
  }

  onResponseEnd(_c: DispatchController, trailers: IncomingHeaders): void {
    const retry = this.#retry
    if (retry === undefined) {
      this.#done = true
      this.#handler.onResponseEnd?.(this.#controller, trailers)
      return
    }
    this.#retry = undefined
    retry.then(
      (grant) => this.#send(grant),
      (error: unknown) => this.#fail(error),
    )
  }

  onResponseError(_c: DispatchController, error: Error): void {
    this.#retry = undefined
    this.#fail(error)
  }

  onResponseStarted(): void {
    this.#handler.onResponseStarted?.()
  }

  onBodySent(chunk: Buffer): void {
    this.#handler.onBodySent?.(chunk)
  }

  onRequestSent(): void {
    this.#handler.onRequestSent?.()
  }
}
