import { GraphQLError } from 'graphql'
import type { AuditLogger } from './audit'
import { requireViewer, type GatewayContext } from './auth'
import { transcribeWith, type Transcriber } from './transcription'
import type { AiActionInput, ChatEvent, ChatRequests, ProvideContextInput } from './chatRequests'
import { checkPageSize, toConnection, type ConnectionArgs } from './connection'
import { contextStatus, searchContext, type ContextCategory } from './contextCatalog'
import type { Fixtures } from './fixtures'
import type { ChatHistory, ConversationType } from './history'
import { formatErrorMessage } from './errors'
import type { GatewayLimits } from './limits'
import { messageLength, type AiMessageRecord, type AiMessageRole } from './messages'
import { GATEWAY_CONTEXT_PROVIDERS } from './pipeline/providerNames'
import type { PubSub } from './pubsub'
import type { ResolverMap } from './executableSchema'

/** What the resolvers act on. */
export interface ResolverDependencies {
  history: ChatHistory
  pubsub: PubSub<ChatEvent>
  chat: ChatRequests
  fixtures: Fixtures
  limits: GatewayLimits
  audit?: AuditLogger
  /** Speech-to-text for recordings that are not fixture clips; none answers them with A6001. */
  transcriber?: Transcriber | null
}

interface AiMessagesArgs extends ConnectionArgs {
  threadId?: string | null
  conversationType?: ConversationType | null
  requestIds?: string[] | null
  roles?: AiMessageRole[] | null
}

interface ThreadsArgs extends ConnectionArgs {
  conversationType?: ConversationType | null
  id?: string | null
}

interface SubscriptionArgs {
  userId?: string | null
  aiAction?: 'CHAT' | null
  clientSubscriptionId?: string | null
}

const NOT_YOUR_THREAD = "This conversation doesn't exist or isn't yours."

/**
 * Whether a subscription gets an event: complete messages reach every chat subscription of the
 * user (all tabs stay in sync); chunks and tool steps only the subscription that asked.
 */
export function subscriptionAccepts(args: SubscriptionArgs, event: ChatEvent): boolean {
  if (event.broadcast && args.aiAction === 'CHAT') return true
  return event.clientSubscriptionId !== null && event.clientSubscriptionId === args.clientSubscriptionId
}

/** The resolvers of the gateway schema. */
export function createResolvers({ history, pubsub, chat, fixtures, limits, audit, transcriber }: ResolverDependencies): ResolverMap<GatewayContext> {
  const { defaultPageSize, maxPageSize } = limits.query
  /** A list argument longer than a page is refused like a page that is too large. */
  const checkListLength = (values: readonly unknown[] | null | undefined, argument: string) => {
    if (values && values.length > maxPageSize) {
      const sentence = `"${argument}" has ${values.length} items, over the limit of ${maxPageSize}. Ask for fewer at a time.`
      throw new GraphQLError(formatErrorMessage('M4014', sentence), { extensions: { code: 'M4014' } })
    }
  }
  /** Adds a page to what the operation has read; M4015 once it is over `maxResponseLength`. */
  const chargeRead = (context: GatewayContext, messages: readonly AiMessageRecord[]) => {
    if (!context.reads) return
    for (const message of messages) context.reads.length += messageLength(message)
    if (context.reads.length > limits.maxResponseLength) {
      const sentence = `This request reads more than ${limits.maxResponseLength.toLocaleString('en-US')} characters of chat history at once. Ask for fewer or smaller pages (first/last) per request.`
      throw new GraphQLError(formatErrorMessage('M4015', sentence), { extensions: { code: 'M4015' } })
    }
  }
  return {
    Query: {
      duoChatContextProviders: {
        resolve(_source, _args, context) {
          requireViewer(context)
          return GATEWAY_CONTEXT_PROVIDERS
        },
      },
      duoChatContextSearch: {
        resolve(_source, rawArgs, context) {
          const viewer = requireViewer(context)
          const args = rawArgs as { query: string; categories?: ContextCategory[] | null; first?: number | null }
          checkPageSize(args.first, 'first', maxPageSize)
          return searchContext(fixtures, viewer.id, args.query.slice(0, 200), args.categories ?? null, args.first ?? 20)
        },
      },
      duoChatContextStatus: {
        resolve(_source, rawArgs, context) {
          const viewer = requireViewer(context)
          const { ids } = rawArgs as { ids: string[] }
          if (ids.length > 100) throw new GraphQLError('Ask about at most 100 context items at a time.', { extensions: { code: 'BAD_USER_INPUT' } })
          return ids.map((id) => contextStatus(fixtures, viewer.id, id))
        },
      },
      aiMessages: {
        resolve(_source, rawArgs, context) {
          const viewer = requireViewer(context)
          const args = rawArgs as AiMessagesArgs
          checkListLength(args.requestIds, 'requestIds')
          // Every read goes through the viewer's id: someone else's thread or request reads as an
          // empty one, so nothing of it, not even its existence, leaks.
          let messages: AiMessageRecord[]
          if (!args.threadId && args.requestIds) {
            // Looking up requests (a client recovering answers after a reconnect) searches all of
            // the viewer's threads: the user may have started a new chat meanwhile.
            messages = history.messagesOfRequests(viewer.id, args.requestIds)
          } else {
            // Without a thread id GitLab's clients mean "the conversation I had open last".
            const thread = args.threadId
              ? history.findThread(viewer.id, args.threadId)
              : history.listThreads(viewer.id, args.conversationType ?? 'DUO_CHAT')[0]
            messages = thread ? history.messages(viewer.id, thread.id) : []
          }
          const filtered = messages.filter(
            (message) =>
              (!args.requestIds || args.requestIds.includes(message.requestId)) &&
              (!args.roles || args.roles.includes(message.role)),
          )
          // A page stops at maxPageLength characters, so no single read answers more than that;
          // a thread (at most maxThreadLength) always fits in one.
          const page = toConnection(filtered, args, (message) => message.id ?? '', {
            defaultPageSize,
            maxPageSize,
            lengthOf: messageLength,
            maxPageLength: limits.maxPageLength,
          })
          chargeRead(context, page.nodes)
          return page
        },
      },
      aiConversationThreads: {
        resolve(_source, rawArgs, context) {
          const viewer = requireViewer(context)
          const args = rawArgs as ThreadsArgs
          const threads = history
            .listThreads(viewer.id, args.conversationType)
            .filter((thread) => !args.id || thread.id === args.id)
          return toConnection(threads, args, (thread) => thread.id, { defaultPageSize, maxPageSize })
        },
      },
    },

    Mutation: {
      aiAction: {
        resolve(_source, args, context) {
          return chat.start(requireViewer(context), (args as { input: AiActionInput }).input, { traceparent: context.traceparent })
        },
      },
      duoChatProvideContext: {
        resolve(_source, args, context) {
          const { input } = args as { input: ProvideContextInput }
          return { clientMutationId: input.clientMutationId ?? null, ...chat.provideContext(requireViewer(context), input) }
        },
      },
      duoChatTranscribe: {
        async resolve(_source, args, context) {
          requireViewer(context)
          const { input } = args as { input: { audio: string; mimeType: string; clientMutationId?: string | null } }
          return { clientMutationId: input.clientMutationId ?? null, ...(await transcribeWith(transcriber, limits, input.audio, input.mimeType)) }
        },
      },
      aiActionCancel: {
        resolve(_source, args, context) {
          const { input } = args as { input: { requestId: string; clientMutationId?: string | null } }
          return { clientMutationId: input.clientMutationId ?? null, errors: chat.cancel(requireViewer(context), input.requestId) }
        },
      },
      deleteConversationThread: {
        resolve(_source, args, context) {
          const viewer = requireViewer(context)
          const { input } = args as { input: { threadId: string; clientMutationId?: string | null } }
          const clientMutationId = input.clientMutationId ?? null
          if (!history.findThread(viewer.id, input.threadId)) return { clientMutationId, errors: [NOT_YOUR_THREAD], success: false }
          // An answer still running would otherwise land in a thread that no longer exists.
          chat.abortThread(viewer.id, input.threadId)
          history.deleteThread(viewer.id, input.threadId)
          return { clientMutationId, errors: [], success: true }
        },
      },
      duoUserFeedback: {
        resolve(_source, args, context) {
          const viewer = requireViewer(context)
          const { input } = args as { input: { aiMessageId: string; clientMutationId?: string | null } }
          const clientMutationId = input.clientMutationId ?? null
          const message = history.findMessage(viewer.id, input.aiMessageId)
          if (!message?.extras) return { clientMutationId, errors: ["This message doesn't exist or isn't yours."] }
          if (message.role !== 'ASSISTANT') return { clientMutationId, errors: ['Feedback can only be given on GitLab Duo answers.'] }
          message.extras.hasFeedback = true
          return { clientMutationId, errors: [] }
        },
      },
    },

    AiMessage: {
      messageType: {
        resolve(source) {
          const message = source as AiMessageRecord
          return message.messageType ?? (message.role === 'USER' ? 'INPUT' : 'RESPONSE')
        },
      },
    },

    Subscription: {
      aiCompletionResponse: {
        subscribe(_source, rawArgs, context) {
          const viewer = requireViewer(context)
          const args = rawArgs as SubscriptionArgs
          // Same answer for any other id, so the refusal says nothing about other users.
          if (args.userId !== viewer.id) {
            audit?.({ time: new Date().toISOString(), level: 'warn', event: 'subscription_refused', userId: viewer.id })
            throw new GraphQLError('You can only subscribe to AI responses for your own user id.', {
              extensions: { code: 'FORBIDDEN' },
            })
          }
          return pubsub.subscribe(viewer.id, (event) => subscriptionAccepts(args, event))
        },
        resolve(event) {
          return (event as ChatEvent).message
        },
      },
    },
  }
}
