/**
 * Test helpers for Duo Chat V2: a subscription that selects the extension fields, and `aiAction`
 * / `duoChatProvideContext` with the provider lists, run through graphql as a transport would.
 */
import { execute, parse, subscribe } from 'graphql'
import type { Gateway, Viewer } from '../index'
import { recordSubscription } from '../testHelpers'

/** A message with the V2 fields, as an extension client receives it. */
export interface V2Message {
  requestId: string
  role: string
  type: string | null
  content: string
  errors: string[]
  chunkId: number | null
  messageType: string | null
  contextRequestId: string | null
  requestedContexts: { provider: string; reason: string }[] | null
  extras: {
    sources: unknown[] | null
    contextUsed: { origin: string; provider: string | null; contextType: string; id: string | null; title: string; webUrl: string | null; turns: number | null }[] | null
    steps: { name: string; title: string; status: string; reads: string[]; startedAtMs: number; durationMs: number; note: string | null }[] | null
    pipeline: string | null
  } | null
}

const FIELDS = `
  requestId role type content errors chunkId messageType contextRequestId requestedContexts { provider reason }
  extras { sources contextUsed { origin provider contextType id title webUrl turns } steps { name title status reads startedAtMs durationMs note } pipeline }
`

const SUBSCRIPTION = parse(`subscription ($userId: UserID, $clientSubscriptionId: String) {
  aiCompletionResponse(userId: $userId, aiAction: CHAT, clientSubscriptionId: $clientSubscriptionId) { ${FIELDS} }
}`)

const AI_ACTION = parse(`mutation ($input: AiActionInput!) { aiAction(input: $input) { requestId threadId errors } }`)
const PROVIDE = parse(`mutation ($input: DuoChatProvideContextInput!) { duoChatProvideContext(input: $input) { errors accepted } }`)
const MESSAGES = parse(`query ($threadId: AiConversationThreadID) { aiMessages(threadId: $threadId) { nodes { ${FIELDS} } } }`)

/** What a V2 client sends with a question. */
export interface V2Question {
  content: string
  resourceId?: string | null
  threadId?: string | null
  additionalContext?: { category: string; id: string; content: string; metadata?: unknown }[]
  proactiveContextProviders?: string[]
  reactiveContextProviders?: string[]
  excludedContextProviders?: string[]
}

/** An open V2 subscription for one question's clientSubscriptionId. */
export interface V2Subscription {
  readonly messages: V2Message[]
  waitFor(predicate: (message: V2Message) => boolean): Promise<V2Message>
  close(): Promise<void>
}

export async function openV2Subscription(gateway: Gateway, viewer: Viewer, clientSubscriptionId: string): Promise<V2Subscription> {
  const result = await subscribe({ schema: gateway.schema, document: SUBSCRIPTION, variableValues: { userId: viewer.id, clientSubscriptionId }, contextValue: gateway.context(viewer) })
  if (!(Symbol.asyncIterator in result)) throw new Error(`Subscription refused: ${JSON.stringify(result.errors)}`)
  return recordSubscription<V2Message>(result)
}

/** Sends a V2 question; returns the payload. */
export async function askV2(gateway: Gateway, viewer: Viewer, question: V2Question, clientSubscriptionId: string) {
  const { content, resourceId, threadId, additionalContext, ...providers } = question
  const result = await execute({
    schema: gateway.schema,
    document: AI_ACTION,
    contextValue: gateway.context(viewer),
    variableValues: { input: { chat: { content, resourceId: resourceId ?? null, additionalContext: additionalContext ?? null }, clientSubscriptionId, threadId: threadId ?? null, ...providers } },
  })
  if (result.errors) throw new Error(JSON.stringify(result.errors))
  return (result.data as { aiAction: { requestId: string | null; threadId: string | null; errors: string[] } }).aiAction
}

/** A finished V2 question: every message its subscription got, and the final answer. */
export interface V2Turn {
  requestId: string
  threadId: string
  messages: V2Message[]
  answer: V2Message
}

const isAnswerOf = (requestId: string) => (message: V2Message) => message.requestId === requestId && message.role === 'ASSISTANT' && message.chunkId === null

/**
 * Asks and waits for the answer; `onContextRequest` answers the engine's REQUEST_CONTEXT (a
 * client that never answers leaves it out).
 */
export async function askV2AndWait(
  gateway: Gateway,
  viewer: Viewer,
  question: V2Question,
  onContextRequest?: (request: V2Message, requestId: string) => Promise<unknown>,
): Promise<V2Turn> {
  const clientSubscriptionId = globalThis.crypto.randomUUID()
  const subscription = await openV2Subscription(gateway, viewer, clientSubscriptionId)
  try {
    const payload = await askV2(gateway, viewer, question, clientSubscriptionId)
    if (!payload.requestId || !payload.threadId) throw new Error(`aiAction refused: ${payload.errors.join(' ')}`)
    const requestId = payload.requestId
    if (onContextRequest) {
      void subscription
        .waitFor((message) => message.requestId === requestId && message.messageType === 'REQUEST_CONTEXT')
        .then((request) => onContextRequest(request, requestId))
    }
    const answer = await subscription.waitFor(isAnswerOf(requestId))
    return { requestId, threadId: payload.threadId, messages: subscription.messages.filter((message) => message.requestId === requestId), answer }
  } finally {
    await subscription.close()
  }
}

/** Calls `duoChatProvideContext`. */
export async function provideContext(
  gateway: Gateway,
  viewer: Viewer,
  input: { requestId: string; contextRequestId: string; providedContexts: { category: string; id: string; content: string; metadata?: unknown }[]; skippedProviders?: string[] },
) {
  const result = await execute({ schema: gateway.schema, document: PROVIDE, contextValue: gateway.context(viewer), variableValues: { input } })
  if (result.errors) throw new Error(JSON.stringify(result.errors))
  return (result.data as { duoChatProvideContext: { errors: string[]; accepted: number } }).duoChatProvideContext
}

/** The stored messages of a thread, with the V2 fields (what a reload shows). */
export async function storedMessages(gateway: Gateway, viewer: Viewer, threadId: string): Promise<V2Message[]> {
  const result = await execute({ schema: gateway.schema, document: MESSAGES, contextValue: gateway.context(viewer), variableValues: { threadId } })
  if (result.errors) throw new Error(JSON.stringify(result.errors))
  return (result.data as { aiMessages: { nodes: V2Message[] } }).aiMessages.nodes
}
