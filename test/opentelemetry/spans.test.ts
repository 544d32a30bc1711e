/**
 * The spans of token requests, fed hand-made request contexts: one per request, ended once, and the
 * spans still open ended when the instrumentation stops.
 */
import { SpanStatusCode } from '@opentelemetry/api'
import { describe, expect, it } from 'vitest'
import type { TokenRequestContext } from '../../src/diagnostics.js'
import { ATTRIBUTES, SCOPE_NAME, SPAN_NAME } from '../../src/opentelemetry/names.js'
import { createTokenSpans } from '../../src/opentelemetry/spans.js'
import { inMemorySdk } from './sdk.js'

const request = (settled: Partial<TokenRequestContext> = {}): TokenRequestContext => ({
  serverAddress: 'login.microsoftonline.com',
  serverPort: 443,
  tenant: undefined,
  scope: undefined,
  background: false,
  remainingLifetimeMs: undefined,
  attempts: 0,
  outcome: undefined,
  errorCode: undefined,
  durationMs: undefined,
  ...settled,
})

function setup() {
  const sdk = inMemorySdk()
  return { sdk, spans: createTokenSpans(sdk.tracerProvider.getTracer(SCOPE_NAME)) }
}

describe('createTokenSpans', () => {
  it('ends a span once, when its request settles; a request it never started ends nothing', () => {
    const { sdk, spans } = setup()
    const started = request()
    spans.start(started)
    Object.assign(started, { attempts: 3, outcome: 'error', errorCode: 'ERR_TOKEN_REQUEST_FAILED' })
    spans.settle(started)
    spans.settle(started)
    spans.settle(request())
    const [span, ...others] = sdk.spans()
    expect(others).toEqual([])
    expect(span?.attributes).toEqual({
      'server.address': 'login.microsoftonline.com',
      'server.port': 443,
      [ATTRIBUTES.background]: false,
      [ATTRIBUTES.attempts]: 3,
      [ATTRIBUTES.outcome]: 'error',
      [ATTRIBUTES.errorType]: 'ERR_TOKEN_REQUEST_FAILED',
    })
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'ERR_TOKEN_REQUEST_FAILED' })
  })

  it('ends the spans still open when told to, and only those', () => {
    const { sdk, spans } = setup()
    const settled = request()
    spans.start(settled)
    spans.start(request())
    spans.start(request())
    spans.settle(Object.assign(settled, { attempts: 1, outcome: 'success' }))
    spans.endAll()
    spans.endAll()
    expect(sdk.spans().map((s) => [s.name, s.attributes[ATTRIBUTES.outcome]])).toEqual([
      [SPAN_NAME, 'success'],
      [SPAN_NAME, undefined],
      [SPAN_NAME, undefined],
    ])
  })
})
