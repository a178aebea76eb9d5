import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { shallowRef } from 'vue'
import { WebSocket } from 'ws'
import { startGatewayServer, type GatewayServer } from '../mocks/server'
import { registerContextProvider } from '../src/context/registry'
import { duoChatGlobalState } from '../src/state/globalState'
import { createChatApi } from '../src/transport/chatApi'
import { createApolloClient, type ConnectionStatus, type DuoChatApolloClient } from '../src/transport/createApolloClient'
import { createTestStore } from './storeHarness'

// Duo Chat V2 end to end below the components: store → Apollo (extension operations) → Node
// gateway's `rag` pipeline, which asks the page's reactive provider and answers from it.
let server: GatewayServer
const clients: DuoChatApolloClient[] = []
const unregisters: (() => void)[] = []

function openTab() {
  const apollo = createApolloClient({ graphqlUrl: server.url, token: 'alice-token', webSocketImpl: WebSocket })
  clients.push(apollo)
  return createTestStore({ api: createChatApi(apollo), requestTimeoutMs: 10_000, connectionStatus: shallowRef<ConnectionStatus>('idle') })
}

const SNIPPET = "checkoutButton.addEventListener('touchend', placeOrder)"

describe('context providers against the gateway’s rag pipeline', () => {
  beforeAll(async () => {
    server = await startGatewayServer({ port: 0, env: false, pipeline: 'rag', timing: { toolMs: 5, chunkDelayMs: 1, chunkSize: 40 } })
  })
  beforeEach(() => {
    server.gateway.reset()
    globalThis.localStorage?.clear()
    duoChatGlobalState.resourceId = null
    duoChatGlobalState.contexts = []
  })
  afterEach(() => {
    for (const unregister of unregisters.splice(0)) unregister()
  })
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()))
    await server.close()
  })

  it('answers the engine’s request with the reactive provider; the answer uses it, and its extras say so, also from history', async () => {
    const provide = vi.fn(async (_request: { reason: string }) => ({ id: 'checkout.ts:10-12', category: 'SNIPPET' as const, title: 'checkout.ts lines 10–12', content: SNIPPET }))
    unregisters.push(registerContextProvider({ name: 'selection', title: 'Selected text', category: 'SNIPPET', mode: 'reactive', provide }))
    const store = openTab()
    const answer = await store.sendQuestion('Why does this code not fire on Safari?')
    expect(answer.errors).toEqual([])
    expect(provide).toHaveBeenCalledTimes(1)
    expect(provide.mock.calls[0]![0].reason).toMatch(/\w/)
    expect(answer.content).toContain("addEventListener('touchend', placeOrder)")
    const extras = store.messages.at(-1)!.extras!
    expect(extras.contextUsed).toEqual(expect.arrayContaining([expect.objectContaining({ origin: 'REACTIVE', provider: 'selection', id: 'checkout.ts:10-12' })]))
    expect(extras.steps!.map((s) => s.name)).toContain('requestContext')

    const reloaded = openTab()
    await reloaded.loadHistory()
    expect(reloaded.messages.at(-1)!.extras!.contextUsed).toEqual(extras.contextUsed)
    expect(reloaded.messages.at(-1)!.extras!.steps).toEqual(extras.steps)
  })

  it('sends proactive items with the question; an excluded provider is never called and the gateway skips its excluded retrievers', async () => {
    const proactive = vi.fn(async () => ({ id: 'tab-1', category: 'FILE' as const, title: 'checkout.ts', content: SNIPPET }))
    const reactive = vi.fn(async () => null)
    unregisters.push(
      registerContextProvider({ name: 'openTab', title: 'Open tab', category: 'FILE', mode: 'proactive', provide: proactive }),
      registerContextProvider({ name: 'selection', title: 'Selected text', category: 'SNIPPET', mode: 'reactive', provide: reactive }),
    )
    const store = openTab()
    store.setProviderExcluded('selection', true)
    store.setProviderExcluded('documentationProvider', true)
    const answer = await store.sendQuestion('How do I configure a CI/CD pipeline?')
    expect(answer.errors).toEqual([])
    expect(proactive).toHaveBeenCalledTimes(1)
    expect(reactive).not.toHaveBeenCalled()
    const extras = store.messages.at(-1)!.extras!
    expect(extras.contextUsed).toEqual(expect.arrayContaining([expect.objectContaining({ origin: 'PROACTIVE', provider: 'openTab', id: 'tab-1' })]))
    expect(extras.steps).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'documentationProvider', status: 'excluded' })]))
  })

  it('lists the gateway’s providers for "Context sources"', async () => {
    const store = openTab()
    await store.loadContextSources()
    expect(store.contextSources.map((s) => s.name)).toEqual(expect.arrayContaining(['gitlabResourceProvider', 'documentationProvider', 'chatHistoryProvider']))
  })
})
