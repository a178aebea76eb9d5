// @vitest-environment jsdom
/**
 * GitLab serves a conversation's messages at most 100 a page: the drawer follows the cursors, so a
 * long chat comes back whole after a reload, in order, with nothing read twice.
 */
import { buildSchema, parse, validate } from 'graphql'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { gitlabSdl } from '../mocks/gateway/schema.graphql'
import { createMockGateway } from '../mocks/index'
import { createChatApi } from '../src/transport/chatApi'
import { createApolloClient } from '../src/transport/createApolloClient'

// GitLab's schema as the gateway copies it unchanged (a schema test keeps the copy true to shared/).
const gitlabSchema = buildSchema(gitlabSdl)
const TURNS = 70 // 140 messages: two pages of 100 and 40

const mock = createMockGateway({ timing: 'instant', engine: { limits: { maxThreadMessages: 400 } } })
const server = setupServer(...mock.handlers)

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterAll(() => {
  mock.dispose()
  server.close()
})

describe('loading a long conversation', () => {
  it('reads every page of a thread longer than one page, in order, once', async () => {
    const turns = Array.from({ length: TURNS }, (_, i) => ({ question: `Question ${i + 1}`, answer: `Answer ${i + 1}.` }))
    const threadId = await mock.seedConversation(turns, { user: 'alice' })
    const pages: number[] = []
    server.events.on('request:start', async ({ request }) => {
      const body = (await request.clone().json().catch(() => null)) as { operationName?: string } | null
      if (body?.operationName === 'getAiMessages') pages.push(1)
    })
    const options = mock.duoChatOptions('alice')
    const apollo = createApolloClient({ graphqlUrl: options.graphqlUrl, wsUrl: options.wsUrl, token: options.token })
    try {
      const messages = await createChatApi({ ...apollo, v2: false }).loadMessages({ threadId })
      expect(messages.map((m) => m.content)).toEqual(turns.flatMap((t) => [t.question, t.answer]))
      expect(pages).toHaveLength(2)
    } finally {
      server.events.removeAllListeners()
      await apollo.dispose()
    }
  })

  it('without the V2 extension (a GitLab page), sends only operations GitLab’s schema accepts and lists no gateway providers', async () => {
    const threadId = await mock.seedConversation([{ question: 'Hello', answer: 'Hi.' }], { user: 'alice' })
    const queries: string[] = []
    server.events.on('request:start', async ({ request }) => {
      const body = (await request.clone().json().catch(() => null)) as { query?: string } | null
      if (body?.query) queries.push(body.query)
    })
    const options = mock.duoChatOptions('alice')
    const apollo = createApolloClient({ graphqlUrl: options.graphqlUrl, wsUrl: options.wsUrl, token: options.token })
    try {
      const api = createChatApi({ ...apollo, v2: false })
      expect(await api.loadContextProviders?.()).toEqual([])
      expect((await api.loadMessages({ threadId })).map((m) => m.content)).toEqual(['Hello', 'Hi.'])
      expect(queries).toHaveLength(1)
      expect(queries.flatMap((query) => validate(gitlabSchema, parse(query)).map((e) => e.message))).toEqual([])
    } finally {
      server.events.removeAllListeners()
      await apollo.dispose()
    }
  })
})
