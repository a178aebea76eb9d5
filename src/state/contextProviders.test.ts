// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { FakeChatApi } from '../../tests/fakeChatApi'
import { createTestStore } from '../../tests/storeHarness'
import { registerContextProvider } from '../context/registry'
import type { ContextProviderDefinition } from '../context/types'
import { duoChatGlobalState } from './globalState'

const ALICE = 'gid://gitlab/User/1'
const BOB = 'gid://gitlab/User/2'
const unregisters: (() => void)[] = []
function register(definition: ContextProviderDefinition) {
  unregisters.push(registerContextProvider(definition))
}

function setup(userId = ALICE) {
  const api = new FakeChatApi()
  return { api, store: createTestStore({ api, userId }) }
}

const selection = { id: 'sel-1', category: 'SNIPPET' as const, title: 'Selected lines', content: 'if (x) pay()' }

describe('context providers in the store', () => {
  beforeEach(() => {
    localStorage.clear()
    duoChatGlobalState.resourceId = null
    duoChatGlobalState.contexts = []
  })
  afterEach(() => {
    for (const unregister of unregisters.splice(0)) unregister()
  })

  it('sends proactive items with the question, tagged by provider, with the provider lists; they show under "Context used"', async () => {
    const provide = vi.fn(async () => selection)
    register({ name: 'selection', title: 'Selected text', category: 'SNIPPET', mode: 'proactive', provide })
    register({ name: 'openTabs', title: 'Open tabs', category: 'FILE', mode: 'reactive', provide: async () => null })
    const { api, store } = setup()
    void store.sendQuestion('Why does this fail?')
    await vi.waitFor(() => expect(api.sent).toHaveLength(1))
    expect(provide).toHaveBeenCalledWith(expect.objectContaining({ question: 'Why does this fail?', reason: 'question' }))
    expect(api.sent[0]).toMatchObject({
      contexts: [{ ...selection, metadata: { contextProvider: 'selection', contextProviderTitle: 'Selected text' } }],
      proactiveContextProviders: ['selection'],
      reactiveContextProviders: ['openTabs'],
      excludedContextProviders: [],
    })
    expect(store.messages[0]!.contexts.map((c) => c.title)).toEqual(['Selected lines'])
  })

  it('sends the question without a provider that fails or runs out of time, with a note for each on the question', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    register({ name: 'broken', title: 'Broken source', category: 'FILE', mode: 'proactive', provide: () => Promise.reject(new Error('no')) })
    register({ name: 'slow', title: 'Slow source', category: 'FILE', mode: 'proactive', timeoutMs: 25, provide: () => new Promise(() => {}) })
    const { api, store } = setup()
    void store.sendQuestion('Why does this fail?')
    await vi.waitFor(() => expect(api.sent).toHaveLength(1))
    expect(api.sent[0]!.contexts).toEqual([])
    expect(store.messages[0]!.contextNotes).toEqual([
      { provider: 'broken', title: 'Broken source', reason: 'error' },
      { provider: 'slow', title: 'Slow source', reason: 'timeout' },
    ])
  })

  it('stopping while providers run aborts them, and the question is never sent', async () => {
    let signal: AbortSignal | null = null
    let started!: () => void
    const running = new Promise<void>((resolve) => (started = resolve))
    register({ name: 'slow', title: 'Slow source', category: 'FILE', mode: 'proactive', provide: (r) => ((signal = r.signal), started(), new Promise(() => {})) })
    const { api, store } = setup()
    const outcome = store.sendQuestion('Why does this fail?')
    await running
    store.stop()
    expect(await outcome).toMatchObject({ status: 'stopped' })
    expect(signal!.aborted).toBe(true)
    expect(api.sent).toEqual([])
  })

  it('lists the gateway’s providers and the page’s; an excluded one never runs, is sent as excluded, and stays excluded for this user only', async () => {
    const provide = vi.fn(async () => selection)
    register({ name: 'selection', title: 'Selected text', category: 'SNIPPET', mode: 'proactive', provide })
    const { api, store } = setup()
    api.gatewayProviders = [{ name: 'documentationProvider', title: 'GitLab documentation', mode: 'proactive', description: null }]
    await store.loadContextSources()
    expect(store.contextSources.map((s) => [s.name, s.origin])).toEqual([
      ['documentationProvider', 'gateway'],
      ['selection', 'host'],
    ])
    store.setProviderExcluded('selection', true)
    store.setProviderExcluded('documentationProvider', true)
    void store.sendQuestion('Why does this fail?')
    await vi.waitFor(() => expect(api.sent).toHaveLength(1))
    expect(provide).not.toHaveBeenCalled()
    expect(api.sent[0]).toMatchObject({ contexts: [], proactiveContextProviders: [], excludedContextProviders: ['selection', 'documentationProvider'] })

    // After a reload, alice's choice is remembered; bob's drawer has its own.
    expect(setup(ALICE).store.excludedProviders).toEqual(['selection', 'documentationProvider'])
    expect(setup(BOB).store.excludedProviders).toEqual([])
    store.setProviderExcluded('selection', false)
    expect(setup(ALICE).store.excludedProviders).toEqual(['documentationProvider'])
  })

  it('answers the engine’s request for context with the named reactive providers, and the answer continues', async () => {
    const provide = vi.fn(async () => selection)
    const other = vi.fn(async () => null)
    register({ name: 'selection', title: 'Selected text', category: 'SNIPPET', mode: 'reactive', provide })
    register({ name: 'terminal', title: 'Terminal', category: 'TERMINAL', mode: 'reactive', provide: other })
    const { api, store } = setup()
    const outcome = store.sendQuestion('Why does this fail?')
    await vi.waitFor(() => expect(api.sent).toHaveLength(1))
    const csid = api.lastClientSubscriptionId
    api.toRequest(csid, {
      role: 'SYSTEM',
      requestId: 'request-1',
      messageType: 'REQUEST_CONTEXT',
      contextRequestId: 'cr-1',
      content: 'GitLab Duo asks for more context: Selected text.',
      requestedContexts: [
        { provider: 'selection', reason: 'The question refers to code that is not in the context.' },
        { provider: 'terminal', reason: 'The error output is missing.' },
      ],
    })
    await vi.waitFor(() => expect(api.providedContexts).toHaveLength(1))
    expect(provide).toHaveBeenCalledWith(expect.objectContaining({ question: 'Why does this fail?', reason: 'The question refers to code that is not in the context.' }))
    expect(api.providedContexts[0]).toEqual({
      requestId: 'request-1',
      contextRequestId: 'cr-1',
      providedContexts: [{ id: 'sel-1', category: 'SNIPPET', content: 'if (x) pay()', metadata: { contextProvider: 'selection', contextProviderTitle: 'Selected text', title: 'Selected lines' } }],
      skippedProviders: ['terminal'],
    })
    // The request shows as the answer's current step, not as its text.
    expect(store.messages[1]!.toolSteps).toEqual(['GitLab Duo asks for more context: Selected text.'])
    expect(store.messages[1]!.content).toBe('')
    expect(store.messages[0]!.contexts.map((c) => c.title)).toEqual(['Selected lines'])
    api.toRequest(csid, { requestId: 'request-1', chunkId: 1, content: 'It fails because' })
    api.broadcast({ requestId: 'request-1', role: 'ASSISTANT', content: 'It fails because x is falsy.' })
    expect(await outcome).toMatchObject({ status: 'complete', content: 'It fails because x is falsy.' })
  })

  it('never runs an excluded reactive provider the engine names; it is reported as giving nothing', async () => {
    const provide = vi.fn(async () => selection)
    register({ name: 'selection', title: 'Selected text', category: 'SNIPPET', mode: 'reactive', provide })
    const { api, store } = setup()
    store.setProviderExcluded('selection', true)
    void store.sendQuestion('Why does this fail?')
    await vi.waitFor(() => expect(api.sent).toHaveLength(1))
    expect(api.sent[0]).toMatchObject({ reactiveContextProviders: [], excludedContextProviders: ['selection'] })
    api.toRequest(api.lastClientSubscriptionId, {
      role: 'SYSTEM',
      requestId: 'request-1',
      messageType: 'REQUEST_CONTEXT',
      contextRequestId: 'cr-1',
      requestedContexts: [{ provider: 'selection', reason: 'More code.' }],
    })
    await vi.waitFor(() => expect(api.providedContexts).toHaveLength(1))
    expect(provide).not.toHaveBeenCalled()
    expect(api.providedContexts[0]).toMatchObject({ providedContexts: [], skippedProviders: ['selection'] })
  })

  it('retrying sends the question with its attachments; the providers run again rather than being sent twice', async () => {
    let calls = 0
    register({ name: 'selection', title: 'Selected text', category: 'SNIPPET', mode: 'proactive', provide: async () => ({ ...selection, id: `sel-${++calls}` }) })
    const { api, store } = setup()
    void store.sendQuestion('Why does this fail?')
    await vi.waitFor(() => expect(api.sent).toHaveLength(1))
    api.broadcast({ requestId: 'request-1', role: 'ASSISTANT', content: '', errors: ['Error code: A1001'] })
    await vi.waitFor(() => expect(store.isBusy).toBe(false))
    void store.retry(store.messages[1]!)
    await vi.waitFor(() => expect(api.sent).toHaveLength(2))
    expect(api.sent[1]!.contexts!.map((c) => c.id)).toEqual(['sel-2'])
  })
})
