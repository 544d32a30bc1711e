/**
 * The metric instruments, and what each channel message records on them. Attributes stay of low
 * cardinality: no tenant, scope or cache key on a metric (spans carry those).
 */
import type { Meter } from '@opentelemetry/api'
import type { TokenLookupMessage, TokenRequestContext } from '../diagnostics.js'
import { requestAttributes, serverAttributes } from './attributes.js'
import { ATTRIBUTES, DURATION_BUCKETS, LIFETIME_BUCKETS, METRICS, type MetricName } from './names.js'

/**
 * What the channels' messages record.
 *
 * @example
 * ```ts
 * const recorded: TokenMetrics = createTokenMetrics(meter)
 * subscribe(TOKEN_CHANNEL, (message) => recorded.lookup(message as TokenLookupMessage))
 * ```
 */
export interface TokenMetrics {
  /** A message on the lookup channel. */
  lookup(message: TokenLookupMessage): void
  /** A token request started. */
  requestStarted(request: TokenRequestContext): void
  /** A token request settled. */
  requestSettled(request: TokenRequestContext): void
}

/**
 * The instruments on `meter`.
 *
 * @example
 * ```ts
 * const recorded = createTokenMetrics(meterProvider.getMeter(SCOPE_NAME))
 * recorded.lookup({ event: 'hit', key: 'contoso api://a/.default', durationMs: 0 })
 * ```
 */
export function createTokenMetrics(meter: Meter): TokenMetrics {
  const { lookups, requests, requestDuration, remainingLifetime, backgroundFailures } = METRICS
  const lookupCounter = meter.createCounter(lookups.name, optionsOf(lookups))
  const requestCounter = meter.createCounter(requests.name, optionsOf(requests))
  const durationHistogram = meter.createHistogram(requestDuration.name, {
    ...optionsOf(requestDuration),
    advice: { explicitBucketBoundaries: DURATION_BUCKETS },
  })
  const lifetimeHistogram = meter.createHistogram(remainingLifetime.name, {
    ...optionsOf(remainingLifetime),
    advice: { explicitBucketBoundaries: LIFETIME_BUCKETS },
  })
  const failureCounter = meter.createCounter(backgroundFailures.name, optionsOf(backgroundFailures))
  return {
    lookup(message) {
      // a background refresh is no caller's lookup: the caller's was `stale`
      if (message.background !== true) lookupCounter.add(1, { [ATTRIBUTES.cacheResult]: message.event })
      else if (message.event === 'error') {
        failureCounter.add(1, { [ATTRIBUTES.errorType]: message.errorCode ?? 'UNKNOWN' })
      }
    },
    requestStarted(request) {
      if (request.remainingLifetimeMs === undefined) return
      lifetimeHistogram.record(request.remainingLifetimeMs / 1000, {
        ...serverAttributes(request),
        [ATTRIBUTES.background]: request.background,
      })
    },
    requestSettled(request) {
      const attributes = requestAttributes(request)
      requestCounter.add(1, attributes)
      durationHistogram.record((request.durationMs ?? 0) / 1000, attributes)
    },
  }
}

function optionsOf(metric: MetricName): { unit: string; description: string } {
  return { unit: metric.unit, description: metric.description }
}
