/**
 * The interceptor's handler (undici style: the factory in interceptor.ts validates once, this class
 * handles one request): it sends the request with a token, and once more after a 401 when that can help.
 */
import type { Dispatcher } from 'undici'
import type { Clock } from '../clock.js'
import { headerValue, isReplayable } from './dispatch-headers.js'
import {
  isDpopNonceChallenge,
  noteResourceNonce,
  type TokenHeaders,
  tokenHeaders,
  unboundHeaders,
} from './dpop.js'
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
  /** How many entries the first attempt pushed onto the header list (the token's headers). */
  #added = 0
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
    let plain: TokenHeaders | undefined
    try {
      plain = unboundHeaders(grant.token)
    } catch (error) {
      this.#fail(error)
      return
    }
    if (plain !== undefined) {
      this.#dispatch(plain) // no proof to make: sent now, not after an await
      return
    }
    tokenHeaders(this.#settings.source, grant.token, { method: this.#opts.method, url: this.#url() }).then(
      (carried) => this.#dispatch(carried),
      (error: unknown) => this.#fail(error),
    )
  }

  #dispatch(carried: TokenHeaders): void {
    if (this.#done) return
    const reason = this.#controller.reason
    if (reason !== null) {
      this.#fail(reason)
      return
    }
    try {
      const opts = this.#withToken(carried)
      // a token requested over mutual TLS goes over the connection presenting its certificate only
      const bound = this.#grant?.dispatcher
      if (bound !== undefined) bound.dispatch(opts, this)
      else this.#settings.dispatch(opts, this)
    } catch (error) {
      this.#fail(error)
    }
  }

  /**
   * The options sent: the first attempt's are the handler's own copy with the token (and a DPoP proof)
   * pushed onto its header list (the interceptor copied the caller's, once); the retry gets a new copy,
   * since whatever sent the first attempt may still hold those options.
   */
  #withToken(carried: TokenHeaders): DispatchOptions {
    if (this.#sent === undefined) {
      this.#added = pushToken(this.#opts.headers, carried)
      this.#sent = this.#opts
      return this.#opts
    }
    const headers = this.#opts.headers.slice(0, -this.#added)
    pushToken(headers, carried)
    return { ...this.#opts, headers }
  }

  /** The request's URL (the routed origin and the path), which a DPoP proof names. */
  #url(): string {
    return new URL(this.#opts.path, this.#settings.origin).href
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
    const newNonce = this.#noteNonce(headers)
    if (
      statusCode === 401 &&
      this.#grant &&
      !this.#retried &&
      isReplayable(this.#opts.body) &&
      this.#answeredByOrigin()
    ) {
      const challenge = headerValue(headers['www-authenticate'])
      if (newNonce && isDpopNonceChallenge(challenge)) {
        // RFC 9449 §9: the resource server wants its nonce in the proof; one retry, same token
        this.#retried = true
        this.#retry = Promise.resolve(this.#grant)
        return
      }
      const plan = retryPlan(this.#grant, challenge)
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

  /** Keeps a DPoP-bound request's answer's `DPoP-Nonce`; whether it was a new one. */
  #noteNonce(headers: IncomingHeaders): boolean {
    if (this.#grant?.token.tokenType !== 'DPoP' || !this.#answeredByOrigin()) return false
    return noteResourceNonce(this.#settings.source, this.#url(), headerValue(headers['dpop-nonce']))
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

/** Pushes the token's headers onto `headers` (a flat name/value list); how many entries it pushed. */
function pushToken(headers: string[], carried: TokenHeaders): number {
  headers.push('authorization', carried.authorization)
  if (carried.dpop === undefined) return 2
  headers.push('dpop', carried.dpop)
  return 4
}
