import type { TypedDocumentNode } from '@apollo/client'
import { parse } from 'graphql'
import aiActionSource from './aiAction.mutation.graphql?raw'
import aiActionCancelSource from './aiActionCancel.extension.mutation.graphql?raw'
import aiCompletionResponseSource from './aiCompletionResponse.subscription.graphql?raw'
import aiConversationThreadsSource from './aiConversationThreads.query.graphql?raw'
import aiMessageFieldsSource from './aiMessageFields.fragment.graphql?raw'
import aiMessagesSource from './aiMessages.query.graphql?raw'
import contextSearchSource from './contextSearch.extension.query.graphql?raw'
import contextStatusSource from './contextStatus.extension.query.graphql?raw'
import deleteConversationThreadSource from './deleteConversationThread.mutation.graphql?raw'
import duoUserFeedbackSource from './duoUserFeedback.mutation.graphql?raw'
import transcribeSource from './transcribe.extension.mutation.graphql?raw'
import type {
  AiCompletionResponseResult,
  AiCompletionResponseVariables,
  AiConversationThreadsResult,
  AiMessagesResult,
  AiMessagesVariables,
  ChatMutationResult,
  ChatMutationVariables,
  ContextSearchResponse,
  ContextSearchVariables,
  ContextStatusResponse,
} from './types'

/** Operations of the mock gateway's extensions; a test validates them against its schema. */
export const extensionOperationSources = {
  contextSearch: contextSearchSource,
  contextStatus: contextStatusSource,
  aiActionCancel: aiActionCancelSource,
  transcribe: transcribeSource,
} as const

/** The raw operation sources, as sent; the schema-compatibility test validates each. */
export const operationSources = {
  aiAction: aiActionSource,
  aiCompletionResponse: `${aiCompletionResponseSource}\n${aiMessageFieldsSource}`,
  aiMessages: `${aiMessagesSource}\n${aiMessageFieldsSource}`,
  aiConversationThreads: aiConversationThreadsSource,
  deleteConversationThread: deleteConversationThreadSource,
  duoUserFeedback: duoUserFeedbackSource,
} as const

export const chatMutation: TypedDocumentNode<ChatMutationResult, ChatMutationVariables> = parse(
  operationSources.aiAction,
)

export const aiCompletionResponseSubscription: TypedDocumentNode<
  AiCompletionResponseResult,
  AiCompletionResponseVariables
> = parse(operationSources.aiCompletionResponse)

export const aiMessagesQuery: TypedDocumentNode<AiMessagesResult, AiMessagesVariables> = parse(
  operationSources.aiMessages,
)

export const aiConversationThreadsQuery: TypedDocumentNode<
  AiConversationThreadsResult,
  Record<string, never>
> = parse(operationSources.aiConversationThreads)

export const contextSearchQuery: TypedDocumentNode<ContextSearchResponse, ContextSearchVariables> = parse(
  extensionOperationSources.contextSearch,
)

export const contextStatusQuery: TypedDocumentNode<ContextStatusResponse, { ids: string[] }> = parse(
  extensionOperationSources.contextStatus,
)

export const aiActionCancelMutation: TypedDocumentNode<
  { aiActionCancel: { errors: string[] } | null },
  { requestId: string }
> = parse(extensionOperationSources.aiActionCancel)

export const deleteConversationThreadMutation: TypedDocumentNode<
  { deleteConversationThread: { success: boolean; errors: string[] } | null },
  { threadId: string }
> = parse(operationSources.deleteConversationThread)

export const duoUserFeedbackMutation: TypedDocumentNode<
  { duoUserFeedback: { errors: string[] } | null },
  { aiMessageId: string; trackingEvent?: { category: string; action: string; label?: string; property?: string; extra?: Record<string, unknown> } }
> = parse(operationSources.duoUserFeedback)

export const transcribeMutation: TypedDocumentNode<
  { duoChatTranscribe: { text: string | null; errors: string[] } | null },
  { audio: string; mimeType: string }
> = parse(extensionOperationSources.transcribe)
