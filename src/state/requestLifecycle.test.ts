import { afterEach, describe, expect, it, vi } from 'vitest'
import { FakeChatApi } from '../../tests/fakeChatApi'
import type { AiMessage } from '../transport/types'
import { createMessage } from './messages'
import { RequestLifecycle } from './requestLifecycle'

const USER = 'gid://gitlab/User/1'
const THREAD = 'gid://gitlab/Ai::Conversation::Thread/1'
const tick = () => new Promise((resolve) => setTimeout(resolve, 0))

/** The lifecycle alone: no Pinia, no app, no component. The fake API stands in for the gateway. */
function setup({ timeoutMs = 60_000 } = {}) {
  const api = new FakeChatApi()
  const others: AiMessage[] = []
  const lifecycle = new RequestLifecycle({ api, userId: USER, timeoutMs, onOtherMessage: (message) => others.push(message) })
  // What the store does: one user-wide subscription feeds every complete message to the lifecycle.
  api.subscribe({ userId: USER, aiAction: 'CHAT' }, { next: (message) => lifecycle.receiveComplete(message) })
  function ask(content: string) {
    const question = createMessage('USER', { content, status: 'pending' })
    const answer = createMessage('ASSISTANT', { status: 'pending' })
    const accepted: { requestId: string; threadId: string | null }[] = []
    const outcome = lifecycle.start({
      question,
      answer,
      send: (clientSubscriptionId) => api.sendChat({ question: content, clientSubscriptionId }),
      onAccepted: (a) => accepted.push(a),
    })
    return { question, answer, outcome, accepted }
  }
  return { api, lifecycle, others, ask }
}

afterEach(() => vi.useRealTimers())

describe('RequestLifecycle', () => {
  it('streams chunks in order behind tool steps, and resolves with the complete message', async () => {
    const { api, lifecycle, ask } = setup()
    const { question, answer, outcome, accepted } = ask('What is issue #1 about?')
    expect(lifecycle.busy).toBe(true)
    await tick()
    expect(accepted).toEqual([{ requestId: 'request-1', threadId: THREAD }])
    expect(question).toMatchObject({ status: 'complete', requestId: 'request-1' })
    const csid = api.lastClientSubscriptionId
    api.toRequest(csid, { role: 'SYSTEM', type: 'TOOL', content: 'Issue Reader' })
    expect(lifecycle.currentToolStep).toBe('Issue Reader')
    api.toRequest(csid, { requestId: 'request-1', chunkId: 2, content: ' world' })
    expect(answer.content).toBe('')
    api.toRequest(csid, { requestId: 'request-1', chunkId: 1, content: 'Hello' })
    expect(answer).toMatchObject({ content: 'Hello world', status: 'streaming' })
    expect(lifecycle.currentToolStep).toBeNull()
    api.broadcast({ requestId: 'request-1', role: 'ASSISTANT', content: 'Hello world!', id: 'a1', threadId: THREAD })
    await expect(outcome).resolves.toEqual({ requestId: 'request-1', threadId: THREAD, content: 'Hello world!', errors: [], status: 'complete' })
    expect(answer).toMatchObject({ id: 'a1', status: 'complete', toolSteps: ['Issue Reader'] })
    expect(lifecycle.busy).toBe(false)
    expect(api.subscriptions.filter((s) => s.variables.clientSubscriptionId)).toHaveLength(0)
  })

  it('refuses a second request while one is in flight, and takes the next once the first ended', async () => {
    const { api, lifecycle, ask } = setup()
    const first = ask('one')
    await expect(ask('two').outcome).rejects.toThrow('Wait for the current answer')
    await tick()
    api.broadcast({ requestId: 'request-1', role: 'ASSISTANT', content: 'first' })
    await expect(first.outcome).resolves.toMatchObject({ content: 'first' })
    const next = ask('three')
    await tick()
    api.broadcast({ requestId: 'request-2', role: 'ASSISTANT', content: 'third' })
    await expect(next.outcome).resolves.toMatchObject({ content: 'third' })
    expect(lifecycle.busy).toBe(false)
  })

  it('tells its own messages from another tab’s when they race the mutation response', async () => {
    const { api, others, ask } = setup()
    let accept!: (value: { requestId: string; threadId: string }) => void
    api.onSend = () => new Promise((resolve) => (accept = resolve))
    const { question, outcome } = ask('Hi')
    await tick()
    api.broadcast({ requestId: 'other-tab', role: 'USER', content: 'Elsewhere' })
    api.broadcast({ requestId: 'r9', role: 'ASSISTANT', content: 'Hello!', id: 'a1' })
    api.broadcast({ requestId: 'r9', role: 'USER', content: 'Hi', id: 'u1' })
    expect(question.id).toBe('u1')
    await expect(outcome).resolves.toMatchObject({ requestId: 'r9', content: 'Hello!' })
    accept({ requestId: 'r9', threadId: 't1' })
    expect(others.map((m) => m.content)).toEqual(['Elsewhere'])
  })

  it('stops at once, even while the mutation hangs; the request is cancelled on the gateway once known', async () => {
    const { api, lifecycle, ask } = setup()
    let accept!: (value: { requestId: string; threadId: string }) => void
    api.onSend = () => new Promise((resolve) => (accept = resolve))
    const { question, answer, outcome, accepted } = ask('Tell me a long story')
    await tick()
    lifecycle.stop()
    await expect(outcome).resolves.toMatchObject({ status: 'stopped', content: '' })
    expect(lifecycle.busy).toBe(false)
    expect(question.status).toBe('complete')
    accept({ requestId: 'r1', threadId: 't1' })
    await tick()
    expect(api.cancelled).toEqual(['r1'])
    expect(accepted).toEqual([])
    api.broadcast({ requestId: 'r1', role: 'ASSISTANT', content: 'Once upon a time' })
    expect(answer).toMatchObject({ status: 'stopped', content: '' })
  })

  it('ignores chunks and the answer of a stopped request, keeping what was shown', async () => {
    const { api, lifecycle, others, ask } = setup()
    const { answer, outcome } = ask('Tell me a long story')
    await tick()
    const csid = api.lastClientSubscriptionId
    api.toRequest(csid, { requestId: 'request-1', chunkId: 1, content: 'Once' })
    lifecycle.stop()
    await expect(outcome).resolves.toMatchObject({ status: 'stopped', content: 'Once' })
    expect(api.cancelled).toEqual(['request-1'])
    api.toRequest(csid, { requestId: 'request-1', chunkId: 2, content: ' upon' })
    api.broadcast({ requestId: 'request-1', role: 'ASSISTANT', content: 'Once upon a time' })
    expect(answer).toMatchObject({ status: 'stopped', content: 'Once' })
    expect(others).toEqual([])
  })

  it('ends with the error and its code, once, when the gateway refuses or cannot be reached', async () => {
    const { api, ask } = setup()
    api.onSend = () => Promise.reject(new TypeError('Failed to fetch'))
    const unreachable = ask('Hello?')
    await expect(unreachable.outcome).resolves.toMatchObject({ status: 'error', errors: ['Failed to fetch Error code: M1000'] })
    expect(unreachable.question.status).toBe('complete')
    api.onSend = async () => {
      const { DuoChatError } = await import('../transport/errors')
      throw new DuoChatError('This chat is full. Error code: M1005', { kind: 'validation' })
    }
    await expect(ask('More?').outcome).resolves.toMatchObject({ errors: ['This chat is full. Error code: M1005'] })
  })

  it('times out with M1001 after a silence, counted from the last sign of life', async () => {
    vi.useFakeTimers()
    const { api, lifecycle, ask } = setup({ timeoutMs: 1000 })
    const { answer, outcome } = ask('Slow but alive?')
    await vi.advanceTimersByTimeAsync(800)
    api.toRequest(api.lastClientSubscriptionId, { requestId: 'request-1', chunkId: 1, content: 'Still' })
    await vi.advanceTimersByTimeAsync(900)
    expect(lifecycle.busy).toBe(true)
    await vi.advanceTimersByTimeAsync(200)
    await expect(outcome).resolves.toMatchObject({ status: 'error', content: 'Still', errors: [expect.stringContaining('Error code: M1001')] })
    expect(answer.status).toBe('error')
  })

  it('finishes from history instead of timing out when the answer completed unheard', async () => {
    vi.useFakeTimers()
    const { api, ask } = setup({ timeoutMs: 1000 })
    const { outcome } = ask('Did you answer?')
    await vi.advanceTimersByTimeAsync(10)
    api.history = [{ requestId: 'request-1', role: 'ASSISTANT', content: 'Yes, while you were offline.', timestamp: '2026-01-01T00:00:00Z' }]
    await vi.advanceTimersByTimeAsync(1000)
    await expect(outcome).resolves.toMatchObject({ status: 'complete', content: 'Yes, while you were offline.' })
  })

  it('after a reconnect, finishes from history an answer whose messages were lost', async () => {
    const { api, lifecycle, ask } = setup()
    const { outcome } = ask('Are you there?')
    await tick()
    api.history = [{ requestId: 'request-1', role: 'ASSISTANT', content: 'I am.', timestamp: '2026-01-01T00:00:00Z' }]
    lifecycle.reconnected()
    await expect(outcome).resolves.toMatchObject({ status: 'complete', content: 'I am.' })
  })
})
