/**
 * `instrument()` against the OpenTelemetry SDK in memory, after a scripted run of a real client on a
 * loopback token endpoint: two callers joining one miss, two hits, a miss retried after a 429, a refused
 * scope, a stale answer whose background refresh fails, and a forced refresh. Every instrument is read
 * back with its values; durations and lifetimes are exact (the endpoint moves the client's clock).
 */
import { type Attributes, metrics, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { TokenClient } from '../../src/client.js'
import { instrument } from '../../src/opentelemetry/index.js'
import { ATTRIBUTES, METRICS, SPAN_NAME } from '../../src/opentelemetry/names.js'
import { useLoopbackGuard } from '../helpers/loopback-guard.js'
import { CLIENT_ID, manualClock, SECRET, TENANT } from '../helpers/token-endpoint.js'
import { errorAnswer, REQUEST_MS, startAuthority, tokenAnswer } from './authority.js'
import { inMemorySdk, type Point, useContextManager } from './sdk.js'

useLoopbackGuard()
useContextManager()

const SCOPE = { a: 'api://a/.default', b: 'api://b/.default', c: 'api://c/.default' }
const MINUTE = 60_000
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function setup() {
  const clock = manualClock()
  const authority = await startAuthority(
    {
      [SCOPE.a]: [
        tokenAnswer('token-a1'),
        errorAnswer(503, 'temporarily_unavailable'),
        tokenAnswer('token-a3'),
      ],
      [SCOPE.b]: [errorAnswer(429, 'throttled', { 'retry-after': '0' }), tokenAnswer('token-b')],
      [SCOPE.c]: [errorAnswer(400, 'invalid_scope')],
    },
    clock,
  )
  const sdk = inMemorySdk()
  cleanups.push(
    () => authority.close(),
    () => sdk.shutdown(),
  )
  const client = new TokenClient({
    tenant: TENANT,
    clientId: CLIENT_ID,
    credential: { clientSecret: SECRET },
    authorityHost: authority.url,
    clock,
  })
  return { clock, authority, sdk, client, tracer: sdk.tracerProvider.getTracer('the app') }
}

/** The scripted run; returns the span ids of the two callers that had a span active. */
async function scriptedRun({ clock, client, tracer, sdk }: Awaited<ReturnType<typeof setup>>) {
  const caller = await tracer.startActiveSpan('caller', async (span) => {
    await Promise.all([client.getToken('api://a'), client.getToken('api://a')]) // a miss, joined
    span.end()
    return span.spanContext().spanId
  })
  await client.getToken('api://a') // hits
  await client.getToken('api://a')
  await client.getToken('api://b') // a miss: 429, then a token
  await expect(client.getToken('api://c')).rejects.toMatchObject({ code: 'ERR_AUTHORITY_REJECTED' })
  clock.advance(56 * MINUTE) // 4 min left: due for refresh
  const staleCaller = await tracer.startActiveSpan('stale caller', async (span) => {
    await client.getToken('api://a') // stale: its background refresh fails (503)
    span.end()
    return span.spanContext().spanId
  })
  await vi.waitFor(() => expect(sdk.spans().filter((s) => s.name === SPAN_NAME)).toHaveLength(4))
  await client.getToken('api://a', { forceRefresh: true })
  return { caller, staleCaller }
}

/** The points of `name`, as `[attributes, value or histogram]`, sorted for comparison. */
async function read(sdk: ReturnType<typeof inMemorySdk>, name: string) {
  const points = await sdk.points(name)
  const key = (p: Point) => JSON.stringify(Object.entries(p.attributes).sort())
  return points.sort((x, y) => key(x).localeCompare(key(y)))
}

const server = (port: number): Attributes => ({ 'server.address': '127.0.0.1', 'server.port': port })

describe('instrument(): metrics after a scripted run', () => {
  it('counts lookups by result; a background refresh is no lookup', async () => {
    const run = await setup()
    cleanups.push(instrument(run.sdk))
    await scriptedRun(run)
    const counts = Object.fromEntries(
      (await run.sdk.points(METRICS.lookups.name)).map((p) => [
        p.attributes[ATTRIBUTES.cacheResult],
        p.value,
      ]),
    )
    expect(counts).toEqual({ miss: 2, inflight: 1, hit: 2, error: 1, stale: 1, refresh: 1 })
  })

  it('counts token requests and their duration in seconds, by server, outcome, background and error code', async () => {
    const run = await setup()
    cleanups.push(instrument(run.sdk))
    await scriptedRun(run)
    const rejected = { [ATTRIBUTES.outcome]: 'error', [ATTRIBUTES.errorType]: 'ERR_AUTHORITY_REJECTED' }
    const sets = [
      { ...server(run.authority.port), [ATTRIBUTES.background]: false, ...rejected },
      { ...server(run.authority.port), [ATTRIBUTES.background]: false, [ATTRIBUTES.outcome]: 'success' },
      { ...server(run.authority.port), [ATTRIBUTES.background]: true, ...rejected },
    ]
    const requests = await read(run.sdk, METRICS.requests.name)
    expect(requests.map((p) => [p.attributes, p.value])).toEqual(
      expect.arrayContaining([
        [sets[0], 1],
        [sets[1], 3], // the first miss, the 429 retried, the forced refresh
        [sets[2], 1],
      ]),
    )
    expect(requests).toHaveLength(3)
    const durations = await read(run.sdk, METRICS.requestDuration.name)
    const seconds = REQUEST_MS / 1000
    expect(durations.map((p) => [p.attributes, p.histogram?.count, p.histogram?.sum])).toEqual(
      expect.arrayContaining([
        [sets[0], 1, seconds],
        [sets[1], 3, 4 * seconds], // the retried request took two requests' time
        [sets[2], 1, seconds],
      ]),
    )
    expect(durations.find((p) => p.histogram?.count === 3)?.histogram?.max).toBe(2 * seconds)
  })

  it('records what a token had left when a request to replace it started, and counts failed background refreshes', async () => {
    const run = await setup()
    cleanups.push(instrument(run.sdk))
    await scriptedRun(run)
    // token a1 was requested at 0 and lives 3600 s; the background refresh started after three requests
    // and 56 minutes, the forced refresh one request later
    const startedAt = 4 * REQUEST_MS + 56 * MINUTE
    const lifetimes = await read(run.sdk, METRICS.remainingLifetime.name)
    expect(lifetimes.map((p) => [p.attributes, p.histogram?.count, p.histogram?.sum])).toEqual([
      [
        { ...server(run.authority.port), [ATTRIBUTES.background]: false },
        1,
        3600 - (startedAt + REQUEST_MS) / 1000,
      ],
      [{ ...server(run.authority.port), [ATTRIBUTES.background]: true }, 1, 3600 - startedAt / 1000],
    ])
    const failures = await run.sdk.points(METRICS.backgroundFailures.name)
    expect(failures.map((p) => [p.attributes, p.value])).toEqual([
      [{ [ATTRIBUTES.errorType]: 'ERR_AUTHORITY_REJECTED' }, 1],
    ])
  })
})

describe('instrument(): spans after a scripted run', () => {
  it("starts one CLIENT span per token request, a child of the caller's active span, and none for hits", async () => {
    const run = await setup()
    cleanups.push(instrument(run.sdk))
    const { caller, staleCaller } = await scriptedRun(run)
    const spans = run.sdk.spans().filter((s) => s.name === SPAN_NAME)
    expect(spans.map((s) => s.attributes[ATTRIBUTES.scope])).toEqual([
      SCOPE.a,
      SCOPE.b,
      SCOPE.c,
      SCOPE.a,
      SCOPE.a,
    ])
    expect(spans.every((s) => s.kind === SpanKind.CLIENT)).toBe(true)
    expect(spans.map((s) => s.parentSpanContext?.spanId)).toEqual([
      caller,
      undefined,
      undefined,
      staleCaller,
      undefined,
    ])
    expect(spans.map((s) => s.instrumentationScope.name)).toEqual(Array(5).fill('oauth-client-credentials'))
  })

  it('names the server, tenant, scope, attempts, outcome and error code, and marks failures', async () => {
    const run = await setup()
    cleanups.push(instrument(run.sdk))
    await scriptedRun(run)
    const [first, retried, refused, background] = run.sdk.spans().filter((s) => s.name === SPAN_NAME)
    expect(first?.attributes).toEqual({
      ...server(run.authority.port),
      [ATTRIBUTES.tenant]: TENANT,
      [ATTRIBUTES.scope]: SCOPE.a,
      [ATTRIBUTES.background]: false,
      [ATTRIBUTES.attempts]: 1,
      [ATTRIBUTES.outcome]: 'success',
    })
    expect(first?.status.code).toBe(SpanStatusCode.UNSET)
    expect(retried?.attributes).toMatchObject({ [ATTRIBUTES.attempts]: 2, [ATTRIBUTES.outcome]: 'success' })
    expect(refused?.attributes).toMatchObject({
      [ATTRIBUTES.attempts]: 1,
      [ATTRIBUTES.outcome]: 'error',
      [ATTRIBUTES.errorType]: 'ERR_AUTHORITY_REJECTED',
    })
    expect(refused?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'ERR_AUTHORITY_REJECTED' })
    expect(background?.attributes).toMatchObject({ [ATTRIBUTES.background]: true, [ATTRIBUTES.attempts]: 1 })
  })

  it('records no secret and no token, in any span or metric', async () => {
    const run = await setup()
    cleanups.push(instrument(run.sdk))
    await scriptedRun(run)
    const spans = run.sdk.spans().map((s) => [s.name, s.attributes, s.status, s.events, s.links])
    const recorded = JSON.stringify([spans, [...(await run.sdk.metrics()).values()]])
    for (const secret of [SECRET, 'token-a1', 'token-a3', 'token-b']) expect(recorded).not.toContain(secret)
  })
})

describe('instrument(): its life', () => {
  it('records on the global providers by default', async () => {
    const run = await setup()
    metrics.setGlobalMeterProvider(run.sdk.meterProvider)
    trace.setGlobalTracerProvider(run.sdk.tracerProvider)
    cleanups.push(() => {
      metrics.disable()
      trace.disable()
    })
    cleanups.push(instrument())
    await run.client.getToken('api://a')
    expect(await run.sdk.points(METRICS.requests.name)).toHaveLength(1)
    expect(run.sdk.spans().map((s) => s.name)).toEqual([SPAN_NAME])
  })

  it('stops when told: nothing more is recorded, and the span of a request under way is ended', async () => {
    const run = await setup()
    const stop = instrument(run.sdk)
    const pending = run.client.getToken('api://a') // its span starts now
    stop()
    stop() // a second call changes nothing
    await pending
    await run.client.getToken('api://a')
    expect(run.sdk.spans().map((s) => [s.name, s.attributes[ATTRIBUTES.outcome]])).toEqual([
      [SPAN_NAME, undefined],
    ])
    expect(await run.sdk.points(METRICS.requests.name)).toEqual([])
    expect(await run.sdk.points(METRICS.lookups.name)).toEqual([])
  })
})
