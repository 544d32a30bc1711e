/**
 * What the local authority saw: every request (secrets and assertions redacted) and counters.
 */
import type { FaultKind } from '../faults/queue.js'
import type { RouteName } from './url-map.js'

/** Form fields whose values never enter the log. */
const REDACTED_FIELDS = new Set(['client_secret', 'client_assertion'])

/**
 * One request as logged.
 *
 * @example
 * ```ts
 * const entry: LoggedRequest | undefined = authority.requests.last()
 * entry?.form?.client_secret // '[redacted]'
 * ```
 */
export interface LoggedRequest {
  /** Epoch ms (from the authority's clock). */
  at: number
  method: string
  path: string
  /** The query string without `?` (empty when none). */
  query: string
  route: RouteName | 'unknown'
  /** The tenant segment of the path, as sent. */
  tenant?: string
  version?: 'v1' | 'v2'
  /** The client id the request claimed (form or Basic), lower case. */
  clientId?: string
  /** Form fields, `client_secret` and `client_assertion` values replaced by `[redacted]`. */
  form?: Record<string, string>
  /** Whether an `Authorization: Basic` header was sent (its value is never logged). */
  basicAuth?: boolean
  contentType?: string
  clientRequestId?: string
  /** `x-ms-request-id` of the answer. */
  traceId: string
  /** HTTP status answered, or `'dropped'`. */
  status: number | 'dropped'
  /** AADSTS codes of an error answer. */
  errorCodes?: number[]
  fault?: FaultKind
  /** The decoded header and claims of the token issued, when one was (never the token itself). */
  token?: DecodedToken
}

/**
 * The decoded JOSE header and claims of an issued access token: what it says, without the token
 * string or its signature.
 *
 * @example
 * ```ts
 * const roles: unknown = authority.requests.last()?.token?.claims.roles // ['Admin']
 * ```
 */
export interface DecodedToken {
  header: Record<string, unknown>
  claims: Record<string, unknown>
}

/**
 * Redacts credential values from form fields.
 *
 * @example
 * ```ts
 * redactForm(new Map([['client_secret', 's3cret']])) // { client_secret: '[redacted]' }
 * ```
 */
export function redactForm(fields: ReadonlyMap<string, string>): Record<string, string> {
  return Object.fromEntries(
    [...fields].map(([name, value]) => [name, REDACTED_FIELDS.has(name) ? '[redacted]' : value]),
  )
}

/**
 * Request counts.
 *
 * @example
 * ```ts
 * const { token, issued, tokenByClient } = authority.counters
 * ```
 */
export interface Counters {
  /** Requests to the token endpoints (v1 and v2), faulted or not. */
  token: number
  /** Tokens actually issued. */
  issued: number
  metadata: number
  jwks: number
  discovery: number
  /** Token requests by claimed client id. */
  tokenByClient: Record<string, number>
}

/**
 * The log of one local authority.
 *
 * @example
 * ```ts
 * authority.requests.last()?.status // 200
 * authority.requests.all().filter((r) => r.route === 'token').length
 * authority.requests.clear()
 * ```
 */
export class RequestLog implements Iterable<LoggedRequest> {
  #entries: LoggedRequest[] = []
  #counters: Counters = emptyCounters()
  readonly #listeners = new Set<(entry: LoggedRequest) => void>()

  /** Every logged request, oldest first (a copy). */
  all(): LoggedRequest[] {
    return [...this.#entries]
  }

  /** The latest request. */
  last(): LoggedRequest | undefined {
    return this.#entries.at(-1)
  }

  /** Number of logged requests. */
  get length(): number {
    return this.#entries.length
  }

  /** Current counts (a copy). */
  get counters(): Counters {
    return { ...this.#counters, tokenByClient: { ...this.#counters.tokenByClient } }
  }

  /** Forgets every request and resets the counters. */
  clear(): void {
    this.#entries = []
    this.#counters = emptyCounters()
  }

  /**
   * Calls `listener` with each request recorded from now on, until the returned function is called.
   *
   * @example
   * ```ts
   * const stop = authority.requests.subscribe((entry) => seen.push(entry.status))
   * stop()
   * ```
   */
  subscribe(listener: (entry: LoggedRequest) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Records a request (internal). */
  record(entry: LoggedRequest, issued: boolean): void {
    this.#entries.push(entry)
    this.#count(entry, issued)
    for (const listener of this.#listeners) listener(entry)
  }

  #count(entry: LoggedRequest, issued: boolean): void {
    if (entry.route === 'unknown') return
    this.#counters[entry.route] += 1
    if (issued) this.#counters.issued += 1
    if (entry.route === 'token' && entry.clientId !== undefined) {
      this.#counters.tokenByClient[entry.clientId] = (this.#counters.tokenByClient[entry.clientId] ?? 0) + 1
    }
  }

  [Symbol.iterator](): Iterator<LoggedRequest> {
    return this.all()[Symbol.iterator]()
  }
}

function emptyCounters(): Counters {
  return { token: 0, issued: 0, metadata: 0, jwks: 0, discovery: 0, tokenByClient: {} }
}
