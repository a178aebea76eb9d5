import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Gateway } from './index'
import { ALICE, ask, BOB, createTestGateway, joinChunks, openSubscription, subscribeRaw } from './testHelpers'

describe('aiCompletionResponse', () => {
  let gateway: Gateway
  beforeEach(() => {
    gateway = createTestGateway()
  })
  afterEach(() => gateway.dispose())

  it("refuses a subscription for another user's id without revealing anything", async () => {
    const result = await subscribeRaw(gateway, ALICE, { userId: BOB.id, aiAction: 'CHAT' })

    expect(Symbol.asyncIterator in result).toBe(false)
    expect(result).toMatchObject({ errors: [{ extensions: { code: 'FORBIDDEN' } }] })
    expect(JSON.stringify(result)).not.toContain('bob')
  })

  it('refuses a subscription without a user id', async () => {
    const result = await subscribeRaw(gateway, ALICE, { aiAction: 'CHAT' })

    expect(result).toMatchObject({ errors: [{ extensions: { code: 'FORBIDDEN' } }] })
  })

  it('refuses anonymous subscriptions', async () => {
    const result = await subscribeRaw(gateway, null, { userId: ALICE.id, aiAction: 'CHAT' })

    expect(result).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] })
  })

  it("sends chunks and tool steps only to the request's subscription, complete messages to all of the user's", async () => {
    const asking = await openSubscription(gateway, ALICE, { clientSubscriptionId: 'tab-1' })
    const otherTab = await openSubscription(gateway, ALICE, { clientSubscriptionId: 'tab-2' })
    const bobTab = await openSubscription(gateway, BOB, { clientSubscriptionId: 'tab-1' })

    const { requestId } = await ask(gateway, ALICE, {
      content: 'Summarize this issue',
      resourceId: 'gid://gitlab/Issue/1',
      clientSubscriptionId: 'tab-1',
    })
    const answer = await asking.waitForAnswer(requestId ?? '')
    await otherTab.waitForAnswer(requestId ?? '')

    const kinds = (messages: typeof asking.messages) =>
      messages.map((message) => (message.type === 'TOOL' ? 'tool' : message.chunkId !== null ? 'chunk' : message.role))
    expect(kinds(otherTab.messages)).toEqual(['USER', 'ASSISTANT'])
    expect(kinds(asking.messages)[0]).toBe('USER')
    expect(kinds(asking.messages)).toContain('tool')
    expect(kinds(asking.messages)).toContain('chunk')
    expect(kinds(asking.messages).at(-1)).toBe('ASSISTANT')
    expect(joinChunks(asking.messages)).toBe(answer.content)
    expect(bobTab.messages).toEqual([])

    await Promise.all([asking.close(), otherTab.close(), bobTab.close()])
  })

  it('delivers the user message complete, with the attached context', async () => {
    const tab = await openSubscription(gateway, ALICE)
    const context = { category: 'ISSUE', id: 'gid://gitlab/Issue/1', content: 'Checkout button…', metadata: { title: 'Checkout' } }
    const { requestId, threadId } = await ask(gateway, ALICE, { content: 'What is this?', additionalContext: [context] })
    const question = await tab.waitFor((message) => message.role === 'USER')

    expect(question).toMatchObject({
      requestId,
      threadId,
      content: 'What is this?',
      chunkId: null,
      errors: [],
      extras: { additionalContext: [context], hasFeedback: false },
    })
    expect(question.id).toMatch(/^gid:\/\/gitlab\/Ai::Message\//)
    expect(Date.parse(question.timestamp)).not.toBeNaN()
    await tab.waitForAnswer(requestId ?? '')
    await tab.close()
  })

  it('gives a subscription without aiAction only its own requests', async () => {
    const own = await openSubscription(gateway, ALICE, { clientSubscriptionId: 'mine', aiAction: null })
    const broadcastOnly = await openSubscription(gateway, ALICE)

    const other = await ask(gateway, ALICE, { content: 'hello', clientSubscriptionId: 'someone-else' })
    await broadcastOnly.waitForAnswer(other.requestId ?? '')
    const mine = await ask(gateway, ALICE, { content: 'hello', clientSubscriptionId: 'mine' })
    await own.waitForAnswer(mine.requestId ?? '')

    expect(new Set(own.messages.map((message) => message.requestId))).toEqual(new Set([mine.requestId]))
    await Promise.all([own.close(), broadcastOnly.close()])
  })

  it('removes its listener when the client completes the subscription', async () => {
    const tab = await openSubscription(gateway, ALICE)
    const { requestId } = await ask(gateway, ALICE, { content: 'hello' })
    await tab.waitForAnswer(requestId ?? '')
    await tab.close()

    const count = tab.messages.length
    const next = await openSubscription(gateway, ALICE)
    const second = await ask(gateway, ALICE, { content: 'hello again' })
    await next.waitForAnswer(second.requestId ?? '')

    expect(tab.messages).toHaveLength(count)
    await next.close()
  })

  it('ends open subscriptions on dispose', async () => {
    const result = await subscribeRaw(gateway, ALICE, { userId: ALICE.id, aiAction: 'CHAT' })
    if (!(Symbol.asyncIterator in result)) throw new Error('subscription refused')
    const pending = result.next()
    gateway.dispose()

    await expect(pending).resolves.toEqual({ done: true, value: undefined })
  })
})
