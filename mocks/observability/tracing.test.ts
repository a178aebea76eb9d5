/**
 * The gateway's spans, caught by an in-memory exporter: one trace per question with its agent
 * steps, model calls and tools in the right parents; failures carry their GitLab code; a request
 * sent with a `traceparent` continues that trace; and `GET /__mock/traces/:requestId` shows it.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SpanStatusCode } from '@opentelemetry/api'
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base'
import { afterEach, describe, expect, it } from 'vitest'
import { createFlakyProvider, createScriptedProvider } from '../gateway/index'
import { ALICE, askAndWait, createTestGateway } from '../gateway/testHelpers'
import { startGatewayServer, type GatewayServer } from '../server'
import { ATTRIBUTES, createGatewayTracing, type SpanView } from './tracing'

const exporter = new InMemorySpanExporter()
afterEach(() => exporter.reset())

function traced(options: Parameters<typeof createTestGateway>[0] = {}) {
  const tracing = createGatewayTracing({ env: {}, exporters: [exporter] })
  return { tracing, gateway: createTestGateway({ ...options, observer: tracing.observer }) }
}

function spansOf(requestId: string): ReadableSpan[] {
  const root = exporter.getFinishedSpans().find((span) => span.attributes[ATTRIBUTES.requestId] === requestId)
  if (!root) throw new Error(`no span for request ${requestId}`)
  return exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === root.spanContext().traceId)
}

function parentOf(span: ReadableSpan, spans: readonly ReadableSpan[]): ReadableSpan | undefined {
  return spans.find((candidate) => candidate.spanContext().spanId === span.parentSpanContext?.spanId)
}

describe('gateway spans', () => {
  it('trace a question through its steps, model calls and tool', async () => {
    const { gateway } = traced()
    const turn = await askAndWait(gateway, ALICE, { content: 'Summarize issue #1' })

    const spans = spansOf(turn.requestId)
    const root = spans.find((span) => span.name === 'chat request')!
    expect(root.attributes).toMatchObject({
      [ATTRIBUTES.requestId]: turn.requestId,
      [ATTRIBUTES.threadId]: turn.threadId,
      [ATTRIBUTES.pipeline]: 'react',
      [ATTRIBUTES.outcome]: 'answered',
    })
    expect(root.attributes[ATTRIBUTES.chunks]).toBeGreaterThan(0)
    expect(root.events.map((event) => event.name)).toContain('first chunk')
    expect(root.status.code).toBe(SpanStatusCode.UNSET)

    const steps = spans.filter((span) => span.name === 'agent step')
    expect(steps.map((span) => span.attributes[ATTRIBUTES.step])).toEqual([0, 1])
    for (const step of steps) expect(parentOf(step, spans)).toBe(root)
    const models = spans.filter((span) => span.name === 'model call')
    expect(models).toHaveLength(2)
    for (const model of models) {
      expect(parentOf(model, spans)?.name).toBe('agent step')
      expect(model.attributes[ATTRIBUTES.provider]).toBe('scripted')
    }
    const tool = spans.find((span) => span.name === 'tool issue_reader')!
    expect(parentOf(tool, spans)).toBe(steps[0])
    expect(tool.attributes[ATTRIBUTES.tool]).toBe('issue_reader')
  })

  it('mark a failed tool, its step and the request with the GitLab code', async () => {
    const { gateway } = traced()
    // Issue 99 is in a private project alice is not a member of.
    const turn = await askAndWait(gateway, ALICE, { content: 'Summarize gid://gitlab/Issue/99' })
    expect(turn.answer.errors[0]).toContain('M3003')

    const spans = spansOf(turn.requestId)
    for (const name of ['chat request', 'agent step', 'tool issue_reader']) {
      const span = spans.find((candidate) => candidate.name === name)!
      expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'M3003' })
      expect(span.attributes[ATTRIBUTES.errorType]).toBe('M3003')
    }
    expect(spans.find((span) => span.name === 'chat request')!.attributes[ATTRIBUTES.outcome]).toBe('error')
    // Nothing of the hidden issue reaches the spans.
    expect(JSON.stringify(spans.map((span) => [span.attributes, span.events]))).not.toMatch(/Secret|roadmap/i)
  })

  it('record each provider a model call tried', async () => {
    const { gateway } = traced({
      providers: [createFlakyProvider(createScriptedProvider('primary'), { failureRate: 1 }), createScriptedProvider('backup')],
      breaker: false,
    })
    const turn = await askAndWait(gateway, ALICE, { content: 'Hello' })

    const model = spansOf(turn.requestId).find((span) => span.name === 'model call')!
    expect(model.events.map((event) => [event.name, event.attributes?.[ATTRIBUTES.provider], event.attributes?.[ATTRIBUTES.errorType]])).toEqual([
      ['provider failed', 'flaky primary', 'A1008'],
      ['provider answered', 'backup', undefined],
    ])
    expect(model.attributes[ATTRIBUTES.provider]).toBe('backup')
    expect(model.status.code).toBe(SpanStatusCode.UNSET)
  })

  it('end a model call whose every provider failed with A1008', async () => {
    const { gateway } = traced({ providers: [createFlakyProvider(createScriptedProvider('only'), { failureRate: 1 })], breaker: false })
    const turn = await askAndWait(gateway, ALICE, { content: 'Hello' })

    const spans = spansOf(turn.requestId)
    expect(spans.find((span) => span.name === 'model call')!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'A1008' })
    expect(spans.find((span) => span.name === 'chat request')!.attributes[ATTRIBUTES.errorType]).toBe('A1008')
  })

  it('trace a refused request without a request id', async () => {
    const { gateway } = traced()
    await expect(askAndWait(gateway, ALICE, { content: 'x'.repeat(100_000) })).rejects.toThrow(/M1005/)

    const [root] = exporter.getFinishedSpans()
    expect(root?.name).toBe('chat request')
    expect(root?.attributes).toMatchObject({ [ATTRIBUTES.outcome]: 'refused', [ATTRIBUTES.errorType]: 'M1005', [ATTRIBUTES.reason]: 'question_too_long' })
    expect(root?.attributes[ATTRIBUTES.requestId]).toBeUndefined()
  })
})

describe('OTLP export', () => {
  it('sends the spans to OTEL_EXPORTER_OTLP_ENDPOINT/v1/traces when it is set', async () => {
    const received: { path: string | undefined; team: unknown; body: string }[] = []
    const collector = createServer((request, response) => {
      let body = ''
      request.on('data', (chunk: Buffer) => (body += chunk.toString()))
      request.on('end', () => {
        received.push({ path: request.url, team: request.headers['x-team'], body })
        response.writeHead(200, { 'Content-Type': 'application/json' }).end('{}')
      })
    })
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve))
    const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`
    try {
      const tracing = createGatewayTracing({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: `${endpoint}/`, OTEL_EXPORTER_OTLP_HEADERS: 'x-team=duo%20chat', OTEL_SERVICE_NAME: 'eval-gateway' }, keepInMemory: false })
      expect(tracing.exportsOtlp).toBe(true)
      const gateway = createTestGateway({ observer: tracing.observer })
      const turn = await askAndWait(gateway, ALICE, { content: 'Summarize issue #1' })
      await tracing.shutdown() // flushes the batch

      expect(received.map((request) => request.path)).toContain('/v1/traces')
      expect(received[0]?.team).toBe('duo chat')
      const sent = received.map((request) => request.body).join('\n')
      expect(sent).toContain(turn.requestId)
      expect(sent).toContain('eval-gateway')
      for (const name of ['chat request', 'agent step', 'model call', 'tool issue_reader']) expect(sent).toContain(name)
      gateway.dispose()
    } finally {
      await new Promise<void>((resolve) => collector.close(() => resolve()))
    }
  })

  it('keeps spans out of OTLP when no endpoint is set', () => {
    expect(createGatewayTracing({ env: {} }).exportsOtlp).toBe(false)
  })
})

describe('traces on the Node gateway', () => {
  let server: GatewayServer
  afterEach(async () => {
    await server.close()
  })

  async function askOverHttp(headers: Record<string, string>): Promise<string> {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer alice-token', ...headers },
      body: JSON.stringify({
        query: 'mutation ($input: AiActionInput!) { aiAction(input: $input) { requestId errors } }',
        variables: { input: { chat: { content: 'Summarize issue #2' } } },
      }),
    })
    const { data } = (await response.json()) as { data: { aiAction: { requestId: string } } }
    return data.aiAction.requestId
  }

  async function traceOf(requestId: string, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${server.origin}/__mock/traces/${encodeURIComponent(requestId)}`, { headers })
  }

  /** The trace once the request's span has ended (the answer streams after the mutation returns). */
  async function finishedTrace(requestId: string): Promise<SpanView[]> {
    for (let attempt = 0; attempt < 500; attempt += 1) {
      const response = await traceOf(requestId)
      if (response.status === 200) {
        const { spans } = (await response.json()) as { spans: SpanView[] }
        if (spans[0]?.name === 'chat request') return spans
      }
      await new Promise((resolve) => setImmediate(resolve))
    }
    throw new Error('The trace never finished.')
  }

  it('continues the traceparent sent with aiAction and serves the spans, parents first', async () => {
    server = await startGatewayServer({ port: 0, env: {}, timing: { toolMs: 0, chunkDelayMs: 0, chunkSize: 6 } })
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736'
    const requestId = await askOverHttp({ traceparent: `00-${traceId}-00f067aa0ba902b7-01` })

    const spans = await finishedTrace(requestId)
    expect(spans[0]).toMatchObject({ name: 'chat request', traceId, parentSpanId: '00f067aa0ba902b7', status: 'unset' })
    expect(spans.every((span) => span.traceId === traceId)).toBe(true)
    expect(spans.map((span) => span.name)).toEqual(['chat request', 'agent step', 'model call', 'tool issue_reader', 'agent step', 'model call'])
    for (const span of spans) expect(span.durationMs).toBeGreaterThanOrEqual(0)
  })

  it('starts a new trace for a malformed traceparent, and answers 404 for an unknown request', async () => {
    server = await startGatewayServer({ port: 0, env: {}, timing: { toolMs: 0, chunkDelayMs: 0, chunkSize: 6 } })
    const requestId = await askOverHttp({ traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' })
    const [root] = await finishedTrace(requestId)
    expect(root?.parentSpanId).toBeNull()
    expect(root?.traceId).not.toBe('00000000000000000000000000000000')

    expect((await traceOf('no-such-request')).status).toBe(404)
  })

  it('keeps the traces route behind the control routes’ origin lock, and off in production mode', async () => {
    server = await startGatewayServer({ port: 0, env: {}, timing: { toolMs: 0, chunkDelayMs: 0, chunkSize: 6 } })
    const requestId = await askOverHttp({})
    await finishedTrace(requestId)
    const refused = await traceOf(requestId, { Origin: 'https://evil.example' })
    expect(refused.status).toBe(403)
    expect(await refused.json()).toMatchObject({ code: 'M3100' })
    expect(refused.headers.get('access-control-allow-origin')).toBeNull()
    await server.close()

    server = await startGatewayServer({ port: 0, env: {}, scenarioControl: false, timing: { toolMs: 0, chunkDelayMs: 0, chunkSize: 6 } })
    expect((await traceOf(await askOverHttp({}))).status).toBe(404)
  })
})
