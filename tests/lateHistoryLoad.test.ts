// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest'
import type { AiMessage } from '../src/transport/types'
import { duoChatGlobalState } from '../src/state/globalState'
import { ThreadStorage } from '../src/state/threadStorage'
import { FakeChatApi } from './fakeChatApi'
import { createTestStore } from './storeHarness'

const flush = () => new Promise((resolve) => setTimeout(resolve, 0))
const THREAD = 'gid://gitlab/Ai::Conversation::Thread/1'

/** Holds the fake server's history loads until the returned function is called. */
function holdHistory(api: FakeChatApi): () => void {
  let release!: () => void
  const released = new Promise<void>((resolve) => (release = resolve))
  const load = api.loadMessages.bind(api)
  api.loadMessages = async (filter) => {
    await released
    return load(filter)
  }
  return release
}

/**
 * A store whose history load is held (until release) and a question sent meanwhile; the
 * question's mutation answers only when accept is called.
 */
async function askWhileHistoryHeld(question: string) {
  const api = new FakeChatApi()
  const release = holdHistory(api)
  let accept!: (accepted: { requestId: string; threadId: string }) => void
  api.onSend = () => new Promise((resolve) => (accept = resolve))
  const store = createTestStore({ api })
  const loading = store.loadHistory()
  const answer = store.sendQuestion(question)
  await flush()
  return { api, release, accept: (accepted: { requestId: string; threadId: string }) => accept(accepted), store, loading, answer }
}

/**
 * The drawer loads the thread's history when it opens, and a host may send a command at the same
 * moment. Under load the history can come back after the conversation moved on: by then the
 * server has recorded some of this page's messages (not a stopped answer, which it never stores).
 */
describe('a history load that resolves after the conversation moved on', () => {
  beforeEach(() => {
    localStorage.clear()
    duoChatGlobalState.resourceId = 'gid://gitlab/Issue/1'
  })

  it('keeps the messages already shown, in their order, as the same objects', async () => {
    const api = new FakeChatApi()
    const release = holdHistory(api)
    const store = createTestStore({ api })
    const loading = store.loadHistory()

    const first = store.sendQuestion('/explain')
    await flush()
    api.toRequest(api.lastClientSubscriptionId, { requestId: 'request-1', chunkId: 1, content: 'A long answer' })
    store.stop()
    await first

    void store.sendQuestion('Summarize this merge request')
    await flush()
    api.broadcast({ requestId: 'request-2', role: 'ASSISTANT', content: 'The merge request fixes the click handler.', threadId: THREAD })
    await flush()
    const shown = [...store.messages]
    expect(shown.map((m) => [m.role, m.content, m.status])).toEqual([
      ['USER', '/explain', 'complete'],
      ['ASSISTANT', 'A long answer', 'stopped'],
      ['USER', 'Summarize this merge request', 'complete'],
      ['ASSISTANT', 'The merge request fixes the click handler.', 'complete'],
    ])

    // What the gateway recorded meanwhile: both questions and the second answer.
    const recorded = (requestId: string, role: AiMessage['role'], content: string): AiMessage => ({ requestId, role, content, threadId: THREAD, timestamp: new Date(0).toISOString(), chunkId: null, errors: [] })
    api.history = [
      recorded('request-1', 'USER', '/explain'),
      recorded('request-2', 'USER', 'Summarize this merge request'),
      recorded('request-2', 'ASSISTANT', 'The merge request fixes the click handler.'),
    ]
    release()
    await loading

    // Same objects (so the drawer keeps their rendered DOM), same order, the stopped answer still second.
    expect(store.messages.map((m) => [m.role, m.content, m.status])).toEqual(shown.map((m) => [m.role, m.content, m.status]))
    store.messages.forEach((message, index) => expect(message).toBe(shown[index]))
  })

  it('still puts the earlier turns of the thread before them', async () => {
    const api = new FakeChatApi()
    const release = holdHistory(api)
    const store = createTestStore({ api })
    const loading = store.loadHistory()
    void store.sendQuestion('Follow-up')
    await flush()
    api.broadcast({ requestId: 'request-1', role: 'ASSISTANT', content: 'Answer to the follow-up', threadId: THREAD })
    await flush()

    const recorded = (requestId: string, role: AiMessage['role'], content: string): AiMessage => ({ requestId, role, content, threadId: THREAD, timestamp: new Date(0).toISOString(), chunkId: null, errors: [] })
    api.history = [
      recorded('old', 'USER', 'Earlier question'),
      recorded('old', 'ASSISTANT', 'Earlier answer'),
      recorded('request-1', 'USER', 'Follow-up'),
      recorded('request-1', 'ASSISTANT', 'Answer to the follow-up'),
    ]
    release()
    await loading
    expect(store.messages.map((m) => m.content)).toEqual(['Earlier question', 'Earlier answer', 'Follow-up', 'Answer to the follow-up'])
  })

  it('shows a question once when the history has it before the mutation said its request id', async () => {
    const { api, release, accept, store, loading, answer } = await askWhileHistoryHeld('What is issue #1 about?')

    // The gateway stored the question (in a new thread, now the user's latest) and its history
    // answers before the mutation's response arrives.
    api.history = [{ requestId: 'request-1', role: 'USER', content: 'What is issue #1 about?', threadId: THREAD, timestamp: new Date().toISOString(), chunkId: null, errors: [] }]
    release()
    await loading
    expect(store.messages.map((m) => [m.role, m.content])).toEqual([
      ['USER', 'What is issue #1 about?'],
      ['ASSISTANT', ''],
    ])

    accept({ requestId: 'request-1', threadId: THREAD })
    await flush()
    api.broadcast({ requestId: 'request-1', role: 'ASSISTANT', content: 'It is about Safari.', threadId: THREAD })
    await expect(answer).resolves.toMatchObject({ content: 'It is about Safari.' })
    expect(store.messages.map((m) => [m.role, m.content, m.requestId])).toEqual([
      ['USER', 'What is issue #1 about?', 'request-1'],
      ['ASSISTANT', 'It is about Safari.', 'request-1'],
    ])
  })

  it('finishes the question from the history when its answer is there too, and shows each once', async () => {
    // The mutation's response never comes: accept is never called.
    const { api, release, store, loading, answer } = await askWhileHistoryHeld('What is issue #1 about?')

    const recorded = (role: AiMessage['role'], content: string): AiMessage => ({ requestId: 'request-1', role, content, threadId: THREAD, timestamp: new Date().toISOString(), chunkId: null, errors: [] })
    api.history = [recorded('USER', 'What is issue #1 about?'), recorded('ASSISTANT', 'It is about Safari.')]
    release()
    await loading
    await expect(answer).resolves.toMatchObject({ requestId: 'request-1', content: 'It is about Safari.', status: 'complete' })
    expect(store.messages.map((m) => [m.role, m.content])).toEqual([
      ['USER', 'What is issue #1 about?'],
      ['ASSISTANT', 'It is about Safari.'],
    ])
  })

  it('shows a question stopped before its request id was known once, and the gateway is told to stop it', async () => {
    const { api, release, accept, store, loading, answer } = await askWhileHistoryHeld('Tell me a long story')
    store.stop()
    await answer

    api.history = [{ requestId: 'request-1', role: 'USER', content: 'Tell me a long story', threadId: THREAD, timestamp: new Date().toISOString(), chunkId: null, errors: [] }]
    release()
    await loading
    accept({ requestId: 'request-1', threadId: THREAD })
    await flush()
    expect(store.messages.map((m) => [m.role, m.content, m.status])).toEqual([
      ['USER', 'Tell me a long story', 'complete'],
      ['ASSISTANT', '', 'stopped'],
    ])
    expect(api.cancelled).toEqual(['request-1'])
  })

  it('takes the same words asked earlier in the thread for an earlier turn, not for the question in flight', async () => {
    const { api, release, accept, store, loading, answer } = await askWhileHistoryHeld('Hello')

    // An hour ago, the same question; the history was read before this one reached the server.
    const anHourAgo = new Date(Date.now() - 3_600_000).toISOString()
    api.history = [
      { requestId: 'old', role: 'USER', content: 'Hello', threadId: THREAD, timestamp: anHourAgo, chunkId: null, errors: [] },
      { requestId: 'old', role: 'ASSISTANT', content: 'Hi! How can I help?', threadId: THREAD, timestamp: anHourAgo, chunkId: null, errors: [] },
    ]
    release()
    await loading
    accept({ requestId: 'request-1', threadId: THREAD })
    await flush()
    api.broadcast({ requestId: 'request-1', role: 'ASSISTANT', content: 'Hello again!', threadId: THREAD })
    await expect(answer).resolves.toMatchObject({ requestId: 'request-1', content: 'Hello again!' })
    expect(store.messages.map((m) => [m.content, m.requestId])).toEqual([
      ['Hello', 'old'],
      ['Hi! How can I help?', 'old'],
      ['Hello', 'request-1'],
      ['Hello again!', 'request-1'],
    ])
  })

  it('holds a question sent while a remembered thread is checked, and sends it to a new chat when the server no longer has that thread', async () => {
    new ThreadStorage('gid://gitlab/User/1').remember('gid://gitlab/Ai::Conversation::Thread/gone')
    const api = new FakeChatApi()
    const release = holdHistory(api)
    const store = createTestStore({ api })
    const loading = store.loadHistory()
    void store.sendQuestion('/explain')
    await flush()
    // Nothing goes to a thread that may be gone while the check is on its way.
    expect(api.sent).toHaveLength(0)

    api.history = []
    release()
    await loading
    await flush()
    expect(api.sent.map((input) => input.threadId ?? null)).toEqual([null])
  })

  it('sends a question to the remembered thread once the server confirms it', async () => {
    new ThreadStorage('gid://gitlab/User/1').remember(THREAD)
    const api = new FakeChatApi()
    api.history = [{ requestId: 'old', role: 'USER', content: 'Earlier question', threadId: THREAD, timestamp: new Date(0).toISOString(), chunkId: null, errors: [] }]
    const store = createTestStore({ api })
    const loading = store.loadHistory()
    void store.sendQuestion('Follow-up')
    await loading
    await flush()
    expect(api.sent.map((input) => input.threadId)).toEqual([THREAD])
  })
})

