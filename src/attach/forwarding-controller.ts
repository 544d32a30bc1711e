/**
 * The one controller the caller's handler sees across the interceptor's attempts (the first, and the
 * retry after a 401): it acts on the attempt under way and keeps an abort or a pause for the next one.
 */
import type { Dispatcher } from 'undici'

type DispatchController = Dispatcher.DispatchController
type RawHeaders = Exclude<DispatchController['rawHeaders'], undefined>

/**
 * Forwards to the controller of the attempt under way (`target`), and carries an abort or a pause over
 * to the next attempt.
 *
 * @example
 * ```ts
 * const controller = new ForwardingController()
 * handler.onRequestStart?.(controller, context) // the caller's handler keeps this one
 * controller.target = attemptController          // each attempt's own, as it starts
 * ```
 */
export class ForwardingController implements DispatchController {
  #target: DispatchController | undefined
  #reason: Error | null = null
  #paused = false

  set target(controller: DispatchController) {
    this.#target = controller
    if (this.#reason !== null) controller.abort(this.#reason)
    else if (this.#paused) controller.pause()
  }

  get aborted(): boolean {
    return this.#reason !== null || (this.#target?.aborted ?? false)
  }

  get paused(): boolean {
    return this.#paused
  }

  get reason(): Error | null {
    return this.#reason ?? this.#target?.reason ?? null
  }

  get rawHeaders(): RawHeaders {
    return this.#target?.rawHeaders ?? null
  }

  get rawTrailers(): RawHeaders {
    return this.#target?.rawTrailers ?? null
  }

  abort(reason: Error): void {
    this.#reason ??= reason
    this.#target?.abort(reason)
  }

  pause(): void {
    this.#paused = true
    this.#target?.pause()
  }

  resume(): void {
    this.#paused = false
    this.#target?.resume()
  }
}
