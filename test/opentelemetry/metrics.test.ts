/**
 * The metric instruments, fed hand-made channel messages: what each message records, and on which
 * attributes.
 */
import { describe, expect, it } from 'vitest'
import type { TokenRequestContext } from '../../src/diagnostics.js'
import { createTokenMetrics } from '../../src/opentelemetry/metrics.js'
import { ATTRIBUTES, METRICS, SCOPE_NAME } from '../../src/opentelemetry/names.js'
import { inMemorySdk } from './sdk.js'

const request: TokenRequestContext = {
  serverAddress: undefined,
  serverPort: undefined,
  tenant: 'contoso.onmicrosoft.com',
  scope: 'api://a/.default',
  background: true,
  remainingLifetimeMs: undefined,
  attempts: 1,
  outcome: 'success',
  errorCode: undefined,
  durationMs: 1_250,
}

function setup() {
  const sdk = inMemorySdk()
  return { sdk, recorded: createTokenMetrics(sdk.meterProvider.getMeter(SCOPE_NAME)) }
}

describe('createTokenMetrics', () => {
  it("counts a caller's lookups only: a background refresh's messages are not lookups", async () => {
    const { sdk, recorded } = setup()
    recorded.lookup({ event: 'stale', key: 'k', durationMs: 0 })
    recorded.lookup({ event: 'refresh', key: 'k', durationMs: 5, background: true })
    recorded.lookup({ event: 'refresh', key: 'k', durationMs: 5, background: false })
    const points = await sdk.points(METRICS.lookups.name)
    expect(points.map((p) => [p.attributes[ATTRIBUTES.cacheResult], p.value])).toEqual([
      ['stale', 1],
      ['refresh', 1],
    ])
    expect(await sdk.points(METRICS.backgroundFailures.name)).toEqual([])
  })

  it('counts a failed background refresh by its error code, UNKNOWN when it had none', async () => {
    const { sdk, recorded } = setup()
    recorded.lookup({ event: 'error', key: 'k', durationMs: 5, background: true, errorCode: 'ERR_X' })
    recorded.lookup({ event: 'error', key: 'k', durationMs: 5, background: true })
    const points = await sdk.points(METRICS.backgroundFailures.name)
    expect(points.map((p) => [p.attributes, p.value])).toEqual([
      [{ [ATTRIBUTES.errorType]: 'ERR_X' }, 1],
      [{ [ATTRIBUTES.errorType]: 'UNKNOWN' }, 1],
    ])
    expect(await sdk.points(METRICS.lookups.name)).toEqual([])
  })

  it('records no lifetime for a request that replaces nothing, and no server it was not told', async () => {
    const { sdk, recorded } = setup()
    recorded.requestStarted(request)
    recorded.requestSettled(request)
    expect(await sdk.points(METRICS.remainingLifetime.name)).toEqual([])
    const [duration] = await sdk.points(METRICS.requestDuration.name)
    expect(duration?.attributes).toEqual({ [ATTRIBUTES.background]: true, [ATTRIBUTES.outcome]: 'success' })
    expect(duration?.histogram?.sum).toBe(1.25)
  })

  it('describes each instrument with its unit, and buckets durations and lifetimes in seconds', async () => {
    const { sdk, recorded } = setup()
    recorded.requestStarted({ ...request, remainingLifetimeMs: 240_000 })
    recorded.requestSettled(request)
    recorded.lookup({ event: 'error', key: 'k', durationMs: 5, background: true })
    recorded.lookup({ event: 'hit', key: 'k', durationMs: 0 })
    const described = [...(await sdk.metrics()).values()].map((m) => m.descriptor)
    expect(described.map((d) => [d.name, d.unit]).sort()).toEqual(
      Object.values(METRICS)
        .map((m) => [m.name, m.unit])
        .sort(),
    )
    const [lifetime] = await sdk.points(METRICS.remainingLifetime.name)
    // buckets 0, 30, 60, 120, 180, 240 (inclusive upper bounds): 240 s lands in the sixth
    expect(lifetime?.histogram?.counts.indexOf(1)).toBe(5)
  })
})
