/**
 * What the local authority saw: every request (secrets and assertions redacted) and counters.
 */
import type { FaultKind } from '../faults/queue.js'
import type { RouteName } from './url-map.js'

/** Fields whose values never enter the log. */
const REDACTED_FIELDS = new Set(['client_secret', 'client_assertion'])

/**
 * The only other fields the log shows: those of a token request and of instance discovery, and the
 * telemetry MSAL sends. Any other field is counted, never shown: its name may be a secret itself (a
 * JSON body under a form content type arrives as one field whose name is the whole JSON).
 */
const PUBLIC_FIELDS = new Set([
  'grant_type',
  'client_id',
  'scope',
  'resource',
  'token_type',
  'client_assertion_type',
  'client_info',
  'claims',
  'api-version',
  'authorization_endpoint',
  'client-request-id',
  'return-client-request-id',
  'x-client-SKU',
  'x-client-VER',
  'x-client-OS',
  'x-client-CPU',
  'x-ms-lib-capability',
  'x-client-current-telemetry',
  'x-client-last-telemetry',
  'x-app-name',
  'x-app-ver',
  // managed-identity endpoints (docs/managed-identity.md §Emulation): identity selectors are ids, not secrets
  'object_id',
  'principal_id',
  'msi_res_id',
  'mi_res_id',
  'xms_cc',
])

/** In a public field's value, a sign that other fields ran into it (`;`, a line break, `=`, JSON). */
const RUN_IN = /[=;&"{}<>\p{Cc}]/u
const MAX_VALUE_CHARS = 4096
const REDACTED = '[redacted]'
/** The key under which unknown fields are counted. */
const OTHER_FIELDS = '[other fields]'

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
  /** The query string without `?` (empty when none), redacted as {@link redactForm} says. */
  query: string
  route: RouteName | 'unknown'
  /** The tenant segment of the path, as sent. */
  tenant?: string
  version?: 'v1' | 'v2'
  /** The client id the request claimed (form or Basic), lower case. */
  clientId?: string
  /**
   * Form fields as {@link redactForm} shows them: public fields as sent, `client_secret` and
   * `client_assertion` values `[redacted]`, other fields only counted.
   */
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
 * What the log shows of form (or query) fields: public fields as sent, `client_secret` and
 * `client_assertion` as `[redacted]`, a public field whose value shows that other fields ran into it
 * as `[redacted]`, and every other field only counted (`'[other fields]': '[2 redacted]'`).
 *
 * @example
 * ```ts
 * redactForm(new Map([['client_secret', 's3cret'], ['scope', 'openid']])) // { client_secret: '[redacted]', scope: 'openid' }
 * redactForm(new Map([['{"client_secret":"s3cret"}', '']]))               // { '[other fields]': '[1 redacted]' }
 * ```
 */
export function redactForm(fields: Iterable<readonly [string, string]>): Record<string, string> {
  const logged: Record<string, string> = {}
  let others = 0
  for (const [name, value] of fields) {
    if (REDACTED_FIELDS.has(name)) logged[name] = REDACTED
    else if (!PUBLIC_FIELDS.has(name)) others += 1
    else logged[name] = publicValue(value)
  }
  if (others > 0) logged[OTHER_FIELDS] = `[${others} redacted]`
  return logged
}

/**
 * A public field's value as the log shows it: as sent, or `[redacted]` when other fields ran into it.
 *
 * @example
 * ```ts
 * publicValue('55b2a7ec-73f3-45c2-af08-21ecc33dc40e') // as is
 * publicValue('x;client_secret=s3cret')               // '[redacted]'
 * ```
 */
export function publicValue(value: string): string {
  return RUN_IN.test(value) || value.length > MAX_VALUE_CHARS ? REDACTED : value
}

/**
 * A query string (without `?`) as the log shows it: as sent when every field may be shown, else
 * re-encoded from {@link redactForm}.
 *
 * @example
 * ```ts
 * redactQuery('api-version=1.1')              // 'api-version=1.1'
 * redactQuery('client_secret=s3cret&scope=x') // 'client_secret=%5Bredacted%5D&scope=x'
 * ```
 */
export function redactQuery(query: string): string {
  const fields = [...new URLSearchParams(query)]
  const logged = redactForm(fields)
  const unchanged = fields.every(([name, value]) => logged[name] === value) && !(OTHER_FIELDS in logged)
  return unchanged ? query : new URLSearchParams(logged).toString()
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
  /** Requests to the IMDS-shaped managed-identity endpoint. */
  imds: number
  /** Requests to the App Service-shaped managed-identity endpoint. */
  appService: number
  /** Requests to the Azure Arc-shaped managed-identity endpoint (challenges included). */
  arc: number
  /** Requests to the Azure ML-shaped managed-identity endpoint. */
  azureMl: number
  /** Requests to the Cloud Shell-shaped managed-identity endpoint. */
  cloudShell: number
  /** Requests to the Service Fabric-shaped managed-identity endpoint. */
  serviceFabric: number
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
  return {
    token: 0,
    issued: 0,
    metadata: 0,
    jwks: 0,
    discovery: 0,
    imds: 0,
    appService: 0,
    arc: 0,
    azureMl: 0,
    cloudShell: 0,
    serviceFabric: 0,
    tokenByClient: {},
  }
}
