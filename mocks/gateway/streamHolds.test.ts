import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Gateway } from './index'
import { ALICE, ask, BOB, createTestGateway, joinChunks, openSubscription } from './testHelpers'

const TEXT = 'one two three four five six seven eight'

describe('scenario holdAfterChunks', () => {
  let gateway: Gateway
  beforeEach(() => {
    gateway = createTestGateway({ timing: { toolMs: 0, chunkDelayMs: 0, chunkSize: 5 } })
  })
  afterEach(() => gateway.dispose())

  it('pauses the stream after the given chunks until the user is released, then ends it whole', async () => {
    const subscription = await openSubscription(gateway, ALICE, { clientSubscriptionId: 'held-1' })
    gateway.scenario({ user: 'alice', text: TEXT, chunkSize: 5, holdAfterChunks: [2, 5] })
    const { requestId } = await ask(gateway, ALICE, { content: 'q', clientSubscriptionId: 'held-1' })
    const chunksOf = () => subscription.messages.filter((m) => m.requestId === requestId && m.chunkId !== null).length

    await subscription.waitFor((m) => m.requestId === requestId && m.chunkId === 2)
    // Bob's release lets nothing of alice's go.
    expect(gateway.release('bob')).toBe(0)
    await new Promise((resolve) => setImmediate(resolve))
    expect(chunksOf()).toBe(2)

    expect(gateway.release('alice')).toBe(1)
    await subscription.waitFor((m) => m.requestId === requestId && m.chunkId === 5)
    await new Promise((resolve) => setImmediate(resolve))
    expect(chunksOf()).toBe(5)

    expect(gateway.release(ALICE.id)).toBe(1)
    const answer = await subscription.waitForAnswer(requestId!)
    expect(answer.content).toBe(TEXT)
    expect(joinChunks(subscription.messages.filter((m) => m.requestId === requestId))).toBe(TEXT)
    await subscription.close()
  })

  it('passes the next hold at once when the release came before the stream got there', async () => {
    const subscription = await openSubscription(gateway, ALICE, { clientSubscriptionId: 'held-3' })
    gateway.scenario({ user: 'alice', text: TEXT, chunkSize: 5, holdAfterChunks: [3] })
    expect(gateway.release('alice')).toBe(0)
    const { requestId } = await ask(gateway, ALICE, { content: 'q', clientSubscriptionId: 'held-3' })
    expect((await subscription.waitForAnswer(requestId!)).content).toBe(TEXT)
    await subscription.close()
  })

  it('lets a held stream go when the gateway is reset', async () => {
    const subscription = await openSubscription(gateway, BOB, { clientSubscriptionId: 'held-2' })
    gateway.scenario({ user: 'bob', text: TEXT, chunkSize: 5, holdAfterChunks: [1] })
    const { requestId } = await ask(gateway, BOB, { content: 'q', clientSubscriptionId: 'held-2' })
    await subscription.waitFor((m) => m.requestId === requestId && m.chunkId === 1)
    gateway.reset()
    expect(gateway.release('bob')).toBe(0)
    await subscription.close()
  })

  it.each([
    [{ user: 'alice', holdAfterChunks: 3 }, /"holdAfterChunks" must be increasing positive integers/],
    [{ user: 'alice', holdAfterChunks: [3, 2] }, /"holdAfterChunks" must be increasing positive integers/],
    [{ user: 'alice', holdAfterChunks: [0] }, /"holdAfterChunks" must be increasing positive integers/],
    [{ user: 'alice', text: 'abcdef', chunkSize: 3, holdAfterChunks: [2] }, /the answer would end held/],
  ])('refuses %j naming the field', (body, message) => {
    expect(() => gateway.parseScenario(body)).toThrow(message)
  })

  it('refuses to release an unknown user', () => {
    expect(() => gateway.release('carol')).toThrow(/"carol" is not a known user/)
  })
})
