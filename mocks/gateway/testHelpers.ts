/**
 * Helpers for the gateway's tests: run operations through graphql's `execute`/`subscribe` exactly
 * as a transport would, and wait for subscription events instead of sleeping.
 */
import { execute, parse, subscribe, type ExecutionResult } from 'graphql'
import { createGateway, type Gateway, type GatewayOptions, type Viewer } from './index'
import type { AiMessageRecord } from './messages'

export const ALICE: Viewer = { id: 'gid://gitlab/User/1', username: 'alice', name: 'Alice Anders' }
export const BOB: Viewer = { id: 'gid://gitlab/User/2', username: 'bob', name: 'Bob Brennan' }

/** A gateway without delays, so tests run as fast as the event loop allows. */
export function createTestGateway(options: GatewayOptions = {}): Gateway {
  return createGateway({ ...options, timing: { toolMs: 0, chunkDelayMs: 0, chunkSize: 6, ...options.timing } })
}

const MESSAGE_FIELDS = `
  id requestId role type content contentHtml errors chunkId threadId timestamp
  extras { sources hasFeedback additionalContext { id category content metadata } }
`

const SUBSCRIPTION = parse(`
  subscription ($userId: UserID, $aiAction: AiAction, $clientSubscriptionId: String) {
    aiCompletionResponse(userId: $userId, aiAction: $aiAction, clientSubscriptionId: $clientSubscriptionId) { ${MESSAGE_FIELDS} }
  }
`)

const AI_ACTION = parse(`
  mutation ($input: AiActionInput!) {
    aiAction(input: $input) { requestId threadId errors }
  }
`)

/** A message as a client receives it. */
export type ReceivedMessage = Omit<AiMessageRecord, 'agentVersionId'>

/** An open `aiCompletionResponse` subscription that records what it receives. */
export interface TestSubscription {
  /** Everything received so far, in order. */
  readonly messages: ReceivedMessage[]
  /** Resolves with the first received message (past or future) that matches. */
  waitFor(predicate: (message: ReceivedMessage) => boolean): Promise<ReceivedMessage>
  /** Resolves with the complete ASSISTANT message of a request. */
  waitForAnswer(requestId: string): Promise<ReceivedMessage>
  /** Stops the subscription as graphql-ws would on `complete`. */
  close(): Promise<void>
}

/** Executes an operation and returns its result, with `errors` if any. */
export async function run(
  gateway: Gateway,
  viewer: Viewer | null,
  source: string,
  variableValues: Record<string, unknown> = {},
): Promise<ExecutionResult> {
  return execute({ schema: gateway.schema, document: parse(source), variableValues, contextValue: gateway.context(viewer) })
}

/** The raw result of `subscribe()`: an ExecutionResult when refused, an iterator otherwise. */
export function subscribeRaw(gateway: Gateway, viewer: Viewer | null, variableValues: Record<string, unknown>) {
  return subscribe({ schema: gateway.schema, document: SUBSCRIPTION, variableValues, contextValue: gateway.context(viewer) })
}

/** Opens a subscription for `viewer` (chat broadcasts plus the given clientSubscriptionId). */
export async function openSubscription(
  gateway: Gateway,
  viewer: Viewer,
  variables: { clientSubscriptionId?: string | null; aiAction?: 'CHAT' | null } = {},
): Promise<TestSubscription> {
  const result = await subscribeRaw(gateway, viewer, {
    userId: viewer.id,
    aiAction: variables.aiAction === undefined ? 'CHAT' : variables.aiAction,
    clientSubscriptionId: variables.clientSubscriptionId ?? null,
  })
  if (!(Symbol.asyncIterator in result)) throw new Error(`Subscription refused: ${JSON.stringify(result.errors)}`)
  const recorded = recordSubscription<ReceivedMessage>(result)
  return {
    ...recorded,
    waitForAnswer: (requestId) =>
      recorded.waitFor((message) => message.requestId === requestId && message.role === 'ASSISTANT' && message.chunkId === null),
  }
}

/**
 * Records every `aiCompletionResponse` a subscription receives; `waitFor` resolves with the first
 * message (past or future) that matches, so tests await events rather than sleep.
 */
export function recordSubscription<T>(result: AsyncGenerator<ExecutionResult, void, void>) {
  const messages: T[] = []
  const waiters: { predicate: (message: T) => boolean; resolve: (message: T) => void }[] = []
  const pump = (async () => {
    for await (const event of result) {
      if (event.errors) throw new Error(`Subscription error: ${JSON.stringify(event.errors)}`)
      const message = (event.data as { aiCompletionResponse: T }).aiCompletionResponse
      messages.push(message)
      for (const waiter of [...waiters]) {
        if (waiter.predicate(message)) {
          waiters.splice(waiters.indexOf(waiter), 1)
          waiter.resolve(message)
        }
      }
    }
  })()
  return {
    messages,
    waitFor(predicate: (message: T) => boolean): Promise<T> {
      const seen = messages.find(predicate)
      return seen ? Promise.resolve(seen) : new Promise<T>((resolve) => waiters.push({ predicate, resolve }))
    },
    async close() {
      await result.return()
      await pump
    },
  }
}

/** Variables of a question, shaped like the drawer's `chat` mutation. */
export interface Question {
  content: string
  resourceId?: string | null
  additionalContext?: { category: string; id: string; content: string; metadata?: unknown }[]
  clientSubscriptionId?: string | null
  threadId?: string | null
}

/** The `aiAction` payload. */
export interface AiActionResult {
  requestId: string | null
  threadId: string | null
  errors: string[]
}

/** Sends a question with `aiAction` and returns the payload. */
export async function ask(gateway: Gateway, viewer: Viewer, question: Question): Promise<AiActionResult> {
  const result = await execute({
    schema: gateway.schema,
    document: AI_ACTION,
    contextValue: gateway.context(viewer),
    variableValues: {
      input: {
        chat: { content: question.content, resourceId: question.resourceId ?? null, additionalContext: question.additionalContext ?? null },
        clientSubscriptionId: question.clientSubscriptionId ?? null,
        threadId: question.threadId ?? null,
      },
    },
  })
  if (result.errors) throw new Error(`aiAction failed: ${JSON.stringify(result.errors)}`)
  return (result.data as { aiAction: AiActionResult }).aiAction
}

/** A finished conversation turn: the payload, all messages of the request and its final answer. */
export interface Turn {
  requestId: string
  threadId: string
  /** Every message of this request the asking subscription received, in order. */
  messages: ReceivedMessage[]
  answer: ReceivedMessage
}

/**
 * Asks a question over a fresh subscription (as the drawer does) and waits for its final answer.
 * The subscription is closed afterwards.
 */
export async function askAndWait(gateway: Gateway, viewer: Viewer, question: Omit<Question, 'clientSubscriptionId'>): Promise<Turn> {
  const clientSubscriptionId = globalThis.crypto.randomUUID()
  const subscription = await openSubscription(gateway, viewer, { clientSubscriptionId })
  try {
    const payload = await ask(gateway, viewer, { ...question, clientSubscriptionId })
    if (!payload.requestId || !payload.threadId) throw new Error(`aiAction refused: ${payload.errors.join(' ')}`)
    const answer = await subscription.waitForAnswer(payload.requestId)
    return {
      requestId: payload.requestId,
      threadId: payload.threadId,
      messages: subscription.messages.filter((message) => message.requestId === payload.requestId),
      answer,
    }
  } finally {
    await subscription.close()
  }
}

/** The concatenated content of a request's chunks, in chunkId order. */
export function joinChunks(messages: readonly ReceivedMessage[]): string {
  return messages
    .filter((message) => message.chunkId !== null)
    .sort((left, right) => (left.chunkId ?? 0) - (right.chunkId ?? 0))
    .map((message) => message.content)
    .join('')
}

/** The tool steps of a request, by human name. */
export function toolSteps(messages: readonly ReceivedMessage[]): string[] {
  return messages.filter((message) => message.type === 'TOOL').map((message) => message.content)
}
