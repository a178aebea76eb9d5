/**
 * The gateway's golden signals in Prometheus text format (`GET /metrics`): traffic and errors
 * (requests and error codes), latency (request duration, time to first token, tool durations) and
 * saturation (open subscriptions, open circuits, failovers). Built on the engine's observer hook;
 * each gateway has its own prom-client `Registry`, so several gateways (and tests) never share or
 * collide on the global one.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { GatewayObserver, ProviderStatus } from '../gateway/index'

/** What the metrics read at scrape time rather than from events. */
export interface MetricSources {
  /** Open GraphQL subscriptions of the transports (the Node server counts graphql-ws and ActionCable). */
  activeSubscriptions?: () => number
  /** Each provider's circuit (`gateway.providerStatus`). */
  providers?: () => readonly ProviderStatus[]
}

/** One gateway's metrics. */
export interface GatewayMetrics {
  /** Pass to `createGateway({ observer })` (with `combineObservers` when there are others). */
  observer: GatewayObserver
  /** This gateway's own registry. */
  registry: Registry
  /** Tells the metrics where to read the gauges; sources given later replace earlier ones. */
  bind(sources: MetricSources): void
  /** The exposition: its content type and text. */
  scrape(): Promise<{ contentType: string; text: string }>
}

const REQUEST_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]
const FIRST_TOKEN_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10]
const TOOL_BUCKETS = [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

/** Creates the metrics of one gateway, registered in a new `Registry`. */
export function createGatewayMetrics(initial: MetricSources = {}): GatewayMetrics {
  const registry = new Registry()
  const registers = [registry]
  const sources: MetricSources = { ...initial }
  const circuits = new Map<string, boolean>()

  const requests = new Counter({
    name: 'duo_chat_requests_total',
    help: 'Chat requests (aiAction) by pipeline and outcome: answered, error, refused, cancelled.',
    labelNames: ['pipeline', 'outcome'] as const,
    registers,
  })
  const duration = new Histogram({
    name: 'duo_chat_request_duration_seconds',
    help: 'From aiAction to the final message (or refusal, or cancel), by pipeline and outcome.',
    labelNames: ['pipeline', 'outcome'] as const,
    buckets: REQUEST_BUCKETS,
    registers,
  })
  const firstToken = new Histogram({
    name: 'duo_chat_first_token_seconds',
    help: 'From aiAction to the first streamed chunk of the answer, by pipeline.',
    labelNames: ['pipeline'] as const,
    buckets: FIRST_TOKEN_BUCKETS,
    registers,
  })
  const errors = new Counter({
    name: 'duo_chat_errors_total',
    help: 'Chat requests that ended with a GitLab error code (errors and refusals), by code.',
    labelNames: ['code'] as const,
    registers,
  })
  new Gauge({
    name: 'duo_chat_active_subscriptions',
    help: 'Open aiCompletionResponse (and other) GraphQL subscriptions over every connection, graphql-ws and ActionCable.',
    registers,
    collect() {
      this.set(sources.activeSubscriptions?.() ?? 0)
    },
  })
  const tools = new Histogram({
    name: 'duo_chat_tool_duration_seconds',
    help: 'How long each agent tool ran, by tool.',
    labelNames: ['tool'] as const,
    buckets: TOOL_BUCKETS,
    registers,
  })
  const failovers = new Counter({
    name: 'duo_chat_provider_failovers_total',
    help: 'Model calls that failed at one provider and went on to the next.',
    registers,
  })
  new Gauge({
    name: 'duo_chat_circuit_open',
    help: "1 while a model provider's circuit breaker is open (calls skip it), else 0.",
    labelNames: ['provider'] as const,
    registers,
    collect() {
      // The breaker turns half-open lazily, on reading: ask it when possible, else trust the events.
      const status = sources.providers?.()
      if (status) for (const provider of status) circuits.set(provider.name, provider.state === 'open')
      for (const [provider, open] of circuits) this.set({ provider }, open ? 1 : 0)
    },
  })

  const observer: GatewayObserver = {
    request(start) {
      const { pipeline } = start
      return {
        tool(name, at) {
          return { end: (endAt) => tools.observe({ tool: name }, seconds(endAt - at)) }
        },
        modelCall() {
          return {
            end() {},
            provider(_name, result) {
              if (result === 'failed') failovers.inc()
            },
          }
        },
        firstChunk(at) {
          firstToken.observe({ pipeline }, seconds(at - start.at))
        },
        end(end) {
          requests.inc({ pipeline, outcome: end.outcome })
          duration.observe({ pipeline, outcome: end.outcome }, seconds(end.at - start.at))
          if (end.code) errors.inc({ code: end.code })
        },
      }
    },
    circuit(provider, state) {
      circuits.set(provider, state === 'open')
    },
  }

  return {
    observer,
    registry,
    bind(more) {
      Object.assign(sources, more)
    },
    async scrape() {
      return { contentType: registry.contentType, text: await registry.metrics() }
    },
  }
}

function seconds(ms: number): number {
  return Math.max(0, ms) / 1000
}
