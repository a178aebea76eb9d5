import type { DuoChatApolloClient } from './createApolloClient'
import {
  aiActionCancelMutation,
  aiCompletionResponseSubscription,
  aiConversationThreadsQuery,
  aiMessagesQuery,
  chatMutation,
  contextSearchQuery,
  contextStatusQuery,
  deleteConversationThreadMutation,
  duoUserFeedbackMutation,
  transcribeMutation,
} from './documents'
import { toBase64 } from '../composables/imageFiles'
import type { ContextItem } from '../state/contexts'
import { toAdditionalContext } from './additionalContext'
import { CLIENT_ERROR_CODES, DuoChatError, extractErrorCode, orDuoChatError, toDuoChatError } from './errors'
import { parseAiMessage } from './parseAiMessage'
import {
  aiCompletionResponseV2Subscription,
  aiMessagesV2ExtrasQuery,
  chatV2Mutation,
  contextProvidersQuery,
  hasProviderLists,
  withV2Extras,
  provideContextMutation,
  type ContextProviderLists,
  type GatewayContextProvider,
  type ProvideContextInput,
} from './duoChatV2'
import type { AiAdditionalContextCategory, AiConversationThread, AiMessage, ChatMutationVariables, ContextSearchResult, ContextStatus, PageCursor } from './types'

/** A question; the provider lists are Duo Chat V2's (sent with the extension mutation when any is set). */
export interface SendChatInput extends ContextProviderLists {
  question: string
  resourceId?: string | null
  threadId?: string | null
  clientSubscriptionId: string
  /** Context sent with the question; the transport turns it into the mutation's `additionalContext`. */
  contexts?: readonly ContextItem[]
  /** Extra variables that pass through to the `aiAction` mutation untouched. */
  variables?: Record<string, unknown>
  /** W3C `traceparent` header sent with the mutation, so the gateway's trace joins the host's. */
  traceparent?: string | null
}

export interface SubscribeHandlers {
  next(message: AiMessage): void
  error?(error: DuoChatError): void
}

/**
 * Everything the chat store needs from the network, and nothing more. The store depends on this
 * interface, never on Apollo, so tests and other transports can stand in for it.
 */
export interface DuoChatApi {
  sendChat(input: SendChatInput): Promise<{ requestId: string; threadId: string | null }>
  /** Subscribes to `aiCompletionResponse`; returns the unsubscribe function. */
  subscribe(variables: { userId: string; aiAction?: 'CHAT'; clientSubscriptionId?: string }, handlers: SubscribeHandlers): () => void
  /**
   * Resolves once the subscriptions opened so far are on the server, so that a mutation sent
   * afterwards cannot publish before anyone listens.
   */
  whenSubscribed(): Promise<void>
  loadMessages(filter: { threadId?: string | null; requestIds?: string[] }): Promise<AiMessage[]>
  loadThreads(): Promise<AiConversationThread[]>
  /** Searches issues, merge requests and files of the user's projects for the /include menu (gateway extension). */
  searchContext(query: string, categories?: AiAdditionalContextCategory[]): Promise<ContextSearchResult[]>
  /** Which of these context items the user may send (gateway extension). */
  contextStatus(ids: string[]): Promise<ContextStatus[]>
  /** Asks the gateway to stop the agent of a request (gateway extension). */
  cancel(requestId: string): Promise<void>
  deleteThread(threadId: string): Promise<void>
  sendFeedback(input: FeedbackInput): Promise<void>
  /** Duo Chat V2: the gateway's own context providers, for "Context sources" (gateway extension). A stand-in without it lists none. */
  loadContextProviders?(): Promise<GatewayContextProvider[]>
  /** Voice input: the gateway transcribes a recording (gateway extension). A stand-in without it offers only the browser's recognition. */
  transcribe?(audio: Blob): Promise<string>
  /** Duo Chat V2: answers the engine's REQUEST_CONTEXT with the reactive providers' items (gateway extension). */
  provideContext?(input: ProvideContextInput): Promise<{ accepted: number }>
}

/** Feedback on one answer, sent with GitLab's `duoUserFeedback`. */
export interface FeedbackInput {
  aiMessageId: string
  helpful: boolean
  /** Optional details the user wrote. */
  details?: string
}

const SUBSCRIBE_WAIT_MS = 3000
/** GitLab serves at most 100 messages a page. */
const PAGE_SIZE = 100
/** A thread longer than this many pages is cut, rather than read without end from a gateway that always says there is more. */
const MAX_PAGES = 50

/** Reads every page of a message connection, following `endCursor` while `hasNextPage`. */
async function allPages<T>(fetchPage: (after: string | null) => Promise<{ data?: { aiMessages: { nodes: (T | null)[] | null; pageInfo: PageCursor } } }>): Promise<(T | null)[]> {
  const nodes: (T | null)[] = []
  let after: string | null = null
  for (let page = 0; page < MAX_PAGES; page++) {
    const connection: { nodes: (T | null)[] | null; pageInfo: PageCursor } | undefined = (await fetchPage(after)).data?.aiMessages
    nodes.push(...(connection?.nodes ?? []))
    if (!connection?.pageInfo.hasNextPage || !connection.pageInfo.endCursor || connection.pageInfo.endCursor === after) break
    after = connection.pageInfo.endCursor
  }
  return nodes
}

/** The Apollo implementation of {@link DuoChatApi}. */
export function createChatApi({
  client,
  whenConnected,
  v2 = true,
}: Pick<DuoChatApolloClient, 'client' | 'whenConnected'> & {
  /**
   * Reads messages with the Duo Chat V2 extension fields (context requests, context used, steps).
   * Turn off for a GitLab instance, whose schema lacks them. @default true
   */
  v2?: boolean
}): DuoChatApi {
  const completionSubscription = v2 ? aiCompletionResponseV2Subscription : aiCompletionResponseSubscription

  const api: DuoChatApi = {
    async whenSubscribed() {
      // Bounded: when the socket cannot connect, the mutation still goes out and fails or is
      // recovered from history, rather than leaving the user with a spinner.
      let timer: ReturnType<typeof setTimeout> | undefined
      await Promise.race([whenConnected(), new Promise((resolve) => (timer = setTimeout(resolve, SUBSCRIBE_WAIT_MS)))])
      clearTimeout(timer)
      // graphql-ws sends waiting subscribe messages right after the ack: let that happen first.
      await new Promise((resolve) => setTimeout(resolve, 0))
    },

    async sendChat({ question, resourceId, threadId, clientSubscriptionId, contexts, variables, traceparent, ...lists }) {
      const images = contexts?.some((item) => item.category === 'IMAGE') ?? false
      // IMAGE is the gateway's extension category: GitLab's own mutation never carries it.
      if (images && !v2) throw new DuoChatError('Images need the Duo Chat gateway extensions, which are turned off. Remove the image and send again.', { kind: 'validation' })
      const providerLists = v2 && hasProviderLists(lists)
      const result = await orDuoChatError(() =>
        client.mutate({
          mutation: providerLists || images ? chatV2Mutation : chatMutation,
          variables: {
            ...variables,
            ...(providerLists ? lists : {}),
            question,
            resourceId: resourceId ?? null,
            threadId: threadId ?? null,
            clientSubscriptionId,
            additionalContext: contexts?.length ? toAdditionalContext(contexts) : null,
            conversationType: (variables?.conversationType as ChatMutationVariables['conversationType']) ?? 'DUO_CHAT',
          },
          ...(traceparent ? { context: { headers: { traceparent } } } : {}),
        }),
      )
      const payload = result.data?.aiAction
      if (payload?.errors.length) throw refusal(payload.errors)
      if (!payload?.requestId) throw new DuoChatError('The gateway accepted no request.', { kind: 'server', code: CLIENT_ERROR_CODES.badResponse })
      return { requestId: payload.requestId, threadId: payload.threadId }
    },

    subscribe(variables, handlers) {
      // no-cache: writing every chunk into the normalized cache and reading it back cost more than
      // delivering it (the other operations skip the cache through defaultOptions).
      const subscription = client
        // A chunk subscription (one question's clientSubscriptionId) asks GitLab for no HTML per chunk.
        .subscribe({ query: completionSubscription, variables: { ...variables, htmlResponse: !variables.clientSubscriptionId }, fetchPolicy: 'no-cache' })
        .subscribe({
          next: (result) => {
            if (result.error) {
              handlers.error?.(toDuoChatError(result.error))
              return
            }
            const message = parseAiMessage(result.data?.aiCompletionResponse)
            if (message) handlers.next(message)
          },
          error: (error: unknown) => handlers.error?.(toDuoChatError(error)),
        })
      return () => subscription.unsubscribe()
    },

    async loadMessages({ threadId, requestIds }) {
      const variables = { threadId: threadId ?? null, requestIds, conversationType: 'DUO_CHAT' as const }
      // The V2 extras come from a query of their own, beside GitLab's; without them the history still loads.
      const [nodes, extras] = await Promise.all([
        orDuoChatError(() => allPages((after) => client.query({ query: aiMessagesQuery, variables: { ...variables, first: PAGE_SIZE, after } }))),
        v2
          ? allPages((after) => client.query({ query: aiMessagesV2ExtrasQuery, variables: { ...variables, first: PAGE_SIZE, after } })).catch((e: unknown) => {
              console.warn('[duo-chat-drawer]: the context used and steps of earlier answers could not be loaded.', e)
              return null
            })
          : null,
      ])
      const messages = nodes.flatMap((node) => parseAiMessage(node) ?? [])
      return extras ? withV2Extras(messages, extras) : messages
    },

    async searchContext(query, categories) {
      const result = await orDuoChatError(() => client.query({ query: contextSearchQuery, variables: { query, categories, first: 20 } }))
      return result.data?.duoChatContextSearch ?? []
    },

    async contextStatus(ids) {
      if (!ids.length) return []
      const result = await orDuoChatError(() => client.query({ query: contextStatusQuery, variables: { ids } }))
      return result.data?.duoChatContextStatus ?? []
    },

    async cancel(requestId) {
      await mutateOrThrow(() => client.mutate({ mutation: aiActionCancelMutation, variables: { requestId } }), (data) => data?.aiActionCancel?.errors)
    },

    async deleteThread(threadId) {
      await mutateOrThrow(
        () => client.mutate({ mutation: deleteConversationThreadMutation, variables: { threadId } }),
        (data) => data?.deleteConversationThread?.errors,
      )
    },

    async sendFeedback({ aiMessageId, helpful, details }) {
      // GitLab's shape: a Snowplow-style tracking event that says what the user thought.
      const trackingEvent = {
        category: 'ask_gitlab_chat',
        action: 'click_button',
        label: 'response_feedback',
        property: helpful ? 'helpful' : 'unhelpful',
        extra: details ? { extendedFeedback: details } : undefined,
      }
      await mutateOrThrow(
        () => client.mutate({ mutation: duoUserFeedbackMutation, variables: { aiMessageId, trackingEvent } }),
        (data) => data?.duoUserFeedback?.errors,
      )
    },

    async loadContextProviders() {
      // Without the extension the gateway has no providers to list; the page's own still show.
      if (!v2) return []
      const result = await orDuoChatError(() => client.query({ query: contextProvidersQuery, variables: {} }))
      return (result.data?.duoChatContextProviders ?? []).map((p) => ({ ...p, mode: p.mode === 'REACTIVE' ? 'reactive' : 'proactive' }))
    },

    async provideContext({ requestId, contextRequestId, providedContexts, skippedProviders }) {
      const result = await orDuoChatError(() =>
        client.mutate({
          mutation: provideContextMutation,
          variables: { requestId, contextRequestId, providedContexts, skippedProviders: skippedProviders.length ? skippedProviders : null },
        }),
      )
      const payload = result.data?.duoChatProvideContext
      // Some items may be refused (a provider that was not asked for) while the rest are used.
      if (payload?.errors.length && !payload.accepted) throw refusal(payload.errors)
      if (payload?.errors.length) console.warn('[duo-chat-drawer]: the gateway left out some context:', payload.errors.join(' '))
      return { accepted: payload?.accepted ?? 0 }
    },

    async transcribe(audio) {
      const result = await orDuoChatError(async () =>
        client.mutate({ mutation: transcribeMutation, variables: { audio: toBase64(new Uint8Array(await audio.arrayBuffer())), mimeType: audio.type || 'application/octet-stream' } }),
      )
      const payload = result.data?.duoChatTranscribe
      if (payload?.errors.length) throw refusal(payload.errors)
      if (typeof payload?.text !== 'string') throw new DuoChatError('The gateway returned no transcription.', { kind: 'server', code: CLIENT_ERROR_CODES.badResponse })
      return payload.text
    },

    async loadThreads() {
      const result = await orDuoChatError(() => client.query({ query: aiConversationThreadsQuery, variables: {} }))
      return (result.data?.aiConversationThreads.nodes ?? []).filter((node) => node !== null)
    },
  }
  // Transcription is the gateway's extension: without it, voice input uses only the browser's recognition.
  if (!v2) delete api.transcribe
  return api
}

async function mutateOrThrow<TData>(mutate: () => Promise<{ data?: TData | null }>, errorsOf: (data: TData | null | undefined) => string[] | undefined): Promise<void> {
  const result = await orDuoChatError(mutate)
  const errors = errorsOf(result.data)
  if (errors?.length) throw refusal(errors)
}

/** A mutation the gateway answered with `errors`: it refused the input. */
function refusal(errors: readonly string[]): DuoChatError {
  return new DuoChatError(errors.join(' '), { kind: 'validation', code: extractErrorCode(...errors) })
}
