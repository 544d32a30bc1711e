/**
 * `oauth-client-credentials/opentelemetry`: OpenTelemetry metrics and spans for token lookups and
 * requests, on `@opentelemetry/api` (an optional peer dependency). The main entry never loads it.
 *
 * @example
 * ```ts
 * import { instrument } from 'oauth-client-credentials/opentelemetry'
 * const stop = instrument({ meterProvider, tracerProvider })
 * ```
 */
import '../node-guard.js' // first: refuses Node.js < 22.19 before any dependency loads

export { type InstrumentOptions, instrument } from './instrument.js'
