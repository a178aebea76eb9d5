/**
 * Duo Chat V2 (context providers) on the wire: the extension documents and their types, after
 * the "Duo Chat V2: context providers" section of mocks/PROTOCOL.md. GitLab has none of this; the
 * drawer's GitLab operations stay as they are in their own files.
 */
import type { TypedDocumentNode } from '@apollo/client'
import { parse } from 'graphql'
import aiActionV2Source from './aiAction.extension.mutation.graphql?raw'
import aiCompletionResponseV2Source from './aiCompletionResponse.extension.subscription.graphql?raw'
import aiMessageFieldsSource from './aiMessageFields.fragment.graphql?raw'
import aiMessagesV2Source from './aiMessages.extension.query.graphql?raw'
import contextProvidersSource from './contextProviders.extension.query.graphql?raw'
import v2FieldsSource from './duoChatV2Fields.extension.fragment.graphql?raw'
import provideContextSource from './provideContext.extension.mutation.graphql?raw'
import type { AiAdditionalContext, AiCompletionResponseResult, AiCompletionResponseVariables, AiMessage, AiMessagesVariables, ChatMutationResult, ChatMutationVariables, PageCursor } from './types'

/** A provider the gateway runs itself (one of its retrievers). */
export interface GatewayContextProvider {
  name: string
  title: string
  mode: 'proactive' | 'reactive'
  description: string | null
}

/** What the engine asks a reactive provider for. */
export interface RequestedContext {
  provider: string
  reason: string
}

/** Where something that reached the model came from. */
export type ContextUsedOrigin = 'ATTACHED' | 'PROACTIVE' | 'REACTIVE' | 'RETRIEVER' | 'HISTORY'

/** One thing that reached the model for an answer (`extras.contextUsed`). */
export interface ContextUsedEntry {
  origin: ContextUsedOrigin
  /** The provider or retriever name; null for items the user attached. */
  provider: string | null
  contextType: string
  id: string | null
  title: string
  /** HISTORY only: how many earlier turns were included. */
  turns: number | null
}

/** One retrieval, tool call, grading or context request of an answer (`extras.steps`). */
export interface AnswerStep {
  name: string
  title: string
  /** ok | excluded | denied | empty | timeout | error */
  status: string
  /** Global ids, document URLs or provider names the step read. */
  reads: string[]
  startedAtMs: number
  durationMs: number
  note: string | null
}

/** The question's provider lists (the blueprint's proactive / reactive / excluded providers). */
export interface ContextProviderLists {
  proactiveContextProviders?: string[]
  reactiveContextProviders?: string[]
  excludedContextProviders?: string[]
}

export interface ProvideContextInput {
  requestId: string
  contextRequestId: string
  providedContexts: AiAdditionalContext[]
  skippedProviders: string[]
}

/** The V2 operations; a test validates each against the mock gateway's schema. */
export const v2OperationSources = {
  aiActionV2: aiActionV2Source,
  aiCompletionResponseV2: `${aiCompletionResponseV2Source}\n${aiMessageFieldsSource}\n${v2FieldsSource}`,
  aiMessagesV2Extras: `${aiMessagesV2Source}\n${v2FieldsSource}`,
  contextProviders: contextProvidersSource,
  provideContext: provideContextSource,
} as const

export const chatV2Mutation: TypedDocumentNode<ChatMutationResult, ChatMutationVariables & ContextProviderLists> = parse(v2OperationSources.aiActionV2)

export const aiCompletionResponseV2Subscription: TypedDocumentNode<AiCompletionResponseResult, AiCompletionResponseVariables> = parse(
  v2OperationSources.aiCompletionResponseV2,
)

export const aiMessagesV2ExtrasQuery: TypedDocumentNode<
  { aiMessages: { nodes: (Pick<AiMessage, 'requestId' | 'role' | 'extras'> | null)[] | null; pageInfo: PageCursor } },
  AiMessagesVariables
> = parse(v2OperationSources.aiMessagesV2Extras)

export const contextProvidersQuery: TypedDocumentNode<
  { duoChatContextProviders: { name: string; title: string; mode: 'PROACTIVE' | 'REACTIVE'; description: string | null }[] },
  Record<string, never>
> = parse(v2OperationSources.contextProviders)

export const provideContextMutation: TypedDocumentNode<
  { duoChatProvideContext: { errors: string[]; accepted: number } | null },
  Omit<ProvideContextInput, 'skippedProviders'> & { skippedProviders: string[] | null }
> = parse(v2OperationSources.provideContext)

/** Whether a question has anything to say about providers; if not, GitLab's own mutation goes. */
export function hasProviderLists(lists: ContextProviderLists): boolean {
  return !!(lists.proactiveContextProviders?.length || lists.reactiveContextProviders?.length || lists.excludedContextProviders?.length)
}

/** GitLab's messages with the V2 extras of the same request and role added (context used, steps, pipeline). */
export function withV2Extras(messages: AiMessage[], extrasNodes: readonly (Pick<AiMessage, 'requestId' | 'role' | 'extras'> | null)[]): AiMessage[] {
  const byKey = new Map(extrasNodes.flatMap((node) => (node?.requestId && node.extras ? [[`${node.role}:${node.requestId}`, node.extras] as const] : [])))
  return messages.map((message) => {
    const extras = message.requestId ? byKey.get(`${message.role}:${message.requestId}`) : undefined
    if (!extras || !(extras.contextUsed || extras.steps || extras.pipeline)) return message
    return { ...message, extras: { ...message.extras, contextUsed: extras.contextUsed ?? null, steps: extras.steps ?? null, pipeline: extras.pipeline ?? null } }
  })
}
