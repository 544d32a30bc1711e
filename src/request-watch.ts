/**
 * Where undici really sends a request. Every copy of undici in the process (the npm package, whatever its
 * version, and the one inside Node) publishes each request it creates on the `undici:request:create`
 * diagnostics channel, with the origin, path and headers it will be sent with: after every interceptor
 * of the dispatcher has had its say, and before a byte of it is written. A token request is recognised
 * by its `client-request-id` header; the channel is subscribed to only while one is watched.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel'

/** undici's channel for each request it creates (a documented, public channel). */
export const REQUEST_CREATE_CHANNEL = 'undici:request:create'
/** The header a watched request is recognised by. */
export const WATCH_HEADER = 'client-request-id'

/**
 * A request as undici created it: where it goes and the `Host` header it will carry.
 *
 * @example
 * ```ts
 * const created: CreatedRequest = { origin: 'https://login.microsoftonline.com', path: '/t/oauth2/v2.0/token', host: undefined }
 * ```
 */
export interface CreatedRequest {
  readonly origin: string
  readonly path: string
  readonly host: string | undefined
}

type Watcher = (request: CreatedRequest) => void
const watchers = new Map<string, Watcher>()

/**
 * Calls `watcher` for each request undici creates with `client-request-id: id`, until the returned
 * function is called. `id` must be unique (a UUID).
 *
 * @example
 * ```ts
 * const stop = watchRequests(clientRequestId, (created) => check(created.origin, created.path))
 * try { await send() } finally { stop() }
 * ```
 */
export function watchRequests(id: string, watcher: Watcher): () => void {
  if (watchers.size === 0) subscribe(REQUEST_CREATE_CHANNEL, onCreate)
  watchers.set(id, watcher)
  return () => {
    if (watchers.get(id) !== watcher) return
    watchers.delete(id)
    if (watchers.size === 0) unsubscribe(REQUEST_CREATE_CHANNEL, onCreate)
  }
}

/** How many requests are watched (tests: nothing stays subscribed). */
export function watchedRequests(): number {
  return watchers.size
}

function onCreate(message: unknown): void {
  const request = (message as { request?: unknown } | null)?.request
  if (typeof request !== 'object' || request === null) return
  const { origin, path, headers, host } = request as Record<string, unknown>
  const id = headerValue(headers, WATCH_HEADER)
  const watcher = id === undefined ? undefined : watchers.get(id)
  if (watcher === undefined || typeof path !== 'string') return
  if (typeof origin !== 'string' && !(origin instanceof URL)) return
  watcher({
    origin: origin instanceof URL ? origin.origin : origin,
    path,
    host: typeof host === 'string' ? host : headerValue(headers, 'host'),
  })
}

/**
 * A header of a created request: undici 7 and later keep a flat `[name, value, …]` list, undici 6 and
 * earlier one `name: value\r\n` string.
 */
function headerValue(headers: unknown, name: string): string | undefined {
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) {
      const key: unknown = headers[i]
      const value: unknown = headers[i + 1]
      if (typeof key === 'string' && key.toLowerCase() === name && typeof value === 'string') return value
    }
    return undefined
  }
  if (typeof headers !== 'string') return undefined
  for (const line of headers.split('\r\n')) {
    const colon = line.indexOf(':')
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === name) return line.slice(colon + 1).trim()
  }
  return undefined
}
