/**
 * What the console shows, kept up to date: the rows of the requests seen since it started (the
 * newest {@link MAX_ROWS}), the registrations and the pending faults. Everything leaves as JSON text
 * through {@link ConsoleState.json}, which also blanks any registered secret value and any JWT (an
 * assertion, a token) that reached a shown string by mistake: a secret sent as the scope, an
 * assertion appended to the path.
 */
import type { Fault, FaultQueue } from '../faults/queue.js'
import type { LoggedRequest, RequestLog } from '../http/request-log.js'
import type { RegistryStore } from '../registry/store.js'
import { type RegistryView, registryView } from './registry-view.js'
import { type RequestRow, requestRow } from './request-rows.js'

/**
 * Rows kept (older ones are dropped from the console, not from `authority.requests`).
 *
 * @example
 * ```ts
 * state.rows.length <= MAX_ROWS // true
 * ```
 */
export const MAX_ROWS = 500

/** Shorter registered secrets are not blanked (they would blank ordinary words). */
const MIN_SECRET_LENGTH = 6

/** A compact JWT (JWS or JWE): a base64url JSON header (`eyJ…`) and more dot-separated parts. */
const JWT_PATTERN = /eyJ[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*)+/g

/**
 * A pending fault as shown (`times` is `'unlimited'` for a fault that never runs out).
 *
 * @example
 * ```ts
 * const shown: FaultView = { kind: 'status429', retryAfter: 5, times: 1 }
 * ```
 */
export type FaultView = WithoutTimes<Fault>
type WithoutTimes<T> = T extends unknown ? Omit<T, 'times'> & { times: number | 'unlimited' } : never

/**
 * The whole state, as `/_console/state` answers it.
 *
 * @example
 * ```ts
 * const snapshot = JSON.parse(state.json(state.snapshot())) as ConsoleSnapshot
 * ```
 */
export interface ConsoleSnapshot {
  authority: { url: string }
  registry: RegistryView
  faults: FaultView[]
  /** Newest first. */
  requests: RequestRow[]
}

/**
 * A change to push to the page.
 *
 * @example
 * ```ts
 * state.onChange((change: ConsoleChange) => hub.send(change.event, state.json(change.data)))
 * ```
 */
export type ConsoleChange =
  | { event: 'request'; data: RequestRow }
  | { event: 'registry'; data: RegistryView }
  | { event: 'faults'; data: FaultView[] }

/**
 * The parts of a local authority the console reads.
 *
 * @example
 * ```ts
 * new ConsoleState({ url, store, log, faults, now: Date.now })
 * ```
 */
export interface ConsoleSources {
  url: string
  store: RegistryStore
  log: RequestLog
  faults: FaultQueue
  now: () => number
}

/**
 * The console's model of one local authority.
 *
 * @example
 * ```ts
 * const state = new ConsoleState(sources)
 * const stop = state.onChange((change) => console.log(change.event))
 * state.close()
 * ```
 */
export class ConsoleState {
  readonly #sources: ConsoleSources
  readonly #rows: RequestRow[] = []
  readonly #listeners = new Set<(change: ConsoleChange) => void>()
  readonly #unsubscribe: () => void
  #seq = 0
  #lastRegistry = ''
  #lastFaults = ''

  constructor(sources: ConsoleSources) {
    this.#sources = sources
    this.#unsubscribe = sources.log.subscribe((entry) => this.#record(entry))
    this.#lastRegistry = JSON.stringify(this.registry())
    this.#lastFaults = JSON.stringify(this.faults())
  }

  /** The rows kept, newest first. */
  get rows(): RequestRow[] {
    return [...this.#rows].reverse()
  }

  /** The registrations, as shown. */
  registry(): RegistryView {
    return registryView(this.#sources.store, this.#sources.now())
  }

  /** The faults not yet used up. */
  faults(): FaultView[] {
    return this.#sources.faults.pending.map((fault) => ({
      ...fault,
      times: Number.isFinite(fault.times) ? fault.times : 'unlimited',
    }))
  }

  /** Everything the page shows. */
  snapshot(): ConsoleSnapshot {
    return {
      authority: { url: this.#sources.url },
      registry: this.registry(),
      faults: this.faults(),
      requests: this.rows,
    }
  }

  /** Calls `listener` with each change from now on, until the returned function is called. */
  onChange(listener: (change: ConsoleChange) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Reports registrations or faults changed since last reported (tests and the page may change them). */
  checkForChanges(): void {
    const registry = this.registry()
    const registryText = JSON.stringify(registry)
    if (registryText !== this.#lastRegistry) {
      this.#lastRegistry = registryText
      this.#emit({ event: 'registry', data: registry })
    }
    const faults = this.faults()
    const faultsText = JSON.stringify(faults)
    if (faultsText !== this.#lastFaults) {
      this.#lastFaults = faultsText
      this.#emit({ event: 'faults', data: faults })
    }
  }

  /** JSON text of `value`, every registered secret value and every JWT in its strings blanked. */
  json(value: unknown): string {
    const secrets = this.#secretValues()
    return JSON.stringify(value, (_key, item: unknown) => {
      if (typeof item !== 'string') return item
      let text = item.replace(JWT_PATTERN, '[jwt redacted]')
      for (const secret of secrets) text = text.replaceAll(secret, '[redacted]')
      return text
    })
  }

  /** Stops following the request log. */
  close(): void {
    this.#unsubscribe()
    this.#listeners.clear()
  }

  #record(entry: LoggedRequest): void {
    this.#seq += 1
    const row = requestRow(entry, this.#seq, this.#sources.store)
    this.#rows.push(row)
    if (this.#rows.length > MAX_ROWS) this.#rows.splice(0, this.#rows.length - MAX_ROWS)
    this.#emit({ event: 'request', data: row })
    this.checkForChanges()
  }

  #emit(change: ConsoleChange): void {
    for (const listener of this.#listeners) listener(change)
  }

  #secretValues(): string[] {
    const values: string[] = []
    for (const client of this.#sources.store.clients.values()) {
      for (const { value } of client.secrets) if (value.length >= MIN_SECRET_LENGTH) values.push(value)
    }
    return values
  }
}
