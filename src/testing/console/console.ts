/**
 * Folder `console/`: the live console page, a reader of the registry, the request log and the
 * fault queue (it answers no token request).
 *
 * The local authority's console (`startLocalAuthority({ console: true })`, on by default in the
 * `emulator` command): the page at `/` and the API it reads, made of the state that follows the
 * request log, the event streams that push it, and the routes that serve both.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { EventHub } from './events.js'
import { answerConsole, isConsolePath } from './routes.js'
import { type ConsoleSources, ConsoleState } from './state.js'

/**
 * A running console.
 *
 * @example
 * ```ts
 * const console_ = startConsole({ url, store, log, faults, now: Date.now }, { scheme: 'http', hosts })
 * if (console_.handles(req)) console_.handle(req, res)
 * console_.close()
 * ```
 */
export interface LocalConsole {
  /** Whether the request is the console's (`/` or `/_console/…`). */
  handles(req: IncomingMessage): boolean
  /** Answers a console request (never throws). */
  handle(req: IncomingMessage, res: ServerResponse): void
  /** Ends the event streams and stops following the log. */
  close(): void
}

/**
 * Starts the console of one local authority.
 *
 * @example
 * ```ts
 * const console_ = startConsole(sources, { scheme: 'http', hosts: ['127.0.0.1:5312', 'localhost:5312'] })
 * ```
 */
export function startConsole(
  sources: ConsoleSources,
  listener: { scheme: 'http' | 'https'; hosts: readonly string[] },
): LocalConsole {
  const state = new ConsoleState(sources)
  const hub = new EventHub(state)
  const deps = { state, hub, faults: sources.faults, ...listener }
  return {
    handles: (req) => isConsolePath(pathOf(req.url)),
    handle: (req, res) => {
      answerConsole(req, res, deps).catch((error: unknown) => {
        if (res.headersSent) return void res.destroy()
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' })
        res.end(`console failure: ${error instanceof Error ? error.name : 'unknown error'}`)
      })
    },
    close: () => {
      hub.close()
      state.close()
    },
  }
}

function pathOf(url: string | undefined): string {
  const path = url ?? '/'
  const end = path.search(/[?#]/)
  return end < 0 ? path : path.slice(0, end)
}
