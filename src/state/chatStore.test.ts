// @vitest-environment jsdom
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createApp } from 'vue'
import { FakeChatApi } from '../../tests/fakeChatApi'
import { createTestStore } from '../../tests/storeHarness'
import { useDuoChatStore } from './chatStore'
import { duoChatGlobalState } from './globalState'

function setup(overrides: { requestTimeoutMs?: number } = {}) {
  const api = new FakeChatApi()
  return { api, store: createTestStore({ api, ...overrides }) }
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('useDuoChatStore', () => {
  beforeEach(() => {
    localStorage.clear()
    duoChatGlobalState.resourceId = 'gid://gitlab/Issue/1'
  })
  afterEach(() => vi.useRealTimers())

  it('throws a message that names the fix when the plugin is missing', () => {
    const app = createApp({})
    const pinia = createPinia()
    app.use(pinia)
    setActivePinia(pinia)
    expect(() => app.runWithContext(() => useDuoChatStore())).toThrow(/app\.use\(createDuoChat/)
  })

  describe('given a question sent', () => {
    it('subscribes for the request before sending the mutation with the page resource', async () => {
      const { api, store } = setup()
      const order: string[] = []
      const subscribe = api.subscribe.bind(api)
      api.subscribe = (variables, handlers) => {
        order.push(variables.clientSubscriptionId ? 'request subscription' : 'user subscription')
        return subscribe(variables, handlers)
      }
      const send = api.sendChat.bind(api)
      api.sendChat = (input) => {
        order.push('mutation')
        return send(input)
      }
      void store.sendQuestion('  What is issue #1 about?  ')
      await flush()
      expect(order).toEqual(['user subscription', 'request subscription', 'mutation'])
      expect(api.sent[0]).toMatchObject({ question: 'What is issue #1 about?', resourceId: 'gid://gitlab/Issue/1', threadId: null })
    })

    it('streams chunks in order, holding gaps, and resolves with the complete message', async () => {
      const { api, store } = setup()
      const answer = store.sendQuestion('What is issue #1 about?')
      await flush()
      const csid = api.lastClientSubscriptionId
      api.toRequest(csid, { role: 'SYSTEM', type: 'TOOL', content: 'Issue Reader' })
      expect(store.currentToolStep).toBe('Issue Reader')
      api.toRequest(csid, { requestId: 'request-1', chunkId: 2, content: 'lo' })
      api.toRequest(csid, { requestId: 'request-1', chunkId: 1, content: 'Hel' })
      api.toRequest(csid, { requestId: 'request-1', chunkId: 1, content: 'Hel' })
      const duo = store.messages.at(-1)!
      expect(duo.content).toBe('Hello')
      expect(duo.status).toBe('streaming')
      api.broadcast({ requestId: 'request-1', role: 'ASSISTANT', content: 'Hello, world', id: 'm2' })
      api.toRequest(csid, { requestId: 'request-1', chunkId: 3, content: ' late' })
      await expect(answer).resolves.toEqual({ requestId: 'request-1', threadId: 'gid://gitlab/Ai::Conversation::Thread/1', content: 'Hello, world', errors: [], status: 'complete' })
      expect(duo.content).toBe('Hello, world')
      expect(duo.toolSteps).toEqual(['Issue Reader'])
      expect(store.isBusy).toBe(false)
      expect(api.subscriptions.filter((s) => s.variables.clientSubscriptionId && s.active)).toHaveLength(0)
    })

    it('does not show our own question twice when its broadcast races the mutation response', async () => {
      const { api, store } = setup()
      let resolveSend!: (value: { requestId: string; threadId: string }) => void
      api.onSend = () => new Promise((resolve) => (resolveSend = resolve))
      const answer = store.sendQuestion('Hi')
      await flush()
      api.broadcast({ requestId: 'r9', role: 'USER', content: 'Hi', id: 'u1' })
      api.broadcast({ requestId: 'r9', role: 'ASSISTANT', content: 'Hello!', id: 'a1' })
      resolveSend({ requestId: 'r9', threadId: 't1' })
      await expect(answer).resolves.toMatchObject({ requestId: 'r9', content: 'Hello!' })
      expect(store.messages.map((m) => [m.role, m.content])).toEqual([
        ['USER', 'Hi'],
        ['ASSISTANT', 'Hello!'],
      ])
    })

    it('shows the error of a failed answer with its code', async () => {
      const { api, store } = setup()
      const answer = store.sendQuestion('What is in issue 99?')
      await flush()
      api.broadcast({ requestId: 'request-1', role: 'ASSISTANT', content: 'No access.', errors: ['No access. Error code: M3003'] })
      await expect(answer).resolves.toMatchObject({ errors: ['No access. Error code: M3003'] })
      expect(store.messages.at(-1)?.status).toBe('error')
    })

    it('ends with M1000 when the gateway cannot be reached, and Retry sends the question again', async () => {
      const { api, store } = setup()
      api.onSend = () => Promise.reject(Object.assign(new TypeError('Failed to fetch')))
      const failed = await store.sendQuestion('Hello?')
      expect(failed.errors[0]).toContain('Error code: M1000')
      expect(store.isBusy).toBe(false)
      api.onSend = null
      const retried = store.retry(store.messages.at(-1)!)
      await flush()
      api.broadcast({ requestId: 'request-1', role: 'ASSISTANT', content: 'Hi there' })
      await expect(retried).resolves.toMatchObject({ content: 'Hi there' })
      expect(store.messages.map((m) => m.content)).toEqual(['Hello?', 'Hi there'])
    })

    it('times out with M1001 when nothing arrives', async () => {
      vi.useFakeTimers()
      const { store } = setup({ requestTimeoutMs: 1000 })
      const answer = store.sendQuestion('Anyone?')
      await vi.advanceTimersByTimeAsync(1001)
      await expect(answer).resolves.toMatchObject({ errors: [expect.stringContaining('Error code: M1001')] })
    })

    it('counts the timeout from the last sign of life, not from the question', async () => {
      vi.useFakeTimers()
      const { api, store } = setup({ requestTimeoutMs: 1000 })
      const answer = store.sendQuestion('Slow but alive?')
      await vi.advanceTimersByTimeAsync(800)
      api.toRequest(api.lastClientSubscriptionId, { requestId: 'request-1', chunkId: 1, content: 'Still' })
      await vi.advanceTimersByTimeAsync(900)
      expect(store.isBusy).toBe(true)
      await vi.advanceTimersByTimeAsync(200)
      await expect(answer).resolves.toMatchObject({ content: 'Still', errors: [expect.stringContaining('Error code: M1001')] })
    })

    it('stops at once and ignores whatever arrives for the stopped request', async () => {
      const { api, store } = setup()
      const answer = store.sendQuestion('Tell me a long story')
      await flush()
      const csid = api.lastClientSubscriptionId
      api.toRequest(csid, { requestId: 'request-1', chunkId: 1, content: 'Once' })
      store.stop()
      await expect(answer).resolves.toMatchObject({ content: 'Once' })
      api.toRequest(csid, { requestId: 'request-1', chunkId: 2, content: ' upon' })
      api.broadcast({ requestId: 'request-1', role: 'ASSISTANT', content: 'Once upon a time' })
      const duo = store.messages.at(-1)!
      expect(duo.content).toBe('Once')
      expect(duo.status).toBe('stopped')
    })
  })

  describe('given a host command', () => {
    const FILE_CHIP = { id: 'src/cart.ts', category: 'FILE' as const, title: 'cart.ts', content: 'export const total = 0' }

    it('lists its own resource and context with the question, and Retry sends both again', async () => {
      const { api, store } = setup()
      const failed = store.sendQuestion('/explain', { resourceId: 'gid://gitlab/Issue/2', contexts: [FILE_CHIP] })
      await flush()
      api.broadcast({ requestId: 'request-1', role: 'ASSISTANT', content: '', errors: ['Error code: A1001'] })
      await failed
      expect(store.messages[0]!.contexts.map((c) => c.title)).toEqual(['Issue 2', 'cart.ts'])
      const retried = store.retry(store.messages.at(-1)!)
      await flush()
      expect(api.sent[1]).toMatchObject({ question: '/explain', resourceId: 'gid://gitlab/Issue/2', contexts: [FILE_CHIP] })
      api.broadcast({ requestId: 'request-2', role: 'ASSISTANT', content: 'Explained.' })
      await expect(retried).resolves.toMatchObject({ content: 'Explained.' })
      expect(store.messages[0]!.contexts.map((c) => c.title)).toEqual(['Issue 2', 'cart.ts'])
    })

    it('keeps a typed question to the chips beside the prompt: the page resource stays there, not on the question', async () => {
      const { api, store } = setup()
      duoChatGlobalState.contexts = [FILE_CHIP]
      try {
        void store.sendQuestion('What is the total?')
        await flush()
        expect(api.sent[0]).toMatchObject({ resourceId: 'gid://gitlab/Issue/1', contexts: [FILE_CHIP] })
        expect(store.messages[0]!.contexts.map((c) => c.title)).toEqual(['cart.ts'])
      } finally {
        duoChatGlobalState.contexts = []
      }
    })
  })

  it('keeps the request in flight out of its state: the state serializes (devtools, SSR) mid-answer', async () => {
    const { api, store } = setup()
    void store.sendQuestion('Still thinking?')
    await flush()
    api.toRequest(api.lastClientSubscriptionId, { requestId: 'request-1', chunkId: 1, content: 'Hmm' })
    expect(store.isBusy).toBe(true)
    expect('active' in store).toBe(false)
    const state = JSON.parse(JSON.stringify(store.$state)) as Record<string, unknown>
    expect(Object.keys(state)).not.toContain('active')
    expect((state.messages as { content: string }[]).map((m) => m.content)).toEqual(['Still thinking?', 'Hmm'])
  })

  describe('given bad input', () => {
    it.each(['', '   \n '])('refuses an empty prompt %j', async (prompt) => {
      const { api, store } = setup()
      await expect(store.sendQuestion(prompt)).rejects.toThrow('Type a question first.')
      expect(api.sent).toHaveLength(0)
    })

    it('refuses a prompt over the limit with the numbers in the message', async () => {
      const { api, store } = setup()
      await expect(store.sendQuestion('x'.repeat(10_001))).rejects.toThrow('10,001 characters long; the limit is 10,000')
      expect(api.sent).toHaveLength(0)
      expect(store.messages).toHaveLength(0)
    })
  })

  it('shows messages of this user from another tab', async () => {
    const { api, store } = setup()
    store.connect()
    api.broadcast({ requestId: 'other', role: 'USER', content: 'From the other tab' })
    api.broadcast({ requestId: 'other', role: 'ASSISTANT', content: 'Answer there' })
    expect(store.messages.map((m) => m.content)).toEqual(['From the other tab', 'Answer there'])
  })

  it('loads the history and continues its thread', async () => {
    const { api, store } = setup()
    api.history = [
      { requestId: 'old', role: 'USER', content: 'Earlier question', timestamp: '2026-01-01T00:00:00Z', threadId: 'thread-7' },
      { requestId: 'old', role: 'ASSISTANT', content: 'Earlier answer', timestamp: '2026-01-01T00:00:01Z', threadId: 'thread-7' },
    ]
    await store.loadHistory()
    expect(store.messages.map((m) => m.content)).toEqual(['Earlier question', 'Earlier answer'])
    void store.sendQuestion('Follow-up')
    await flush()
    expect(api.sent[0]?.threadId).toBe('thread-7')
  })
})
