/**
 * Request headers as the interceptor handles them: a flat `[name, value, …]` copy of whatever form the
 * caller gave, and the checks it makes on them.
 */
import type { Dispatcher } from 'undici'

type DispatchOptions = Dispatcher.DispatchOptions

/**
 * A copy of `headers` (an object, a flat array, an array of pairs or any iterable of pairs) as a flat array.
 *
 * @example
 * ```ts
 * headerList({ accept: 'application/json', 'x-many': ['a', 'b'] }) // ['accept', 'application/json', 'x-many', 'a', 'x-many', 'b']
 * ```
 */
export function headerList(headers: DispatchOptions['headers']): string[] {
  if (headers === undefined || headers === null) return []
  if (Array.isArray(headers) && !Array.isArray(headers[0])) return [...headers]
  const list: string[] = []
  const entries: Iterable<readonly [string, unknown]> = isIterable(headers)
    ? headers
    : Object.entries(headers)
  for (const [name, value] of entries) {
    if (value === undefined) continue
    for (const item of Array.isArray(value) ? value : [value])
      list.push(name, item === null ? '' : String(item))
  }
  return list
}

function isIterable(value: object): value is Iterable<readonly [string, unknown]> {
  return typeof (value as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function'
}

/**
 * Whether a flat header list holds `name` (lower case), in any case.
 *
 * @example
 * ```ts
 * hasHeader(['Authorization', 'Basic a'], 'authorization') // true
 * ```
 */
export function hasHeader(list: readonly string[], name: string): boolean {
  for (let i = 0; i < list.length; i += 2) if (list[i]?.toLowerCase() === name) return true
  return false
}

/**
 * A response header's value, several joined by commas as `Headers.get` joins them.
 *
 * @example
 * ```ts
 * headerValue(['Bearer realm="a"', 'Basic']) // 'Bearer realm="a", Basic'
 * ```
 */
export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value
}

/**
 * Whether a request body can be sent a second time: none, a string or bytes (a stream cannot).
 *
 * @example
 * ```ts
 * isReplayable(Buffer.from('{}')) // true
 * ```
 */
export function isReplayable(body: DispatchOptions['body']): boolean {
  return body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array
}
