/**
 * The OpenTelemetry SDK, in memory: a meter provider read on demand, a tracer provider whose spans land
 * in an in-memory exporter, and the async-hooks context manager (so that a caller's active span is the
 * parent of what it starts). Readers that flatten what was recorded into plain values to compare.
 */
import { type Attributes, context } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import {
  DataPointType,
  type Histogram,
  MeterProvider,
  type MetricData,
  MetricReader,
} from '@opentelemetry/sdk-metrics'
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace'
import { afterAll, beforeAll } from 'vitest'

/** A metric reader the test collects from when it wants (the SDK's pull reader, kept in memory). */
class InMemoryMetricReader extends MetricReader {
  protected override onShutdown(): Promise<void> {
    return Promise.resolve()
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve()
  }
}

/** One data point, flattened: a counter's value, or a histogram's count, sum and buckets. */
export interface Point {
  attributes: Attributes
  value?: number | undefined
  histogram?: HistogramPoint | undefined
}

/** A histogram's data point: count, sum, min, max and the count in each bucket. */
export interface HistogramPoint {
  count: number
  sum: number | undefined
  min: number | undefined
  max: number | undefined
  counts: Histogram['buckets']['counts']
}

/** A meter and a tracer provider in memory. */
export function inMemorySdk() {
  const reader = new InMemoryMetricReader()
  const meterProvider = new MeterProvider({ readers: [reader] })
  const exporter = new InMemorySpanExporter()
  const tracerProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] })
  return {
    meterProvider,
    tracerProvider,
    /** Every metric recorded so far, by name. */
    async metrics(): Promise<Map<string, MetricData>> {
      const { resourceMetrics } = await reader.collect()
      const all = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics)
      return new Map(all.map((metric) => [metric.descriptor.name, metric]))
    },
    /** The data points of metric `name`, flattened (none when it recorded nothing). */
    async points(name: string): Promise<Point[]> {
      const metric = (await this.metrics()).get(name)
      return metric === undefined ? [] : flatten(metric)
    },
    /** The spans ended so far. */
    spans(): ReadableSpan[] {
      return exporter.getFinishedSpans()
    },
    async shutdown(): Promise<void> {
      await Promise.all([meterProvider.shutdown(), tracerProvider.shutdown()])
    },
  }
}

function flatten(metric: MetricData): Point[] {
  if (metric.dataPointType === DataPointType.HISTOGRAM) {
    return metric.dataPoints.map(({ attributes, value }) => ({
      attributes,
      histogram: {
        count: value.count,
        sum: value.sum,
        min: value.min,
        max: value.max,
        counts: value.buckets.counts,
      },
    }))
  }
  if (metric.dataPointType === DataPointType.EXPONENTIAL_HISTOGRAM) throw new Error('not used here')
  return metric.dataPoints.map(({ attributes, value }) => ({ attributes, value }))
}

/** Installs the async-hooks context manager for the test file (OpenTelemetry's Node.js default). */
export function useContextManager(): void {
  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
  })
  afterAll(() => {
    context.disable()
  })
}
