/**
 * Metrics and traces of a gateway, together: what a transport adds to `createGateway({ observer })`,
 * then serves at `GET /metrics` and `GET /__mock/traces/:requestId`. See docs/observability.md.
 */
import { combineObservers, type GatewayObserver } from '../gateway/index'
import { createGatewayMetrics, type GatewayMetrics, type MetricSources } from './metrics'
import { createGatewayTracing, type GatewayTracing, type GatewayTracingOptions } from './tracing'

export { createGatewayMetrics, type GatewayMetrics, type MetricSources } from './metrics'
export { ATTRIBUTES, createGatewayTracing, type GatewayTracing, type GatewayTracingOptions, type SpanView } from './tracing'

/** A gateway's metrics and tracing. */
export interface GatewayObservability {
  /** Both observers as one, for `createGateway({ observer })`. */
  observer: GatewayObserver
  metrics: GatewayMetrics
  tracing: GatewayTracing
  /** Where the gauges read (open subscriptions, circuits); see {@link MetricSources}. */
  bind(sources: MetricSources): void
  shutdown(): Promise<void>
}

/** Metrics in a registry of their own, and traces (in memory when `keepInMemory`, OTLP when configured). */
export function createGatewayObservability(options: GatewayTracingOptions = {}): GatewayObservability {
  const metrics = createGatewayMetrics()
  const tracing = createGatewayTracing(options)
  return {
    observer: combineObservers(metrics.observer, tracing.observer),
    metrics,
    tracing,
    bind: (sources) => metrics.bind(sources),
    shutdown: () => tracing.shutdown(),
  }
}

/** Open subscriptions held in a transport's registry, over all users and connections. */
export function openSubscriptions(registry: { connectionCounts(): Map<string, number>; countOf(userId: string): number }): number {
  let open = 0
  for (const userId of registry.connectionCounts().keys()) open += registry.countOf(userId)
  return open
}
