/**
 * `GET /metrics` on a real Node gateway: questions asked over HTTP and answered over graphql-ws
 * show up as traffic, latency, errors and saturation, read back with a real Prometheus text parser.
 */
import { createClient, type Client } from 'graphql-ws'
import parsePrometheusTextFormat, { type MetricFamily } from 'parse-prometheus-text-format'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { createFlakyProvider, createScriptedProvider } from '../gateway/index'
import { startGatewayServer, type GatewayServer } from '../server'
import { createGatewayMetrics } from './metrics'

const ALICE_ID = 'gid://gitlab/User/1'
const AI_ACTION = 'mutation ($input: AiActionInput!) { aiAction(input: $input) { requestId threadId errors } }'
const SUBSCRIPTION = `subscription ($userId: UserID, $aiAction: AiAction, $clientSubscriptionId: String) {
  aiCompletionResponse(userId: $userId, aiAction: $aiAction, clientSubscriptionId: $clientSubscriptionId) { requestId role content errors chunkId }
}`

interface Received {
  requestId: string
  role: string
  content: string
  errors: string[]
  chunkId: number | null
}

let server: GatewayServer
let client: Client
let received: Received[] = []
let stopSubscription: () => void

beforeAll(async () => {
  server = await startGatewayServer({
    port: 0,
    env: {},
    timing: { toolMs: 0, chunkDelayMs: 0, chunkSize: 6 },
    // Every second call of the first provider fails: failovers to the scripted one.
    providers: [createFlakyProvider(createScriptedProvider('primary'), { failureRate: 0.5 }), createScriptedProvider()],
    breaker: { failureThreshold: 1000 },
  })
  client = createClient({ url: server.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: 'Bearer alice-token' }, lazy: false })
  stopSubscription = client.subscribe<{ aiCompletionResponse: Received }>(
    { query: SUBSCRIPTION, variables: { userId: ALICE_ID, aiAction: 'CHAT', clientSubscriptionId: 'metrics-test' } },
    { next: (result) => result.data && received.push(result.data.aiCompletionResponse), error: () => {}, complete: () => {} },
  )
  await waitUntil(async () => (await scrape()).find((family) => family.name === 'duo_chat_active_subscriptions')?.metrics[0]?.value === '1')
})
afterAll(async () => {
  stopSubscription()
  await client.dispose()
  await server.close()
})
afterEach(() => {
  received = []
})

async function ask(content: string, extra: Record<string, unknown> = {}): Promise<{ requestId: string | null; errors: string[] }> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer alice-token' },
    body: JSON.stringify({ query: AI_ACTION, variables: { input: { chat: { content, ...extra }, clientSubscriptionId: 'metrics-test' } } }),
  })
  const body = (await response.json()) as { data: { aiAction: { requestId: string | null; errors: string[] } } }
  return body.data.aiAction
}

async function answered(requestId: string): Promise<Received> {
  let answer: Received | undefined
  await waitUntil(() => {
    answer = received.find((message) => message.requestId === requestId && message.role === 'ASSISTANT' && message.chunkId === null)
    return answer !== undefined
  })
  return answer!
}

async function scrape(): Promise<MetricFamily[]> {
  const response = await fetch(`${server.origin}/metrics`)
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/)
  return parse(await response.text())
}

/**
 * The families as the parser reads them, plus each histogram's series (`_bucket`, `_sum`, `_count`)
 * with their labels: the parser folds a labelled histogram into one unlabelled sample, so its
 * series are read a second time with the histogram's TYPE line left out.
 */
function parse(text: string): MetricFamily[] {
  const families = parsePrometheusTextFormat(text)
  const histograms = families.filter((candidate) => candidate.type === 'HISTOGRAM').map((candidate) => candidate.name)
  const untyped = text
    .split('\n')
    .filter((line) => !histograms.some((name) => line === `# TYPE ${name} histogram` || line.startsWith(`# HELP ${name} `)))
    .join('\n')
  const series = parsePrometheusTextFormat(untyped).filter((candidate) => histograms.some((name) => candidate.name.startsWith(`${name}_`)))
  return [...families, ...series]
}

/** A histogram's count and sum for one label set. */
function histogram(families: MetricFamily[], name: string, labels: Record<string, string>): { count: number; sum: number; inf: number } {
  return {
    count: valueOf(families, `${name}_count`, labels),
    sum: valueOf(families, `${name}_sum`, labels),
    inf: valueOf(families, `${name}_bucket`, { ...labels, le: '+Inf' }),
  }
}

/** Polls between event-loop turns until `condition` holds (the answer streams asynchronously). */
async function waitUntil(condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    if (await condition()) return
    await new Promise((resolve) => setImmediate(resolve))
  }
  throw new Error('The condition never held.')
}

function family(families: MetricFamily[], name: string): MetricFamily {
  const found = families.find((candidate) => candidate.name === name)
  if (!found) throw new Error(`${name} is not exposed`)
  return found
}

function valueOf(families: MetricFamily[], name: string, labels: Record<string, string> = {}): number {
  // A histogram's series alternate per label set, so one name can head several untyped families.
  const samples = families.filter((candidate) => candidate.name === name).flatMap((candidate) => candidate.metrics)
  if (samples.length === 0) family(families, name)
  const sample = samples.find((metric) => Object.entries(labels).every(([key, value]) => metric.labels?.[key] === value))
  return Number(sample?.value ?? sample?.count ?? 0)
}

describe('GET /metrics', () => {
  it('counts answered questions with their latency, time to first token, tools and failovers', async () => {
    const before = await scrape()
    const first = await ask('Summarize issue #1')
    const second = await ask('How do I configure a pipeline?')
    await answered(first.requestId!)
    await answered(second.requestId!)

    const after = await scrape()
    expect(valueOf(after, 'duo_chat_requests_total', { pipeline: 'react', outcome: 'answered' }) - valueOf(before, 'duo_chat_requests_total', { pipeline: 'react', outcome: 'answered' })).toBe(2)
    expect(family(after, 'duo_chat_requests_total').type).toBe('COUNTER')

    expect(family(after, 'duo_chat_request_duration_seconds').type).toBe('HISTOGRAM')
    const duration = histogram(after, 'duo_chat_request_duration_seconds', { pipeline: 'react', outcome: 'answered' })
    expect(duration.count).toBe(2)
    expect(duration.inf).toBe(duration.count)

    expect(family(after, 'duo_chat_first_token_seconds').type).toBe('HISTOGRAM')
    const firstToken = histogram(after, 'duo_chat_first_token_seconds', { pipeline: 'react' })
    expect(firstToken.count).toBe(2)
    expect(firstToken.sum).toBeLessThanOrEqual(duration.sum)

    expect(histogram(after, 'duo_chat_tool_duration_seconds', { tool: 'issue_reader' }).count).toBe(1)
    expect(histogram(after, 'duo_chat_tool_duration_seconds', { tool: 'gitlab_documentation' }).count).toBe(1)
    expect(valueOf(after, 'duo_chat_provider_failovers_total')).toBeGreaterThan(0)
    expect(family(after, 'duo_chat_circuit_open').metrics).toEqual(
      expect.arrayContaining([expect.objectContaining({ labels: { provider: 'flaky primary' }, value: '0' })]),
    )
  })

  it('counts errors by code and refusals by outcome', async () => {
    const before = await scrape()
    await fetch(`${server.origin}/__mock/scenario`, { method: 'POST', body: JSON.stringify({ user: 'alice', errorCode: 'A1001' }) })
    const failing = await ask('Anything')
    const answer = await answered(failing.requestId!)
    expect(answer.errors[0]).toContain('A1001')
    const refused = await ask('x'.repeat(100_000))
    expect(refused.requestId).toBeNull()

    const after = await scrape()
    expect(valueOf(after, 'duo_chat_errors_total', { code: 'A1001' }) - valueOf(before, 'duo_chat_errors_total', { code: 'A1001' })).toBe(1)
    expect(valueOf(after, 'duo_chat_errors_total', { code: 'M1005' }) - valueOf(before, 'duo_chat_errors_total', { code: 'M1005' })).toBe(1)
    expect(valueOf(after, 'duo_chat_requests_total', { outcome: 'error' }) - valueOf(before, 'duo_chat_requests_total', { outcome: 'error' })).toBe(1)
    expect(valueOf(after, 'duo_chat_requests_total', { outcome: 'refused' }) - valueOf(before, 'duo_chat_requests_total', { outcome: 'refused' })).toBe(1)
  })

  it('shows the open subscription as saturation', async () => {
    expect(valueOf(await scrape(), 'duo_chat_active_subscriptions')).toBe(1)
  })
})

describe('createGatewayMetrics', () => {
  it('keeps each gateway in its own registry', async () => {
    const one = createGatewayMetrics()
    const two = createGatewayMetrics()
    one.observer.request?.({ userId: ALICE_ID, pipeline: 'react', traceparent: null, at: 0 })?.end?.({ outcome: 'answered', code: null, reason: null, chunks: 1, at: 1500 })

    const first = parse((await one.scrape()).text)
    const second = parse((await two.scrape()).text)
    expect(valueOf(first, 'duo_chat_requests_total', { outcome: 'answered' })).toBe(1)
    expect(histogram(first, 'duo_chat_request_duration_seconds', { outcome: 'answered' })).toEqual({ count: 1, sum: 1.5, inf: 1 })
    expect(family(second, 'duo_chat_requests_total').metrics).toEqual([])
  })

  it('reports an open circuit from the breaker events', async () => {
    const metrics = createGatewayMetrics()
    metrics.observer.circuit?.('openai', 'open')
    expect(valueOf(parse((await metrics.scrape()).text), 'duo_chat_circuit_open', { provider: 'openai' })).toBe(1)
    metrics.observer.circuit?.('openai', 'half-open')
    expect(valueOf(parse((await metrics.scrape()).text), 'duo_chat_circuit_open', { provider: 'openai' })).toBe(0)
  })
})
