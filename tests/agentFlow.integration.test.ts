import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { shallowRef, watch } from 'vue'
import { WebSocket } from 'ws'
import { startGatewayServer, type GatewayServer } from '../mocks/server'
import { duoChatGlobalState } from '../src/state/globalState'
import { createTestStore } from './storeHarness'
import { createChatApi } from '../src/transport/chatApi'
import { createApolloClient, type ConnectionStatus, type DuoChatApolloClient } from '../src/transport/createApolloClient'

// The real chain below the components: store → Apollo (HTTP + graphql-ws) → Node gateway → agent.
let server: GatewayServer
const clients: DuoChatApolloClient[] = []

function openTab(token = 'alice-token', userId = 'gid://gitlab/User/1') {
  const apollo = createApolloClient({ graphqlUrl: server.url, token, webSocketImpl: WebSocket })
  clients.push(apollo)
  return createTestStore({ api: createChatApi(apollo), userId, requestTimeoutMs: 10_000, connectionStatus: shallowRef<ConnectionStatus>('idle') })
}

describe('the agent flow over the real transport', () => {
  beforeAll(async () => {
    server = await startGatewayServer({ port: 0, env: false, timing: { toolMs: 5, chunkDelayMs: 1, chunkSize: 12 } })
  })
  beforeEach(() => {
    server.gateway.reset()
    duoChatGlobalState.resourceId = 'gid://gitlab/Issue/1'
  })
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()))
    await server.close()
  })

  it('reads the issue with a tool and streams an answer grounded in it', async () => {
    const store = openTab()
    const seen = new Set<string>()
    const stop = watch(
      () => store.messages.at(-1)?.status,
      (status) => status && seen.add(status),
      { immediate: true },
    )
    const answer = await store.sendQuestion('What is issue #1 about?')
    stop()
    expect(answer.errors).toEqual([])
    expect(answer.content).toContain('Checkout button unresponsive on Safari')
    expect(seen).toContain('streaming')
    const duo = store.messages.at(-1)!
    expect(duo.toolSteps).toEqual(['Issue Reader'])
    expect(store.messages.map((m) => m.role)).toEqual(['USER', 'ASSISTANT'])
  })

  it('keeps the history: a second tab of the same user loads the conversation', async () => {
    const first = openTab()
    const answer = await first.sendQuestion('What is issue #1 about?')
    const second = openTab()
    await second.loadHistory()
    expect(second.messages.map((m) => m.content)).toEqual(['What is issue #1 about?', answer.content])
    expect(second.threadId).toBe(answer.threadId)
  })

  it('answers M3003 for a resource the user cannot see, and nothing of it reaches the drawer', async () => {
    const store = openTab()
    const answer = await store.sendQuestion('What is this about?', { resourceId: 'gid://gitlab/Issue/99' })
    expect(answer.errors.join(' ')).toContain('M3003')
    expect(JSON.stringify(store.messages)).not.toMatch(/Secret roadmap|acme\/secret/)
  })

  it('refuses a bad token over HTTP with a clear error', async () => {
    const store = openTab('not-a-token')
    const answer = await store.sendQuestion('Hello')
    expect(answer.errors.join(' ')).toContain('refused your credentials')
  })
})
