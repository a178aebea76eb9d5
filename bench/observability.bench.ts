/**
 * What observability costs on the chunk path: one answer of 2,000 chunks streamed by the engine
 * through graphql's `subscribe` to the drawer's RequestLifecycle (chunk assembly included), with
 * the gateway's metrics and traces and the drawer's events on, against the same with all three
 * off, run for run in one process. Goal: at most 1.05×.
 */
import { execute, parse, subscribe, type ExecutionResult } from 'graphql'
import { createGateway, type Gateway } from '../mocks/gateway/index'
import { ALICE } from '../mocks/gateway/testHelpers'
import { createGatewayObservability } from '../mocks/observability/index'
import { createEventSink, type EventSink } from '../src/events/eventSink'
import { trackRequest } from '../src/events/requestEvents'
import { createMessage } from '../src/state/messages'
import { RequestLifecycle } from '../src/state/requestLifecycle'
import type { ChatOutcome } from '../src/state/types'
import type { AiMessage } from '../src/transport/types'
import { compare, type BenchResult } from './harness'

const CHUNKS = 2_000
const CHUNK_SIZE = 6
const ANSWER = 'stream '.repeat((CHUNKS * CHUNK_SIZE) / 7 + 1).slice(0, CHUNKS * CHUNK_SIZE)

const SUBSCRIPTION = parse(`subscription ($userId: UserID, $aiAction: AiAction, $clientSubscriptionId: String) {
  aiCompletionResponse(userId: $userId, aiAction: $aiAction, clientSubscriptionId: $clientSubscriptionId) {
    id requestId role type content errors chunkId threadId timestamp
  }
}`)
const AI_ACTION = parse('mutation ($input: AiActionInput!) { aiAction(input: $input) { requestId threadId errors } }')

/** The drawer's network side, in process: the engine's schema instead of Apollo. */
function inProcessApi(gateway: Gateway) {
  const pending = new Set<Promise<unknown>>()
  return {
    subscribe(variables: { userId: string; clientSubscriptionId?: string }, handlers: { next(message: AiMessage): void }) {
      let stop = () => {}
      const opened = Promise.resolve(
        subscribe({ schema: gateway.schema, document: SUBSCRIPTION, variableValues: variables, contextValue: gateway.context(ALICE) }),
      ).then(async (result) => {
        if (!(Symbol.asyncIterator in result)) throw new Error(JSON.stringify(result.errors))
        stop = () => void result.return?.()
        pending.delete(opened)
        for await (const event of result as AsyncIterable<ExecutionResult>) {
          handlers.next((event.data as { aiCompletionResponse: AiMessage }).aiCompletionResponse)
        }
      })
      pending.add(opened)
      return () => stop()
    },
    // Resolves once graphql registered the subscriptions (after its first tick), as the drawer's does.
    whenSubscribed: () => new Promise<void>((resolve) => setImmediate(resolve)),
    cancel: async () => {},
    loadMessages: async () => [],
    async sendChat(clientSubscriptionId: string, traceparent: string | null) {
      const result = await execute({
        schema: gateway.schema,
        document: AI_ACTION,
        contextValue: gateway.context(ALICE, { traceparent }),
        variableValues: { input: { chat: { content: 'Stream a long answer' }, clientSubscriptionId } },
      })
      const payload = (result.data as { aiAction: { requestId: string; threadId: string } }).aiAction
      return { requestId: payload.requestId, threadId: payload.threadId }
    },
  }
}

/** One question answered in 2,000 chunks, start to finish. */
async function ask(gateway: Gateway, events: EventSink | null): Promise<ChatOutcome> {
  gateway.scenario({ user: 'alice', text: ANSWER, chunkSize: CHUNK_SIZE, delayMs: 0 })
  const api = inProcessApi(gateway)
  const lifecycle = new RequestLifecycle({ api, userId: ALICE.id, timeoutMs: 60_000, onOtherMessage: () => {} })
  const traceparent = events ? `00-${'ab'.repeat(16)}-${'cd'.repeat(8)}-01` : null
  const tracked = events && trackRequest(events, { question: 'Stream a long answer', resourceId: null, contextCount: 0, traceparent })
  const outcome = await lifecycle.start({
    question: createMessage('USER', { content: 'Stream a long answer', status: 'pending' }),
    answer: createMessage('ASSISTANT', { status: 'pending' }),
    send: (clientSubscriptionId) => api.sendChat(clientSubscriptionId, traceparent),
    ...(tracked ? { onAccepted: tracked.accepted, onChunk: tracked.chunk } : {}),
  })
  tracked?.settled(outcome)
  if (outcome.content.length !== ANSWER.length) throw new Error(`the answer arrived incomplete (${outcome.content.length} characters)`)
  return outcome
}

export async function observabilityBench(): Promise<BenchResult> {
  const timing = { toolMs: 0, chunkDelayMs: 0, chunkSize: CHUNK_SIZE }
  const plain = createGateway({ timing, limits: { rate: null } })
  const observability = createGatewayObservability({ env: {}, keepInMemory: true })
  const observed = createGateway({ timing, limits: { rate: null }, observer: observability.observer })
  observability.bind({ providers: () => observed.providerStatus(), activeSubscriptions: () => 1 })
  let received = 0
  const events = createEventSink({ onEvent: () => (received += 1) })
  try {
    const result = await compare(
      `chunk path with gateway metrics + traces and drawer events (${CHUNKS.toLocaleString('en-US')} chunks)`,
      { name: 'the same with all three off', run: () => ask(plain, null) },
      async () => {
        await ask(observed, events)
        // A scrape now and then, as Prometheus would.
        await observability.metrics.scrape()
      },
      { runs: 21, warmup: 4, goal: '≤ 1.05×' },
    )
    if (received === 0) throw new Error('the drawer emitted no events')
    return result
  } finally {
    plain.dispose()
    observed.dispose()
    await observability.shutdown()
  }
}
