/**
 * Node's global `fetch` runs on the undici bundled with Node (7.x), whose handlers speak the old
 * callback API (`onConnect`, `onHeaders`, `onData`, `onComplete`, `onError`); the Agent presenting the
 * client certificate comes from the undici package (8.x), which takes only the new one. This adapter lets
 * `fetch(url, { dispatcher })` use that Agent, so that `authorizedFetch` on the global fetch sends bound
 * tokens over the certificate's connection (docs/sender-constrained.md §3).
 */
import type { Dispatcher } from 'undici'

type Handler = Dispatcher.DispatchHandler
type Controller = Dispatcher.DispatchController
type IncomingHeaders = Parameters<NonNullable<Handler['onResponseStart']>>[2]
type Socket = Parameters<NonNullable<Handler['onRequestUpgrade']>>[3]

/** The callbacks of an old-style handler (what Node's bundled fetch passes). */
interface LegacyHandler {
  onConnect?(abort: (reason?: Error) => void, context?: unknown): void
  onUpgrade?(statusCode: number, rawHeaders: Buffer[], socket: Socket): void
  onHeaders?(statusCode: number, rawHeaders: Buffer[], resume: () => void, statusText: string): boolean
  onData?(chunk: Buffer): boolean
  onComplete?(rawTrailers: Buffer[]): void
  onError?(error: Error): void
  onBodySent?(chunk: unknown): void
  onRequestSent?(): void
}

/**
 * `dispatcher`, taking old-style handlers too (each wrapped in the new API).
 *
 * @example
 * ```ts
 * await fetch(url, { dispatcher: acceptingLegacyHandlers(agent) }) // Node's global fetch
 * ```
 */
export function acceptingLegacyHandlers(dispatcher: Dispatcher): Dispatcher {
  return dispatcher.compose(
    (dispatch) =>
      function legacyHandlers(opts, handler) {
        const legacy = handler as unknown as LegacyHandler & Partial<Handler>
        const modern =
          typeof legacy.onRequestStart === 'function' ? handler : new WrappedLegacyHandler(legacy)
        return dispatch(opts, modern)
      },
  )
}

class WrappedLegacyHandler implements Handler {
  readonly #handler: LegacyHandler

  constructor(handler: LegacyHandler) {
    this.#handler = handler
  }

  onRequestStart(controller: Controller, context: unknown): void {
    this.#handler.onConnect?.((reason) => controller.abort(reason ?? new Error('aborted')), context)
  }

  onRequestUpgrade(_c: Controller, statusCode: number, headers: IncomingHeaders, socket: Socket): void {
    this.#handler.onUpgrade?.(statusCode, rawHeaders(headers), socket)
  }

  onResponseStart(
    controller: Controller,
    statusCode: number,
    headers: IncomingHeaders,
    statusMessage?: string,
  ): void {
    const resume = () => controller.resume()
    if (this.#handler.onHeaders?.(statusCode, rawHeaders(headers), resume, statusMessage ?? '') === false)
      controller.pause()
  }

  onResponseData(controller: Controller, chunk: Buffer): void {
    if (this.#handler.onData?.(chunk) === false) controller.pause()
  }

  onResponseEnd(_c: Controller, trailers: IncomingHeaders): void {
    this.#handler.onComplete?.(rawHeaders(trailers))
  }

  onResponseError(_c: Controller, error: Error): void {
    this.#handler.onError?.(error)
  }

  onBodySent(chunk: Buffer): void {
    this.#handler.onBodySent?.(chunk)
  }

  onRequestSent(): void {
    this.#handler.onRequestSent?.()
  }
}

/** `{ name: value | values }` → `[name, value, name, value…]` as Buffers, one pair per value. */
function rawHeaders(headers: IncomingHeaders | undefined): Buffer[] {
  const raw: Buffer[] = []
  for (const [name, value] of Object.entries(headers ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined) raw.push(Buffer.from(name, 'latin1'), Buffer.from(String(item), 'latin1'))
    }
  }
  return raw
}
