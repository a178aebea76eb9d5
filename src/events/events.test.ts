// @vitest-environment jsdom
/**
 * The drawer's events, as a host's `onEvent` receives them: each event's payload and timing
 * (an injected clock), no message text unless the host opts in, and a traceparent per request.
 */
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createApp, nextTick, shallowRef, type ShallowRef } from 'vue'
import { FakeChatApi } from '../../tests/fakeChatApi'
import { useDuoChatStore } from '../state/chatStore'
import { CommandQueue } from '../state/commandQueue'
import { duoChatConfigKey } from '../state/config'
import { duoChatGlobalState } from '../state/globalState'
import type { ChatOutcome } from '../state/types'
import type { ConnectionStatus } from '../transport/createApolloClient'
import { observeCommands } from './commandEvents'
import { createEventSink } from './eventSink'
import type { TraceparentSource } from './traceparent'
import type { DuoChatEvent } from './types'

const THREAD = 'gid://gitlab/Ai::Conversation::Thread/1'
const flush = () => new Promise((resolve) => setTimeout(resolve, 0))

interface Harness {
  api: FakeChatApi
  store: ReturnType<typeof useDuoChatStore>
  events: DuoChatEvent[]
  /** Moves the injected clock forward. */
  advance(ms: number): void
  connectionStatus: ShallowRef<ConnectionStatus>
}

function setup(options: { includeText?: boolean; traceparent?: TraceparentSource } = {}): Harness {
  const api = new FakeChatApi()
  const events: DuoChatEvent[] = []
  let clock = 1_000_000
  const connectionStatus = shallowRef<ConnectionStatus>('connected')
  const app = createApp({})
  const pinia = createPinia()
  app.use(pinia)
  app.provide(duoChatConfigKey, {
    api,
    userId: 'gid://gitlab/User/1',
    maxPromptLength: 10_000,
    requestTimeoutMs: 60_000,
    connectionStatus,
    shortcut: null,
    events: createEventSink({ onEvent: (event) => events.push(event), includeText: options.includeText, now: () => clock }),
    traceparent: options.traceparent ?? true,
  })
  setActivePinia(pinia)
  const store = app.runWithContext(() => useDuoChatStore())
  return { api, store, events, connectionStatus, advance: (ms) => (clock += ms) }
}

const ofType = <T extends DuoChatEvent['type']>(events: DuoChatEvent[], type: T) =>
  events.filter((event): event is Extract<DuoChatEvent, { type: T }> => event.type === type)

describe('request events', () => {
  beforeEach(() => {
    localStorage.clear()
    duoChatGlobalState.resourceId = 'gid://gitlab/Issue/1'
    duoChatGlobalState.contexts = []
  })
  afterEach(() => vi.useRealTimers())

  it('tell the question, the first chunk and the answer with their timings and sizes, and no text', async () => {
    const { api, store, events, advance } = setup()
    const outcome = store.sendQuestion('What is issue #1 about?', {
      contexts: [{ id: 'notes.md', category: 'FILE', title: 'notes.md', content: 'a note' }],
    })
    advance(120)
    await flush()
    const csid = api.lastClientSubscriptionId
    advance(380)
    api.toRequest(csid, { requestId: 'request-1', chunkId: 2, content: 'lo ' })
    expect(ofType(events, 'first_chunk')).toEqual([])
    api.toRequest(csid, { requestId: 'request-1', chunkId: 1, content: 'Hel' })
    api.toRequest(csid, { requestId: 'request-1', chunkId: 1, content: 'Hel' })
    advance(500)
    api.toRequest(csid, { requestId: 'request-1', chunkId: 3, content: 'there' })
    advance(250)
    api.broadcast({ requestId: 'request-1', role: 'ASSISTANT', content: 'Hello there', threadId: THREAD })
    await outcome

    expect(events.map((event) => event.type)).toEqual(['question', 'first_chunk', 'answer'])
    expect(events[0]).toMatchObject({
      type: 'question',
      requestId: 'request-1',
      threadId: THREAD,
      resourceId: 'gid://gitlab/Issue/1',
      contextCount: 1,
      ms: 120,
    })
    expect(events[1]).toEqual({ type: 'first_chunk', at: 1_000_500, requestId: 'request-1', ms: 500 })
    expect(events[2]).toEqual({ type: 'answer', at: 1_001_250, requestId: 'request-1', ms: 1250, chunks: 3, characters: 11 })
    expect(JSON.stringify(events)).not.toMatch(/issue #1 about|Hello|note/)
  })

  it('carry the question and the answer when the host opts in to text', async () => {
    const { api, store, events } = setup({ includeText: true })
    const outcome = store.sendQuestion('What is issue #1 about?')
    await flush()
    api.broadcast({ requestId: 'request-1', role: 'ASSISTANT', content: 'A Safari bug.' })
    await outcome
    expect(ofType(events, 'question')[0]?.text).toBe('What is issue #1 about?')
    expect(ofType(events, 'answer')[0]).toMatchObject({ text: 'A Safari bug.', chunks: 0, characters: 13 })
  })

  it('tell an error with its code, and a retry of it', async () => {
    const { api, store, events, advance } = setup()
    const outcome = store.sendQuestion('Summarize issue #99')
    await flush()
    advance(900)
    api.broadcast({ requestId: 'request-1', role: 'ASSISTANT', content: '', errors: ['No access. Error code: M3003'] })
    await outcome
    expect(ofType(events, 'error')).toEqual([{ type: 'error', at: 1_000_900, requestId: 'request-1', code: 'M3003', ms: 900 }])

    const failed = store.messages.at(-1)!
    void store.retry(failed)
    expect(ofType(events, 'retry')).toEqual([{ type: 'retry', at: 1_000_900, requestId: 'request-1', code: 'M3003' }])
  })

  it('tell a refused question without a request id, then its error', async () => {
    const { api, store, events } = setup()
    api.onSend = async () => {
      throw new Error('Your question is too long. Error code: M1005')
    }
    const outcome: ChatOutcome = await store.sendQuestion('Too long')
    expect(outcome.status).toBe('error')
    expect(events.map((event) => [event.type, 'requestId' in event ? event.requestId : undefined])).toEqual([
      ['question', null],
      ['error', null],
    ])
    expect(ofType(events, 'error')[0]?.code).toBe('M1005')
  })

  it('tell a stop with the time it took', async () => {
    const { api, store, events, advance } = setup()
    const outcome = store.sendQuestion('Explain this')
    await flush()
    api.toRequest(api.lastClientSubscriptionId, { requestId: 'request-1', chunkId: 1, content: 'Part' })
    advance(700)
    store.stop()
    await outcome
    expect(ofType(events, 'stop')).toEqual([{ type: 'stop', at: 1_000_700, requestId: 'request-1', ms: 700 }])
    expect(ofType(events, 'answer')).toEqual([])
  })

  it('tell a timeout as error M1001', async () => {
    vi.useFakeTimers()
    const { store, events } = setup()
    const outcome = store.sendQuestion('Anyone there?')
    await vi.advanceTimersByTimeAsync(60_001)
    await outcome
    expect(ofType(events, 'error')[0]).toMatchObject({ requestId: 'request-1', code: 'M1001' })
  })

  it('tell feedback, with what the user wrote only when the host opts in', async () => {
    const withoutText = setup()
    const message = { id: 'gid://gitlab/Ai::Message/1', requestId: 'request-1' } as Parameters<typeof withoutText.store.sendFeedback>[0]
    await withoutText.store.sendFeedback(message, false, 'Wrong issue')
    expect(withoutText.events).toEqual([{ type: 'feedback', at: 1_000_000, messageId: 'gid://gitlab/Ai::Message/1', requestId: 'request-1', helpful: false }])

    const withText = setup({ includeText: true })
    await withText.store.sendFeedback({ ...message }, false, 'Wrong issue')
    expect(withText.events[0]).toMatchObject({ details: 'Wrong issue' })
  })

  it('tell a reconnect with how long the socket was down', async () => {
    const { store, events, advance, connectionStatus } = setup()
    store.connect()
    connectionStatus.value = 'reconnecting'
    await nextTick()
    advance(2_500)
    connectionStatus.value = 'connected'
    await nextTick()
    expect(events).toEqual([{ type: 'reconnect', at: 1_002_500, ms: 2_500 }])
  })
})

describe('traceparent', () => {
  beforeEach(() => localStorage.clear())

  it('goes with each aiAction, a new trace per request, and the question event names its trace', async () => {
    const { api, store, events } = setup()
    void store.sendQuestion('One')
    await flush()
    api.broadcast({ requestId: 'request-1', role: 'ASSISTANT', content: 'a' })
    await flush()
    void store.sendQuestion('Two')
    await flush()

    const [first, second] = api.sent.map((input) => input.traceparent)
    expect(first).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/)
    expect(second).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/)
    expect(first!.split('-')[1]).not.toBe(second!.split('-')[1])
    expect(ofType(events, 'question')[0]?.traceId).toBe(first!.split('-')[1])
  })

  it("is the host's own when it gives one, and absent when turned off", async () => {
    const hosted = setup({ traceparent: () => '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' })
    void hosted.store.sendQuestion('One')
    await flush()
    expect(hosted.api.sent[0]?.traceparent).toBe('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')

    const off = setup({ traceparent: false })
    void off.store.sendQuestion('One')
    await flush()
    expect(off.api.sent[0]?.traceparent).toBeNull()
  })
})

describe('command events', () => {
  it('tell a command queued, started and settled, with the time since it was queued', async () => {
    const queue = new CommandQueue()
    const events: DuoChatEvent[] = []
    let clock = 0
    observeCommands(queue, createEventSink({ onEvent: (event) => events.push(event), now: () => clock })!)
    let finish!: (outcome: ChatOutcome) => void
    queue.setExecutor({ run: () => new Promise<ChatOutcome>((resolve) => (finish = resolve)) })

    const answered = queue.enqueue({ question: '/explain', resourceId: 'gid://gitlab/Issue/1' })
    const removed = queue.enqueue({ question: '/summarize_comments', resourceId: 'gid://gitlab/Issue/2' })
    clock = 40
    queue.remove('command-2')
    await expect(removed).rejects.toThrow(/cancelled/)
    clock = 300
    finish({ requestId: 'request-1', threadId: THREAD, content: 'It is a bug.', errors: [], status: 'complete' })
    await answered

    expect(events).toEqual([
      { type: 'command', at: 0, phase: 'queued', commandId: 'command-1', resourceId: 'gid://gitlab/Issue/1' },
      { type: 'command', at: 0, phase: 'started', commandId: 'command-1', resourceId: 'gid://gitlab/Issue/1', ms: 0 },
      { type: 'command', at: 0, phase: 'queued', commandId: 'command-2', resourceId: 'gid://gitlab/Issue/2' },
      { type: 'command', at: 40, phase: 'settled', commandId: 'command-2', resourceId: 'gid://gitlab/Issue/2', outcome: 'cancelled', ms: 40 },
      { type: 'command', at: 300, phase: 'settled', commandId: 'command-1', resourceId: 'gid://gitlab/Issue/1', outcome: 'answered', ms: 300 },
    ])
  })

  it('keep the drawer working when the host handler throws', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const sink = createEventSink({
      onEvent: () => {
        throw new Error('analytics down')
      },
    })!
    expect(() => sink.emit({ type: 'reconnect', at: 0, ms: 0 })).not.toThrow()
    expect(() => sink.emit({ type: 'reconnect', at: 0, ms: 0 })).not.toThrow()
    expect(warn).toHaveBeenCalledTimes(1)
    warn.mockRestore()
  })
})
