/**
 * `/_console/events`: server-sent events to every open page. Each request seen is pushed as a
 * `request` event; changed registrations and faults as `registry` and `faults` events, checked on
 * each request and, while a page is open, every {@link WATCH_MS} (tests change them between requests).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ConsoleState } from './state.js'

/**
 * How often registrations and faults are compared with what the pages last got, while one is open.
 *
 * @example
 * ```ts
 * new EventHub(state, { watchMs: WATCH_MS })
 * ```
 */
export const WATCH_MS = 500

/**
 * The open event streams of one console.
 *
 * @example
 * ```ts
 * const hub = new EventHub(state)
 * hub.attach(req, res) // answers text/event-stream and keeps the response open
 * hub.close()
 * ```
 */
export class EventHub {
  readonly #state: ConsoleState
  readonly #watchMs: number
  readonly #streams = new Set<ServerResponse>()
  readonly #unsubscribe: () => void
  #timer: NodeJS.Timeout | undefined

  constructor(state: ConsoleState, options: { watchMs?: number } = {}) {
    this.#state = state
    this.#watchMs = options.watchMs ?? WATCH_MS
    this.#unsubscribe = state.onChange((change) => this.#send(change.event, state.json(change.data)))
  }

  /** Open streams. */
  get size(): number {
    return this.#streams.size
  }

  /** Answers with an event stream that stays open until the page goes or the console closes. */
  attach(req: IncomingMessage, res: ServerResponse, headers: Record<string, string>): void {
    res.writeHead(200, { ...headers, 'content-type': 'text/event-stream; charset=utf-8' })
    res.write('retry: 1000\n\n')
    this.#streams.add(res)
    this.#watch()
    req.socket.setKeepAlive(true)
    res.once('close', () => {
      this.#streams.delete(res)
      if (this.#streams.size === 0) this.#stopWatching()
    })
  }

  /** Ends every stream and stops watching. */
  close(): void {
    this.#unsubscribe()
    this.#stopWatching()
    for (const res of this.#streams) res.end()
    this.#streams.clear()
  }

  #send(event: string, json: string): void {
    for (const res of this.#streams) res.write(`event: ${event}\ndata: ${json}\n\n`)
  }

  #watch(): void {
    if (this.#timer !== undefined) return
    this.#timer = setInterval(() => this.#state.checkForChanges(), this.#watchMs)
    this.#timer.unref()
  }

  #stopWatching(): void {
    clearInterval(this.#timer)
    this.#timer = undefined
  }
}
