// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { duoChatGlobalState } from '../src/state/globalState'
import { parseAiMessage } from '../src/transport/parseAiMessage'
import { FakeChatApi } from './fakeChatApi'
import { createTestStore } from './storeHarness'

function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

const JUNK: unknown[] = [
  null,
  'chunk',
  42,
  [],
  { role: 'ROBOT', timestamp: '' },
  { role: 'ASSISTANT', requestId: 'request-1', chunkId: 0, content: 'zero', timestamp: '' },
  { role: 'ASSISTANT', requestId: 'request-1', chunkId: -3, content: 'negative', timestamp: '' },
  { role: 'ASSISTANT', requestId: 'request-1', chunkId: 2.5, content: 'fraction', timestamp: '' },
  { role: 'ASSISTANT', requestId: 'request-1', chunkId: '3', content: 'string id', timestamp: '' },
  { role: 'ASSISTANT', chunkId: 1, content: 'no request', timestamp: '' },
  { role: 'ASSISTANT', requestId: 'request-1', chunkId: 1, content: { html: 'object' }, timestamp: '' },
  { role: 'ASSISTANT', requestId: 'request-1', errors: 'not a list', timestamp: '' },
]

describe('fuzzing the stream: random order, duplicates, late chunks and malformed messages', () => {
  afterEach(() => vi.restoreAllMocks())

  it.each(Array.from({ length: 20 }, (_, i) => i + 1))('ends with the exact text and no exception (seed %i)', async (seed) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const next = random(seed)
    const api = new FakeChatApi()
    const store = createTestStore({ api })
    duoChatGlobalState.resourceId = null

    const answer = store.sendQuestion('Fuzz me')
    await new Promise((resolve) => setTimeout(resolve, 0))
    const request = api.subscriptions.find((s) => s.variables.clientSubscriptionId)!
    const user = api.subscriptions.find((s) => s.variables.aiAction === 'CHAT')!
    // Deliver as the transport does: parse first, drop what is malformed.
    const deliver = (to: typeof request, value: unknown) => {
      const message = parseAiMessage(value)
      if (message) to.handlers.next(message)
    }

    const text = `Seed ${seed}: ` + 'streamed words arrive in any order '.repeat(3 + Math.floor(next() * 10))
    const size = 1 + Math.floor(next() * 7)
    const chunks = Array.from({ length: Math.ceil(text.length / size) }, (_, i) => ({
      role: 'ASSISTANT',
      requestId: 'request-1',
      chunkId: i + 1,
      content: text.slice(i * size, (i + 1) * size),
      timestamp: '',
    }))
    const deliveries: unknown[] = [...chunks, ...chunks.filter(() => next() < 0.3), ...JUNK.filter(() => next() < 0.6)]
    for (let i = deliveries.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1))
      ;[deliveries[i], deliveries[j]] = [deliveries[j], deliveries[i]]
    }
    for (const value of deliveries) {
      deliver(request, value)
      // What is visible is always a beginning of the answer, never a hole or a repeat.
      expect(text.startsWith(store.messages.at(-1)!.content)).toBe(true)
    }
    expect(store.messages.at(-1)?.content).toBe(text)
    deliver(user, { role: 'ASSISTANT', requestId: 'request-1', content: text, timestamp: '', id: 'final' })
    // Late chunks, duplicates and junk after the final message change nothing.
    for (const value of [chunks[0], chunks.at(-1), { ...chunks[0], chunkId: chunks.length + 1, content: 'late' }, ...JUNK]) {
      deliver(request, value)
      deliver(user, value)
    }
    await expect(answer).resolves.toMatchObject({ content: text, errors: [] })
    expect(store.messages.map((m) => m.content)).toEqual(['Fuzz me', text])
  })
})
