import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Gateway } from './index'
import type { ChatModel } from './model'
import { ALICE, ask, askAndWait, BOB, createTestGateway, openSubscription, run } from './testHelpers'

describe('aiAction', () => {
  let gateway: Gateway
  beforeEach(() => {
    gateway = createTestGateway()
  })
  afterEach(() => gateway.dispose())

  it('returns the request and a new thread at once', async () => {
    const payload = await ask(gateway, ALICE, { content: 'hello' })

    expect(payload.errors).toEqual([])
    expect(payload.requestId).toMatch(/^[0-9a-f-]{36}$/)
    expect(payload.threadId).toMatch(/^gid:\/\/gitlab\/Ai::Conversation::Thread\/[0-9a-f-]{36}$/)
  })

  it('refuses a question over 10,000 characters with M1005 and starts nothing', async () => {
    const tab = await openSubscription(gateway, ALICE)
    const payload = await ask(gateway, ALICE, { content: 'x'.repeat(10_001) })

    expect(payload).toEqual({
      requestId: null,
      threadId: null,
      errors: [
        'Your question is 10,001 characters long, over the limit of 10,000. Shorten it and send it again. Error code: M1005',
      ],
    })
    const next = await ask(gateway, ALICE, { content: 'hello' })
    await tab.waitForAnswer(next.requestId ?? '')
    expect(new Set(tab.messages.map((message) => message.requestId))).toEqual(new Set([next.requestId]))
    const threads = await run(gateway, ALICE, '{ aiConversationThreads { nodes { id } } }')
    expect(threads.data).toEqual({ aiConversationThreads: { nodes: [{ id: next.threadId }] } })
    await tab.close()
  })

  it('accepts a question of exactly 10,000 characters', async () => {
    const payload = await ask(gateway, ALICE, { content: 'x'.repeat(10_000) })

    expect(payload.errors).toEqual([])
  })

  it.each(['', '   \n\t '])('refuses the empty question %j', async (content) => {
    const payload = await ask(gateway, ALICE, { content })

    expect(payload).toEqual({ requestId: null, threadId: null, errors: ['The question is empty. Type a question and send it again.'] })
  })

  it('refuses too much attached context with M1005', async () => {
    const payload = await ask(gateway, ALICE, {
      content: 'Explain',
      additionalContext: [{ category: 'FILE', id: 'big.txt', content: 'x'.repeat(100_001) }],
    })

    expect(payload.errors).toEqual([expect.stringMatching(/attached context .* Error code: M1005$/)])
  })

  it('continues an existing thread of the viewer', async () => {
    const first = await askAndWait(gateway, ALICE, { content: 'hello' })
    const second = await askAndWait(gateway, ALICE, { content: 'thanks', threadId: first.threadId })

    expect(second.threadId).toBe(first.threadId)
    expect(second.answer.threadId).toBe(first.threadId)
  })

  it("refuses unknown threads and other users' threads alike", async () => {
    const bobs = await askAndWait(gateway, BOB, { content: 'hello' })
    const foreign = await ask(gateway, ALICE, { content: 'hello', threadId: bobs.threadId })
    const unknown = await ask(gateway, ALICE, { content: 'hello', threadId: 'gid://gitlab/Ai::Conversation::Thread/999' })

    expect(foreign).toEqual(unknown)
    expect(foreign).toMatchObject({ requestId: null, errors: [expect.stringMatching(/Error code: M3003$/)] })
  })

  it('refuses anonymous callers with UNAUTHENTICATED', async () => {
    const result = await run(gateway, null, 'mutation { aiAction(input: { chat: { content: "hi" } }) { requestId } }')

    expect(result.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED' })
  })
})

describe('aiActionCancel', () => {
  let gateway: Gateway
  afterEach(() => gateway.dispose())

  /** A model that hangs on its first prompt until cancelled, then answers normally. */
  function hangingModel() {
    let calls = 0
    let announce: () => void = () => {}
    const started = new Promise<void>((resolve) => {
      announce = resolve
    })
    const model: ChatModel = {
      async *stream(_prompt, signal) {
        calls += 1
        if (calls === 1) {
          announce()
          await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }))
        }
        yield 'Final Answer: answered'
      },
    }
    return { model, started }
  }

  const CANCEL = 'mutation ($requestId: String!) { aiActionCancel(input: { requestId: $requestId }) { errors } }'

  it("stops the viewer's running request; nothing more is published for it", async () => {
    const { model, started } = hangingModel()
    gateway = createTestGateway({ model })
    const tab = await openSubscription(gateway, ALICE, { clientSubscriptionId: 'tab' })
    const cancelled = await ask(gateway, ALICE, { content: 'slow question', clientSubscriptionId: 'tab' })
    await started

    const result = await run(gateway, ALICE, CANCEL, { requestId: cancelled.requestId })
    expect(result.data).toEqual({ aiActionCancel: { errors: [] } })

    const next = await ask(gateway, ALICE, { content: 'next question', clientSubscriptionId: 'tab' })
    await tab.waitForAnswer(next.requestId ?? '')
    expect(tab.messages.filter((message) => message.requestId === cancelled.requestId).map((message) => message.role)).toEqual(['USER'])
    await tab.close()
  })

  it("can't stop another user's request", async () => {
    const { model, started } = hangingModel()
    gateway = createTestGateway({ model })
    const tab = await openSubscription(gateway, ALICE)
    const payload = await ask(gateway, ALICE, { content: 'slow question' })
    await started

    const result = await run(gateway, BOB, CANCEL, { requestId: payload.requestId })
    expect(result.data).toEqual({ aiActionCancel: { errors: ['There is no request of yours with this id to cancel.'] } })

    await run(gateway, ALICE, CANCEL, { requestId: payload.requestId })
    await tab.close()
  })
})
