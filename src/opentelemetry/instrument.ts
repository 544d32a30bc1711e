/**
 * `instrument()`: OpenTelemetry metrics and spans from the library's own diagnostics channels. Nothing
 * here is loaded by the main entry; a process that never calls it pays nothing.
 */
import { subscribe, tracingChannel, unsubscribe } from 'node:diagnostics_channel'
import { type MeterProvider, metrics, type TracerProvider, trace } from '@opentelemetry/api'
import {
  TOKEN_CHANNEL,
  TOKEN_REQUEST_CHANNEL,
  type TokenLookupMessage,
  type TokenRequestContext,
} from '../diagnostics.js'
import { VERSION } from '../version.js'
import { createTokenMetrics } from './metrics.js'
import { SCOPE_NAME } from './names.js'
import { createTokenSpans } from './spans.js'

/**
 * Where {@link instrument} records.
 *
 * @example
 * ```ts
 * import { metrics, trace } from '@opentelemetry/api'
 * const options: InstrumentOptions = { meterProvider: metrics.getMeterProvider(), tracerProvider: trace.getTracerProvider() }
 * ```
 */
export interface InstrumentOptions {
  /**
   * The meter provider for the metrics.
   * @defaultValue the global one (`metrics.getMeterProvider()`, read when `instrument` is called)
   */
  meterProvider?: MeterProvider | undefined
  /**
   * The tracer provider for the spans.
   * @defaultValue the global one (`trace.getTracerProvider()`)
   */
  tracerProvider?: TracerProvider | undefined
}

const requests = tracingChannel<unknown, TokenRequestContext>(TOKEN_REQUEST_CHANNEL)

function ignore(): void {}

/**
 * Records the library's metrics and spans (see README "Observability") until the returned function is
 * called. Call it once, after your OpenTelemetry SDK is set up: every `TokenClient` in the process is
 * covered, those created before included. Spans of requests still under way when it stops are ended as
 * they are.
 *
 * @example
 * ```ts
 * import { instrument } from 'oauth-client-credentials/opentelemetry'
 *
 * const stop = instrument() // the global meter and tracer providers
 * // …
 * stop()
 * ```
 */
export function instrument(options: InstrumentOptions = {}): () => void {
  const meterProvider = options.meterProvider ?? metrics.getMeterProvider()
  const tracerProvider = options.tracerProvider ?? trace.getTracerProvider()
  const recorded = createTokenMetrics(meterProvider.getMeter(SCOPE_NAME, VERSION))
  const spans = createTokenSpans(tracerProvider.getTracer(SCOPE_NAME, VERSION))
  const onLookup = (message: unknown) => recorded.lookup(message as TokenLookupMessage)
  const handlers = {
    start(request: TokenRequestContext) {
      spans.start(request)
      recorded.requestStarted(request)
    },
    asyncEnd(request: TokenRequestContext) {
      spans.settle(request)
      recorded.requestSettled(request)
    },
    end: ignore,
    asyncStart: ignore,
    error: ignore,
  }
  subscribe(TOKEN_CHANNEL, onLookup)
  requests.subscribe(handlers)
  let stopped = false
  return () => {
    if (stopped) return
    stopped = true
    unsubscribe(TOKEN_CHANNEL, onLookup)
    requests.unsubscribe(handlers)
    spans.endAll()
  }
}
