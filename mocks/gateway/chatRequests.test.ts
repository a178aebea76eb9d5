import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ChatRequests, type ChatEvent } from './chatRequests'
import { createFixtures } from './fixtures'
import { ChatHistory } from './history'
import { createScriptedModel } from './model'
import { createPubSub, type PubSub } from './pubsub'
import { readScenario, ScenarioQueue } from './scenarios'
import { createScheduler, type Scheduler } from './scheduler'
import { ALICE, BOB } from './testHelpers'

/** Requests wired to real parts, with a synchronous log of everything published, in order. */
describe('ChatRequests', () => {
  let pubsub: PubSub<ChatEvent>
  let scheduler: Scheduler
  let scenarios: ScenarioQueue
  let history: ChatHistory
  let chat: ChatRequests
  let log: string[]
  const fixtures = createFixtures()

  beforeEach(() => {
    pubsub = createPubSub<ChatEvent>()
    scheduler = createScheduler()
    scenarios = new ScenarioQueue()
    history = new ChatHistory()
    log = []
    chat = new ChatRequests({
      fixtures,
      history,
      pubsub,
      scheduler,
      scenarios,
      timing: { toolMs: 0, chunkDelayMs: 0, chunkSize: 4, reactiveContextMs: 0 },
      model: createScriptedModel(),
      dropConnection: (userId) => log.push(`drop ${userId}`),
    })
    // Filters run synchronously inside publish(), so this records the exact publication order.
    for (const user of [ALICE, BOB]) {
      pubsub.subscribe(user.id, ({ message }) => {
        log.push(message.chunkId !== null ? `chunk ${message.chunkId}` : `${message.role} ${message.requestId}`)
        return false
      })
    }
  })
  afterEach(() => {
    chat.abortAll()
    scheduler.dispose()
    pubsub.close()
  })

  function queue(body: Record<string, unknown>): void {
    scenarios.enqueue(readScenario(body, fixtures, 4).scenario)
  }

  /** Resolves with every event of the request once its complete answer is published. */
  async function finished(userId: string, requestId: string | null): Promise<ChatEvent[]> {
    const events: ChatEvent[] = []
    for await (const event of pubsub.subscribe(userId, (candidate) => candidate.message.requestId === requestId)) {
      events.push(event)
      if (event.message.role === 'ASSISTANT' && event.message.chunkId === null) break
    }
    return events
  }

  it('publishes the user message before aiAction returns and starts answering after it', () => {
    const payload = chat.start(ALICE, { chat: { content: 'hello' } })

    expect(payload.errors).toEqual([])
    expect(log).toEqual([`USER ${payload.requestId}`])
    expect(chat.isRunning(payload.requestId ?? '')).toBe(true)
  })

  it('fires the connection drop right after publishing chunk N', async () => {
    queue({ user: 'alice', text: 'abcdefghijkl', dropConnectionAfterChunk: 2 })
    const payload = chat.start(ALICE, { chat: { content: 'q' } })
    await finished(ALICE.id, payload.requestId)

    expect(log).toEqual([`USER ${payload.requestId}`, 'chunk 1', 'chunk 2', `drop ${ALICE.id}`, 'chunk 3', `ASSISTANT ${payload.requestId}`])
  })

  it('stops a cancelled request at once: no more chunks, no answer, no timer, nothing stored', async () => {
    vi.useFakeTimers()
    try {
      queue({ user: 'alice', text: 'a long scripted answer', delayMs: 1_000 })
      const payload = chat.start(ALICE, { chat: { content: 'q' }, clientSubscriptionId: 'tab' })
      const requestId = payload.requestId ?? ''
      await vi.advanceTimersByTimeAsync(0)
      expect(log).toEqual([`USER ${requestId}`, 'chunk 1'])

      expect(chat.cancel(ALICE, requestId)).toEqual([])
      expect(chat.isRunning(requestId)).toBe(false)
      expect(vi.getTimerCount()).toBe(0)
      await vi.advanceTimersByTimeAsync(60_000)

      expect(log).toEqual([`USER ${requestId}`, 'chunk 1'])
      expect(history.messages(ALICE.id, payload.threadId ?? '').map((message) => message.role)).toEqual(['USER'])
    } finally {
      vi.useRealTimers()
    }
  })

  it('waits toolMs per tool and chunkDelayMs between chunks', async () => {
    vi.useFakeTimers()
    try {
      const timed = new ChatRequests({
        fixtures,
        history,
        pubsub,
        scheduler,
        scenarios,
        timing: { toolMs: 300, chunkDelayMs: 25, chunkSize: 1_000, reactiveContextMs: 5_000 },
        model: createScriptedModel(),
        dropConnection: () => {},
      })
      queue({ user: 'alice', chunkSize: 100 })
      const payload = timed.start(ALICE, { chat: { content: 'Summarize this issue', resourceId: 'gid://gitlab/Issue/1' } })
      await vi.advanceTimersByTimeAsync(299)
      expect(log).toEqual([`USER ${payload.requestId}`, `SYSTEM ${payload.requestId}`])

      await vi.advanceTimersByTimeAsync(1)
      expect(log.at(-1)).toBe('chunk 1')
      await vi.advanceTimersByTimeAsync(24)
      expect(log.at(-1)).toBe('chunk 1')
      await vi.advanceTimersByTimeAsync(1)
      expect(log.at(-1)).toBe('chunk 2')
      timed.abortAll()
    } finally {
      vi.useRealTimers()
    }
  })

  it("refuses to cancel another user's request and accepts cancelling a finished one", async () => {
    const payload = chat.start(ALICE, { chat: { content: 'hello' } })
    const requestId = payload.requestId ?? ''

    expect(chat.cancel(BOB, requestId)).toEqual(['There is no request of yours with this id to cancel.'])
    expect(chat.isRunning(requestId)).toBe(true)
    await finished(ALICE.id, requestId)
    expect(chat.cancel(ALICE, requestId)).toEqual([])
    expect(chat.cancel(ALICE, 'no-such-request')).toEqual(['There is no request of yours with this id to cancel.'])
  })

  it('stops the requests of a thread', async () => {
    queue({ user: 'alice', text: 'slow', delayMs: 60_000, chunkSize: 1 })
    const payload = chat.start(ALICE, { chat: { content: 'q' } })
    chat.abortThread(ALICE.id, payload.threadId ?? '')

    expect(chat.isRunning(payload.requestId ?? '')).toBe(false)
  })
})
