/**
 * Wire types of the operations in this folder, written by hand after
 * `shared/gitlab-ai-schema.graphql` (GitLab's names and nullability).
 */

import type { AnswerStep, ContextUsedEntry, RequestedContext } from './duoChatV2'

export type AiMessageRole = 'ASSISTANT' | 'SYSTEM' | 'USER'

export type AiAdditionalContextCategory =
  | 'DEPENDENCY'
  | 'FILE'
  | 'ISSUE'
  | 'LOCAL_GIT'
  | 'MERGE_REQUEST'
  | 'SNIPPET'
  | 'TERMINAL'
  /** The mock gateway's extension: a PNG, JPEG, WebP or GIF in base64; sent with the extension mutation only. */
  | 'IMAGE'

export interface AiAdditionalContext {
  id: string
  category: AiAdditionalContextCategory
  content: string
  metadata?: Record<string, unknown> | null
}

/** A source an answer was grounded in (GitLab sends free-form JSON; these are the keys it uses). */
export interface AiMessageSource {
  title?: string
  source_url?: string
  url?: string
  [key: string]: unknown
}

export interface AiMessageExtras {
  sources?: AiMessageSource[] | null
  hasFeedback?: boolean | null
  additionalContext?: AiAdditionalContext[] | null
  /** Extension (Duo Chat V2): everything that reached the model for this answer. */
  contextUsed?: ContextUsedEntry[] | null
  /** Extension (Duo Chat V2): the retrievals and other steps that produced this answer, with timings. */
  steps?: AnswerStep[] | null
  /** Extension (Duo Chat V2): the pipeline that answered. */
  pipeline?: 'REACT' | 'RAG' | null
}

export interface AiMessage {
  id?: string | null
  requestId?: string | null
  role: AiMessageRole
  type?: 'TOOL' | null
  content?: string | null
  contentHtml?: string | null
  errors?: string[] | null
  chunkId?: number | null
  threadId?: string | null
  timestamp: string
  extras?: AiMessageExtras | null
  /** Extension (Duo Chat V2): INPUT, REQUEST_CONTEXT or RESPONSE. */
  messageType?: 'INPUT' | 'REQUEST_CONTEXT' | 'RESPONSE' | null
  /** Extension (Duo Chat V2), REQUEST_CONTEXT only: the id to answer with. */
  contextRequestId?: string | null
  /** Extension (Duo Chat V2), REQUEST_CONTEXT only: the providers the engine asks for. */
  requestedContexts?: RequestedContext[] | null
}

export interface ChatMutationVariables {
  question: string
  resourceId?: string | null
  clientSubscriptionId?: string
  threadId?: string | null
  additionalContext?: AiAdditionalContext[] | null
  conversationType?: 'DUO_CHAT' | 'DUO_CHAT_LEGACY' | 'DUO_CODE_REVIEW' | 'DUO_QUICK_CHAT'
  projectId?: string | null
  platformOrigin?: string
  namespaceId?: string | null
  currentFile?: { fileName: string; selectedText: string; contentAboveCursor?: string | null; contentBelowCursor?: string | null } | null
  agentVersionId?: string | null
  clientMutationId?: string | null
  [variable: string]: unknown
}

export interface ChatMutationResult {
  aiAction: { requestId: string | null; threadId: string | null; errors: string[] } | null
}

export interface AiCompletionResponseVariables {
  userId: string
  aiAction?: 'CHAT'
  clientSubscriptionId?: string
  /** Whether GitLab renders `contentHtml`; chunk subscriptions pass false. @default true */
  htmlResponse?: boolean
}

export interface AiCompletionResponseResult {
  aiCompletionResponse: AiMessage | null
}

export interface AiMessagesVariables {
  threadId?: string | null
  requestIds?: string[]
  conversationType?: 'DUO_CHAT'
  first?: number
  after?: string | null
}

/** Where a page of a connection ends, and whether more follow. */
export interface PageCursor {
  hasNextPage: boolean
  endCursor: string | null
}

export interface AiMessagesResult {
  aiMessages: { nodes: (AiMessage | null)[] | null; pageInfo: PageCursor }
}

export interface AiConversationThread {
  id: string
  title: string | null
  conversationType: string
  createdAt: string
  lastUpdatedAt: string
}

export interface AiConversationThreadsResult {
  aiConversationThreads: { nodes: (AiConversationThread | null)[] | null }
}

/** A search hit of the /include menu (extension query `duoChatContextSearch`). */
export interface ContextSearchResult {
  id: string
  category: AiAdditionalContextCategory
  title: string
  description: string | null
  webUrl: string | null
  enabled: boolean
  disabledReason: string | null
}

export interface ContextSearchResponse {
  duoChatContextSearch: ContextSearchResult[]
}

export interface ContextSearchVariables {
  query: string
  categories?: AiAdditionalContextCategory[]
  first?: number
}

/** Whether a context item may be sent (extension query `duoChatContextStatus`). */
export interface ContextStatus {
  id: string
  enabled: boolean
  disabledReason: string | null
}

export interface ContextStatusResponse {
  duoChatContextStatus: ContextStatus[]
}
