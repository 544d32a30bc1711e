/**
 * One CLIENT span per token request, a child of the context that was active when the request started
 * (the caller's `getToken`: the tracing channel's `start` runs in it). Cache hits start none. A span
 * names the server, tenant, scope, attempts, outcome and error code; never a secret, a token or an
 * assertion, and no error message (a credential callback's error is the app's own text).
 */
import { context, type Span, SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api'
import type { TokenRequestContext } from '../diagnostics.js'
import { spanEndAttributes, spanStartAttributes } from './attributes.js'
import { SPAN_NAME } from './names.js'

/**
 * The spans of the requests under way.
 *
 * @example
 * ```ts
 * const spans: TokenSpans = createTokenSpans(tracer)
 * ```
 */
export interface TokenSpans {
  /** A request started: its span starts. */
  start(request: TokenRequestContext): void
  /** A request settled: its span ends, with what became known. */
  settle(request: TokenRequestContext): void
  /** Ends the spans of the requests still under way (instrumentation stopping). */
  endAll(): void
}

/**
 * Spans for token requests, from `tracer`.
 *
 * @example
 * ```ts
 * const spans = createTokenSpans(tracerProvider.getTracer(SCOPE_NAME))
 * spans.start(request) // on the tracing channel's start
 * spans.settle(request) // on its asyncEnd
 * ```
 */
export function createTokenSpans(tracer: Tracer): TokenSpans {
  const open = new Map<TokenRequestContext, Span>()
  return {
    start(request) {
      const attributes = spanStartAttributes(request)
      const span = tracer.startSpan(SPAN_NAME, { kind: SpanKind.CLIENT, attributes }, context.active())
      open.set(request, span)
    },
    settle(request) {
      const span = open.get(request)
      if (span === undefined) return
      open.delete(request)
      span.setAttributes(spanEndAttributes(request))
      if (request.outcome !== 'success') {
        span.setStatus({ code: SpanStatusCode.ERROR, message: request.errorCode ?? 'UNKNOWN' })
      }
      span.end()
    },
    endAll() {
      for (const span of open.values()) span.end()
      open.clear()
    },
  }
}
