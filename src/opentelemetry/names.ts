/**
 * The names the OpenTelemetry instrumentation records under, following OpenTelemetry's naming rules:
 * lower case, dot-separated namespaces, snake_case within one, units in UCUM (`s`, `{request}`) and never
 * in the name, the semantic conventions' own attributes (`server.address`, `server.port`, `error.type`)
 * where they apply, everything else under this library's namespace. README.md's "Observability" table
 * lists the same (a test compares them).
 */

/**
 * The instrumentation scope: the meter's and the tracer's name.
 *
 * @example
 * ```ts
 * meterProvider.getMeter(SCOPE_NAME, VERSION)
 * ```
 */
export const SCOPE_NAME = 'oauth-client-credentials'

/** This library's namespace for its own metric and attribute names. */
const NS = 'oauth_client_credentials'

/**
 * Attribute names.
 *
 * @example
 * ```ts
 * counter.add(1, { [ATTRIBUTES.cacheResult]: 'hit' })
 * ```
 */
export const ATTRIBUTES = {
  /** How a lookup was served: `hit`, `stale`, `miss`, `inflight`, `refresh`, `error`. */
  cacheResult: `${NS}.cache.result`,
  /** `success` or `error`. */
  outcome: `${NS}.token.request.outcome`,
  /** Whether the request was a background refresh. */
  background: `${NS}.token.request.background`,
  /** Attempts sent (1 + retries). */
  attempts: `${NS}.token.request.attempts`,
  /** The tenant asked for (spans only: unbounded). */
  tenant: `${NS}.tenant`,
  /** The scope (or v1 resource) asked for (spans only: unbounded). */
  scope: `${NS}.scope`,
  /** The token endpoint's host (semantic conventions). */
  serverAddress: 'server.address',
  /** The token endpoint's port (semantic conventions). */
  serverPort: 'server.port',
  /** The error's code, `ERR_…` (semantic conventions). */
  errorType: 'error.type',
} as const

/**
 * One metric instrument: its name, kind, unit and description.
 *
 * @example
 * ```ts
 * const lookups: MetricName = METRICS.lookups // { name: 'oauth_client_credentials.cache.lookups', kind: 'counter', … }
 * ```
 */
export interface MetricName {
  readonly name: string
  readonly kind: 'counter' | 'histogram'
  readonly unit: string
  readonly description: string
}

/**
 * Metric instruments.
 *
 * @example
 * ```ts
 * meter.createCounter(METRICS.lookups.name, { unit: METRICS.lookups.unit })
 * ```
 */
export const METRICS = {
  lookups: {
    name: `${NS}.cache.lookups`,
    kind: 'counter',
    unit: '{lookup}',
    description: 'Token lookups (getToken calls), by how the cache served them.',
  },
  requests: {
    name: `${NS}.token.requests`,
    kind: 'counter',
    unit: '{request}',
    description: 'Token requests sent to the authority (retries included in one), by outcome.',
  },
  requestDuration: {
    name: `${NS}.token.request.duration`,
    kind: 'histogram',
    unit: 's',
    description: 'Duration of token requests, retries and their waits included.',
  },
  remainingLifetime: {
    name: `${NS}.refresh.remaining_lifetime`,
    kind: 'histogram',
    unit: 's',
    description: 'Lifetime a cached token had left when a request to replace it started.',
  },
  backgroundFailures: {
    name: `${NS}.refresh.background_failures`,
    kind: 'counter',
    unit: '{failure}',
    description: 'Background refreshes that failed (the cached token stayed in service).',
  },
} as const satisfies Record<string, MetricName>

/**
 * The span of a token request.
 *
 * @example
 * ```ts
 * tracer.startSpan(SPAN_NAME, { kind: SpanKind.CLIENT })
 * ```
 */
export const SPAN_NAME = 'oauth token request'

/**
 * Histogram buckets for request durations, in seconds (retries with their waits reach a minute).
 *
 * @example
 * ```ts
 * meter.createHistogram(name, { unit: 's', advice: { explicitBucketBoundaries: DURATION_BUCKETS } })
 * ```
 */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

/**
 * Histogram buckets for remaining lifetimes, in seconds (refreshes start 5 min before expiry by default).
 *
 * @example
 * ```ts
 * meter.createHistogram(name, { unit: 's', advice: { explicitBucketBoundaries: LIFETIME_BUCKETS } })
 * ```
 */
export const LIFETIME_BUCKETS = [0, 30, 60, 120, 180, 240, 300, 600, 1800, 3600, 7200, 43200]
