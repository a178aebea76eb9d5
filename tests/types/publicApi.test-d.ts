// Type tests of the public API, as a host sees it through `duo-chat-drawer`. `npm run typecheck`
// checks them against the sources (tsconfig.json maps the package name to src/); the consumer test
// (tests/consumer/run.mjs) checks the same file against the declarations of the packed tarball.
import { describe, expectTypeOf, test } from 'vitest'
import type { Plugin } from 'vue'
import {
  createDuoChat,
  defaultLabels,
  duoChatGlobalState,
  DuoChatError,
  sendDuoChatCommand,
  useDuoChatStore,
  whenLazyPartsReady,
  type AiAdditionalContextCategory,
  type AiConversationThread,
  type AiMessage,
  type ChatAnswer,
  type ConnectionStatus,
  type ContextItem,
  type ContextSearchResult,
  type ContextStatus,
  type DuoChatApi,
  type DuoChatCommand,
  type DuoChatGlobalState,
  type DuoChatLabels,
  type DuoChatOptions,
  type DuoChatStore,
  type FeedbackInput,
  type QueuedCommand,
  type SendChatInput,
  type SubscribeHandlers,
} from 'duo-chat-drawer'
import { createMockGateway, type MockDuoChatOptions, type MockGateway } from 'duo-chat-drawer/mocks'

describe('createDuoChat', () => {
  test('takes DuoChatOptions and returns a Vue plugin', () => {
    expectTypeOf(createDuoChat).parameter(0).toEqualTypeOf<DuoChatOptions>()
    expectTypeOf(createDuoChat).returns.toExtend<Plugin>()
  })

  test('needs graphqlUrl and userId; everything else is optional', () => {
    expectTypeOf<Extract<DuoChatOptions, { transport?: 'graphql-ws' }>['graphqlUrl']>().toEqualTypeOf<string>()
    expectTypeOf<DuoChatOptions['userId']>().toEqualTypeOf<string>()
    expectTypeOf<DuoChatOptions>().toHaveProperty('wsUrl').toEqualTypeOf<string | undefined>()
    expectTypeOf<{ graphqlUrl: string }>().not.toExtend<DuoChatOptions>()
    expectTypeOf<{ userId: string }>().not.toExtend<DuoChatOptions>()
    expectTypeOf<{ transport: 'actioncable'; userId: string }>().toExtend<DuoChatOptions>()
  })

  test('a token is a string or a function that returns the current one', () => {
    expectTypeOf(createDuoChat).toBeCallableWith({ graphqlUrl: '/g', userId: 'u', token: 'alice-token' })
    expectTypeOf(createDuoChat).toBeCallableWith({ graphqlUrl: '/g', userId: 'u', token: () => 'alice-token' })
    expectTypeOf<{ graphqlUrl: string; userId: string; token: number }>().not.toExtend<DuoChatOptions>()
  })

  test('labels are a partial set of DuoChatLabels', () => {
    expectTypeOf<DuoChatOptions['labels']>().toEqualTypeOf<Partial<DuoChatLabels> | undefined>()
    expectTypeOf(createDuoChat).toBeCallableWith({ graphqlUrl: '/g', userId: 'u', labels: { send: 'Senden', remove: (title: string) => `${title} entfernen` } })
  })

  test('the transport can be replaced by any DuoChatApi', () => {
    expectTypeOf<DuoChatOptions['api']>().toEqualTypeOf<DuoChatApi | undefined>()
  })

  test('the mock gateway gives options createDuoChat accepts', () => {
    expectTypeOf(createMockGateway).returns.toEqualTypeOf<MockGateway>()
    expectTypeOf<MockGateway['duoChatOptions']>().returns.toEqualTypeOf<MockDuoChatOptions>()
    expectTypeOf<MockDuoChatOptions>().toExtend<DuoChatOptions>()
  })
})

describe('sendDuoChatCommand', () => {
  test('takes a DuoChatCommand and resolves with the final ChatAnswer', () => {
    expectTypeOf(sendDuoChatCommand).parameter(0).toEqualTypeOf<DuoChatCommand>()
    expectTypeOf(sendDuoChatCommand).returns.toEqualTypeOf<Promise<ChatAnswer>>()
    expectTypeOf<ChatAnswer>().toEqualTypeOf<{ requestId: string; threadId: string | null; content: string; errors: string[] }>()
  })

  test('question and resourceId are required', () => {
    expectTypeOf<DuoChatCommand['question']>().toEqualTypeOf<string>()
    expectTypeOf<DuoChatCommand['resourceId']>().toEqualTypeOf<string>()
    expectTypeOf<{ question: string }>().not.toExtend<DuoChatCommand>()
    expectTypeOf<{ resourceId: string }>().not.toExtend<DuoChatCommand>()
  })

  test('variables, contexts and newChat are optional; contexts are ContextItems', () => {
    expectTypeOf(sendDuoChatCommand).toBeCallableWith({ question: '/explain', resourceId: 'gid://gitlab/Issue/1' })
    expectTypeOf<DuoChatCommand['variables']>().toEqualTypeOf<Record<string, unknown> | undefined>()
    expectTypeOf<DuoChatCommand['newChat']>().toEqualTypeOf<boolean | undefined>()
    const chip: ContextItem = { id: 'gid://gitlab/Issue/2', category: 'ISSUE', title: 'Issue 2' }
    expectTypeOf(sendDuoChatCommand).toBeCallableWith({ question: '/explain', resourceId: 'gid://gitlab/Issue/1', contexts: [chip] })
  })
})

describe('duoChatGlobalState', () => {
  test('is the DuoChatGlobalState a host reads and writes', () => {
    expectTypeOf(duoChatGlobalState).toEqualTypeOf<DuoChatGlobalState>()
    expectTypeOf(duoChatGlobalState.isShown).toEqualTypeOf<boolean>()
    expectTypeOf(duoChatGlobalState.resourceId).toEqualTypeOf<string | null>()
    expectTypeOf(duoChatGlobalState.contexts).toEqualTypeOf<ContextItem[]>()
  })

  test('lists queued commands read-only', () => {
    expectTypeOf(duoChatGlobalState.commands).toEqualTypeOf<readonly QueuedCommand[]>()
    expectTypeOf<QueuedCommand['status']>().toEqualTypeOf<'queued' | 'running'>()
  })
})

describe('ContextItem', () => {
  test('has id, category and title; content and metadata are optional', () => {
    expectTypeOf<ContextItem['id']>().toEqualTypeOf<string>()
    expectTypeOf<ContextItem['category']>().toEqualTypeOf<AiAdditionalContextCategory>()
    expectTypeOf<ContextItem['title']>().toEqualTypeOf<string>()
    expectTypeOf<ContextItem>().toHaveProperty('content').toEqualTypeOf<string | undefined>()
    expectTypeOf<ContextItem>().toHaveProperty('metadata').toExtend<Record<string, unknown> | undefined | null>()
    expectTypeOf<{ id: string; category: 'FILE'; title: string }>().toExtend<ContextItem>()
    expectTypeOf<{ id: string; category: 'FILE'; content: string }>().not.toExtend<ContextItem>()
  })

  test('categories are GitLab’s AiAdditionalContextCategory', () => {
    expectTypeOf<'ISSUE' | 'MERGE_REQUEST' | 'FILE' | 'SNIPPET'>().toExtend<AiAdditionalContextCategory>()
    expectTypeOf<'PICTURE'>().not.toExtend<AiAdditionalContextCategory>()
  })
})

describe('labels', () => {
  test('defaultLabels is a full DuoChatLabels', () => {
    expectTypeOf(defaultLabels).toEqualTypeOf<DuoChatLabels>()
  })

  test('plain labels are strings; labels with an argument are functions', () => {
    expectTypeOf<DuoChatLabels['send']>().toEqualTypeOf<string>()
    expectTypeOf<DuoChatLabels['messages']>().toEqualTypeOf<string>()
    expectTypeOf<DuoChatLabels['remove']>().toEqualTypeOf<(title: string) => string>()
    expectTypeOf<DuoChatLabels['errorMessage']>().parameter(0).toEqualTypeOf<string | null>()
    expectTypeOf<DuoChatLabels['errorMessage']>().returns.toEqualTypeOf<string>()
  })
})

describe('the transport a host may implement', () => {
  test('DuoChatApi’s methods take the exported parameter types', () => {
    expectTypeOf<DuoChatApi['sendChat']>().parameter(0).toEqualTypeOf<SendChatInput>()
    expectTypeOf<DuoChatApi['subscribe']>().parameter(1).toEqualTypeOf<SubscribeHandlers>()
    expectTypeOf<DuoChatApi['sendFeedback']>().parameter(0).toEqualTypeOf<FeedbackInput>()
    expectTypeOf<DuoChatApi['loadThreads']>().returns.toEqualTypeOf<Promise<AiConversationThread[]>>()
    expectTypeOf<DuoChatApi['loadMessages']>().returns.toEqualTypeOf<Promise<AiMessage[]>>()
    expectTypeOf<DuoChatApi['searchContext']>().returns.toEqualTypeOf<Promise<ContextSearchResult[]>>()
    expectTypeOf<DuoChatApi['contextStatus']>().returns.toEqualTypeOf<Promise<ContextStatus[]>>()
    expectTypeOf<SubscribeHandlers['next']>().parameter(0).toEqualTypeOf<AiMessage>()
  })

  test('errors are DuoChatErrors with a GitLab code', () => {
    expectTypeOf<DuoChatError>().toExtend<Error>()
    expectTypeOf<DuoChatError['code']>().toEqualTypeOf<string | null>()
  })

  test('ConnectionStatus names the socket’s states', () => {
    expectTypeOf<'idle' | 'connecting' | 'connected' | 'reconnecting'>().toEqualTypeOf<ConnectionStatus>()
  })

  test('the store type is what useDuoChatStore returns', () => {
    expectTypeOf(useDuoChatStore).returns.toEqualTypeOf<DuoChatStore>()
  })
})

describe('whenLazyPartsReady', () => {
  test('takes nothing and resolves when the on-demand parts have loaded', () => {
    expectTypeOf(whenLazyPartsReady).parameters.toEqualTypeOf<[]>()
    expectTypeOf(whenLazyPartsReady).returns.toEqualTypeOf<Promise<void>>()
  })
})
