/**
 * OpenTelemetry traces of the gateway: one span per chat request, with a child per agent step and
 * grandchildren per model call and tool run; a failure sets the span's status to ERROR and its
 * `error.type` to the GitLab code. A request whose `aiAction` came with a W3C `traceparent`
 * continues the caller's trace, so the host's trace and the gateway's join.
 *
 * Spans go to OTLP/HTTP when `OTEL_EXPORTER_OTLP_ENDPOINT` (or `..._TRACES_ENDPOINT`) is set in
 * the given environment, with `OTEL_EXPORTER_OTLP_HEADERS`; in dev and test mode they are also kept
 * in memory, a bounded number of traces, for `GET /__mock/traces/:requestId`. The tracer provider is this gateway's own; nothing is
 * registered globally.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span, type SpanContext } from '@opentelemetry/api'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { resourceFromAttributes } from '@opentelemetry/resources'
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base'
import type { GatewayObserver } from '../gateway/index'

/** Options of {@link createGatewayTracing}. */
export interface GatewayTracingOptions {
  /** Where OTEL_* settings come from. @default process.env */
  env?: Record<string, string | undefined>
  /** Keep finished traces in memory for {@link GatewayTracing.trace}. @default true */
  keepInMemory?: boolean
  /** How many traces memory keeps (oldest forgotten first). @default 500 */
  maxTraces?: number
  /** Extra exporters (tests pass an `InMemorySpanExporter`); spans reach them as they end. */
  exporters?: readonly SpanExporter[]
  /** `service.name` of the spans. @default OTEL_SERVICE_NAME or 'duo-chat-mock-gateway' */
  serviceName?: string
}

/** A span as `GET /__mock/traces/:requestId` shows it. */
export interface SpanView {
  name: string
  traceId: string
  spanId: string
  parentSpanId: string | null
  /** ISO 8601. */
  startTime: string
  durationMs: number
  status: 'unset' | 'ok' | 'error'
  attributes: Record<string, unknown>
  events: { name: string; attributes: Record<string, unknown> }[]
}

/** One gateway's tracing. */
export interface GatewayTracing {
  observer: GatewayObserver
  /** The spans of a request's trace, parents first; null when memory has none (unknown, forgotten, or off). */
  trace(requestId: string): SpanView[] | null
  /** Whether spans go to an OTLP endpoint. */
  readonly exportsOtlp: boolean
  /** Exports what is pending and stops. */
  shutdown(): Promise<void>
}

/** Span attribute names (OpenTelemetry's where one exists). */
export const ATTRIBUTES = {
  requestId: 'duo_chat.request_id',
  threadId: 'duo_chat.thread_id',
  pipeline: 'duo_chat.pipeline',
  outcome: 'duo_chat.outcome',
  reason: 'duo_chat.refusal_reason',
  chunks: 'duo_chat.chunks',
  scenario: 'duo_chat.scenario',
  step: 'duo_chat.step',
  tool: 'duo_chat.tool',
  provider: 'duo_chat.provider',
  user: 'enduser.id',
  errorType: 'error.type',
} as const

/** Creates the tracing of one gateway. */
export function createGatewayTracing(options: GatewayTracingOptions = {}): GatewayTracing {
  const env = options.env ?? process.env
  const memory = options.keepInMemory === false ? null : new TraceMemory(options.maxTraces ?? 500)
  const processors: SpanProcessor[] = (options.exporters ?? []).map((exporter) => new SimpleSpanProcessor(exporter))
  if (memory) processors.push(memory)
  const otlp = otlpOptions(env)
  if (otlp) processors.push(new BatchSpanProcessor(new OTLPTraceExporter(otlp)))
  const exportsOtlp = otlp !== null
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName ?? env.OTEL_SERVICE_NAME ?? 'duo-chat-mock-gateway' }),
    spanProcessors: processors,
  })
  const tracer = provider.getTracer('duo-chat-drawer/mock-gateway')

  const child = (parent: Span, name: string, at: number, attributes: Record<string, string | number>) =>
    tracer.startSpan(name, { startTime: at, attributes }, trace.setSpan(ROOT_CONTEXT, parent))

  const observer: GatewayObserver = {
    request(start) {
      const root = tracer.startSpan(
        'chat request',
        { kind: SpanKind.SERVER, startTime: start.at, attributes: { [ATTRIBUTES.pipeline]: start.pipeline, [ATTRIBUTES.user]: start.userId } },
        parentOf(start.traceparent),
      )
      let step: Span | null = null
      return {
        accepted(ids) {
          root.setAttributes({ [ATTRIBUTES.requestId]: ids.requestId, [ATTRIBUTES.threadId]: ids.threadId, [ATTRIBUTES.scenario]: ids.scenario })
          memory?.index(ids.requestId, root.spanContext())
        },
        step(index, at) {
          const span = child(root, 'agent step', at, { [ATTRIBUTES.step]: index })
          step = span
          return { end: (endAt, code) => finish(span, endAt, code) }
        },
        modelCall(at) {
          const span = child(step ?? root, 'model call', at, {})
          return {
            end: (endAt, code) => finish(span, endAt, code),
            provider(name, result, code) {
              span.addEvent(`provider ${result}`, { [ATTRIBUTES.provider]: name, ...(code ? { [ATTRIBUTES.errorType]: code } : {}) })
              if (result === 'answered') span.setAttribute(ATTRIBUTES.provider, name)
            },
          }
        },
        tool(name, at) {
          const span = child(step ?? root, `tool ${name}`, at, { [ATTRIBUTES.tool]: name })
          return { end: (endAt, code) => finish(span, endAt, code) }
        },
        firstChunk(at) {
          root.addEvent('first chunk', at)
        },
        end(end) {
          root.setAttributes({ [ATTRIBUTES.outcome]: end.outcome, [ATTRIBUTES.chunks]: end.chunks })
          if (end.reason) root.setAttribute(ATTRIBUTES.reason, end.reason)
          finish(root, end.at, end.code)
        },
      }
    },
  }

  return {
    observer,
    exportsOtlp,
    trace: (requestId) => memory?.trace(requestId) ?? null,
    shutdown: () => provider.shutdown(),
  }
}

/**
 * The exporter's settings from OTEL_* variables of `env` (not necessarily `process.env`): the traces
 * endpoint as the specification builds it, and the headers; null when no endpoint is set.
 */
function otlpOptions(env: Record<string, string | undefined>): { url: string; headers: Record<string, string> } | null {
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim()
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim()
  if (!traces && !base) return null
  const url = traces || `${base!.replace(/\/+$/, '')}/v1/traces`
  const headers: Record<string, string> = {}
  for (const source of [env.OTEL_EXPORTER_OTLP_HEADERS, env.OTEL_EXPORTER_OTLP_TRACES_HEADERS]) {
    for (const pair of source?.split(',') ?? []) {
      const at = pair.indexOf('=')
      if (at > 0) headers[decoded(pair.slice(0, at).trim())] = decoded(pair.slice(at + 1).trim())
    }
  }
  return { url, headers }
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

function finish(span: Span, at: number, code: string | null | undefined): void {
  if (code) {
    span.setAttribute(ATTRIBUTES.errorType, code)
    span.setStatus({ code: SpanStatusCode.ERROR, message: code })
  }
  span.end(at)
}

/** The caller's trace as the parent, from a (validated) `traceparent`; a new trace without one. */
function parentOf(traceparent: string | null): Context {
  if (!traceparent) return ROOT_CONTEXT
  const [, traceId = '', spanId = '', flags = '00'] = traceparent.split('-')
  const parent: SpanContext = { traceId, spanId, traceFlags: Number.parseInt(flags, 16) & 1, isRemote: true }
  return trace.setSpanContext(ROOT_CONTEXT, parent)
}

/** Finished spans of the latest traces, by trace id, and which trace each request is. */
class TraceMemory implements SpanProcessor {
  private readonly traces = new Map<string, ReadableSpan[]>()
  /** Request id → its root span (a host may reuse one traceparent for several requests). */
  private readonly requests = new Map<string, { traceId: string; spanId: string }>()

  constructor(private readonly maxTraces: number) {}

  index(requestId: string, root: SpanContext): void {
    this.requests.set(requestId, { traceId: root.traceId, spanId: root.spanId })
    this.touch(root.traceId)
  }

  trace(requestId: string): SpanView[] | null {
    const root = this.requests.get(requestId)
    const spans = root ? this.traces.get(root.traceId) : undefined
    if (!root || !spans) return null
    // The request's subtree, each span after its parent, siblings by start time.
    const children = new Map<string, ReadableSpan[]>()
    for (const span of spans) {
      const parent = span.parentSpanContext?.spanId ?? ''
      children.set(parent, [...(children.get(parent) ?? []), span])
    }
    const ordered: ReadableSpan[] = []
    const visit = (span: ReadableSpan) => {
      ordered.push(span)
      const kids = [...(children.get(span.spanContext().spanId) ?? [])].sort((a, b) => milliseconds(a.startTime) - milliseconds(b.startTime))
      kids.forEach(visit)
    }
    const top = spans.find((span) => span.spanContext().spanId === root.spanId)
    if (!top) return null
    visit(top)
    return ordered.map(toView)
  }

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    this.touch(span.spanContext().traceId).push(span)
  }

  forceFlush(): Promise<void> {
    return Promise.resolve()
  }

  shutdown(): Promise<void> {
    this.traces.clear()
    this.requests.clear()
    return Promise.resolve()
  }

  private touch(traceId: string): ReadableSpan[] {
    let spans = this.traces.get(traceId)
    if (!spans) {
      spans = []
      this.traces.set(traceId, spans)
      for (const oldest of this.traces.keys()) {
        if (this.traces.size <= this.maxTraces) break
        this.traces.delete(oldest)
      }
      for (const [requestId, known] of this.requests) {
        if (this.requests.size <= this.maxTraces) break
        if (!this.traces.has(known.traceId)) this.requests.delete(requestId)
      }
    }
    return spans
  }
}

function toView(span: ReadableSpan): SpanView {
  const context = span.spanContext()
  return {
    name: span.name,
    traceId: context.traceId,
    spanId: context.spanId,
    parentSpanId: span.parentSpanContext?.spanId ?? null,
    startTime: new Date(milliseconds(span.startTime)).toISOString(),
    durationMs: Math.round(milliseconds(span.duration) * 1000) / 1000,
    status: span.status.code === SpanStatusCode.ERROR ? 'error' : span.status.code === SpanStatusCode.OK ? 'ok' : 'unset',
    attributes: { ...span.attributes },
    events: span.events.map((event) => ({ name: event.name, attributes: { ...event.attributes } })),
  }
}

function milliseconds([seconds, nanos]: readonly [number, number]): number {
  return seconds * 1000 + nanos / 1e6
}
