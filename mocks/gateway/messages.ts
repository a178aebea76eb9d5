/**
 * Chat messages as the gateway stores and publishes them: the `AiMessage` GraphQL type as plain
 * data, plus the constructors for each kind (user question, tool step, chunk, final answer).
 */
import { measureJson } from './jsonSize'
import type { AdditionalContextItem } from './reactFormat'
import type { AnswerStep, ContextUsed, RequestedContext } from './pipeline/transparency'
import type { Source } from './tools'

export type AiMessageRole = 'ASSISTANT' | 'SYSTEM' | 'USER'

/** `AiMessageExtras`. */
export interface MessageExtras {
  sources: Source[]
  additionalContext: AdditionalContextItem[]
  hasFeedback: boolean
  /** V2: everything that reached the model (answers only). */
  contextUsed?: ContextUsed[]
  /** V2: the retrievals, tools, grading and context requests of the answer. */
  steps?: AnswerStep[]
  /** V2: `REACT` or `RAG`. */
  pipeline?: 'REACT' | 'RAG'
}

/** One `AiMessage`; graphql's default resolvers read these fields directly. */
export interface AiMessageRecord {
  /** `gid://gitlab/Ai::Message/<uuid>` for complete messages; null for chunks and tool steps. */
  id: string | null
  requestId: string
  role: AiMessageRole
  type: 'TOOL' | null
  content: string
  contentHtml: string | null
  errors: string[]
  /** 1, 2, 3... for streamed chunks; null for complete messages and tool steps. */
  chunkId: number | null
  threadId: string
  /** ISO 8601. */
  timestamp: string
  agentVersionId: string | null
  extras: MessageExtras | null
  /** V2: set on context requests; the resolver derives INPUT / RESPONSE for the rest. */
  messageType?: 'REQUEST_CONTEXT'
  requestedContexts?: RequestedContext[]
  contextRequestId?: string
}

/** What every message of one request shares. */
export interface RequestRef {
  requestId: string
  threadId: string
}

function base(ref: RequestRef): Pick<AiMessageRecord, 'requestId' | 'threadId' | 'timestamp' | 'agentVersionId' | 'contentHtml'> {
  return { requestId: ref.requestId, threadId: ref.threadId, timestamp: new Date().toISOString(), agentVersionId: null, contentHtml: null }
}

function messageId(): string {
  return `gid://gitlab/Ai::Message/${globalThis.crypto.randomUUID()}`
}

/** The user's question, with the context they attached. */
export function userMessage(ref: RequestRef, content: string, additionalContext: AdditionalContextItem[]): AiMessageRecord {
  return {
    ...base(ref),
    id: messageId(),
    role: 'USER',
    type: null,
    content,
    errors: [],
    chunkId: null,
    extras: { sources: [], additionalContext, hasFeedback: false },
  }
}

/** "The agent is now using <tool>", shown while a tool runs. */
export function toolStepMessage(ref: RequestRef, humanName: string): AiMessageRecord {
  return { ...base(ref), id: null, role: 'SYSTEM', type: 'TOOL', content: humanName, errors: [], chunkId: null, extras: null }
}

/** V2: the engine asks the client's reactive providers for context (sent to the asking subscription, never stored). */
export function contextRequestMessage(ref: RequestRef, contextRequestId: string, requestedContexts: RequestedContext[], content: string): AiMessageRecord {
  return {
    ...base(ref),
    id: null,
    role: 'SYSTEM',
    type: null,
    content,
    errors: [],
    chunkId: null,
    extras: null,
    messageType: 'REQUEST_CONTEXT',
    requestedContexts,
    contextRequestId,
  }
}

/** One streamed piece of the answer. */
export function chunkMessage(ref: RequestRef, chunkId: number, content: string): AiMessageRecord {
  return { ...base(ref), id: null, role: 'ASSISTANT', type: null, content, errors: [], chunkId, extras: null }
}

/** The complete answer, or the sentence that explains why there is none (`errors` then holds the coded message). */
export function assistantMessage(
  ref: RequestRef,
  content: string,
  options: { errors?: string[]; sources?: Source[] } = {},
): AiMessageRecord {
  return {
    ...base(ref),
    id: messageId(),
    role: 'ASSISTANT',
    type: null,
    content,
    errors: options.errors ?? [],
    chunkId: null,
    extras: { sources: options.sources ?? [], additionalContext: [], hasFeedback: false },
  }
}

/**
 * What a message weighs in a thread's size limit and in a page's: its text, errors and attached
 * context (content, id, category and metadata as JSON) and its sources. Metadata was measured
 * when the question came in, so this never meets a structure it cannot walk.
 */
export function messageLength(message: AiMessageRecord): number {
  const known = lengths.get(message)
  if (known !== undefined) return known
  let length = message.content.length + (message.contentHtml?.length ?? 0)
  for (const error of message.errors) length += error.length
  for (const item of message.extras?.additionalContext ?? []) {
    // Images are bounded per question (maxImageBytes, maxImagesPerQuestion), not by text size.
    length += (item.category === 'IMAGE' ? 0 : item.content.length) + item.id.length + item.category.length
    if (item.metadata != null) {
      const measured = measureJson(item.metadata, { maxDepth: 64, maxLength: Number.MAX_SAFE_INTEGER })
      length += measured.ok ? measured.length : 0
    }
  }
  for (const extra of [message.extras?.contextUsed, message.extras?.steps]) {
    if (!extra) continue
    const measured = measureJson(extra, { maxDepth: 64, maxLength: Number.MAX_SAFE_INTEGER })
    length += measured.ok ? measured.length : 0
  }
  for (const source of message.extras?.sources ?? []) {
    const measured = measureJson(source, { maxDepth: 64, maxLength: Number.MAX_SAFE_INTEGER })
    length += measured.ok ? measured.length : 0
  }
  lengths.set(message, length)
  return length
}

const lengths = new WeakMap<AiMessageRecord, number>()
