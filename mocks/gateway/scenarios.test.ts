import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Gateway } from './index'
import { ALICE, askAndWait, BOB, createTestGateway, joinChunks, run, toolSteps } from './testHelpers'

const TEXT = 'Scripted answer with **markdown** and enough text for several chunks.'

describe('scenarios', () => {
  let gateway: Gateway
  beforeEach(() => {
    gateway = createTestGateway()
  })
  afterEach(() => gateway.dispose())

  const chunkIds = (messages: { chunkId: number | null }[]) =>
    messages.filter((message) => message.chunkId !== null).map((message) => message.chunkId)

  it('answers the next question with the scripted text, skipping tools', async () => {
    gateway.scenario({ user: 'alice', text: TEXT, chunkSize: 10 })
    const turn = await askAndWait(gateway, ALICE, { content: 'Summarize this issue', resourceId: 'gid://gitlab/Issue/1' })

    expect(toolSteps(turn.messages)).toEqual([])
    expect(chunkIds(turn.messages)).toEqual([1, 2, 3, 4, 5, 6, 7])
    expect(joinChunks(turn.messages)).toBe(TEXT)
    expect(turn.answer).toMatchObject({ content: TEXT, errors: [] })
  })

  it('is used once, first in first out, per user', async () => {
    gateway.scenario({ user: 'gid://gitlab/User/1', text: 'first' })
    gateway.scenario({ user: 'alice', text: 'second' })
    gateway.scenario({ user: 'bob', text: 'for bob' })

    expect((await askAndWait(gateway, ALICE, { content: 'q1' })).answer.content).toBe('first')
    expect((await askAndWait(gateway, BOB, { content: 'q' })).answer.content).toBe('for bob')
    expect((await askAndWait(gateway, ALICE, { content: 'q2' })).answer.content).toBe('second')
    expect((await askAndWait(gateway, ALICE, { content: 'hello' })).answer.content).toMatch(/^Hello!/)
  })

  it('shuffles chunks deterministically, never in order', async () => {
    gateway.scenario({ user: 'alice', text: TEXT, chunkSize: 5, order: 'shuffled' })
    gateway.scenario({ user: 'alice', text: TEXT, chunkSize: 5, order: 'shuffled' })
    const first = await askAndWait(gateway, ALICE, { content: 'one' })
    const second = await askAndWait(gateway, ALICE, { content: 'two' })
    const order = chunkIds(first.messages)

    expect(order).toEqual(chunkIds(second.messages))
    expect(order).not.toEqual([...order].sort((a, b) => (a ?? 0) - (b ?? 0)))
    expect([...order].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(Array.from({ length: 14 }, (_, index) => index + 1))
    expect(joinChunks(first.messages)).toBe(TEXT)
    expect(first.answer.content).toBe(TEXT)
  })

  it('sends every chunk twice when duplicated', async () => {
    gateway.scenario({ user: 'alice', text: 'abcdefgh', chunkSize: 3, order: 'duplicated' })
    const turn = await askAndWait(gateway, ALICE, { content: 'q' })

    expect(chunkIds(turn.messages)).toEqual([1, 1, 2, 2, 3, 3])
    expect(turn.answer.content).toBe('abcdefgh')
  })

  it('ends the request with the scripted error code', async () => {
    gateway.scenario({ user: 'alice', errorCode: 'A1001' })
    const turn = await askAndWait(gateway, ALICE, { content: 'q' })

    expect(chunkIds(turn.messages)).toEqual([])
    expect(turn.answer.errors).toEqual([expect.stringMatching(/ Error code: A1001$/)])
    expect(turn.answer.content).toBe(turn.answer.errors[0]?.replace(' Error code: A1001', ''))
  })

  it('streams the text before failing when both text and an error code are given', async () => {
    gateway.scenario({ user: 'alice', text: 'partial answer', chunkSize: 4, errorCode: 'A1003' })
    const turn = await askAndWait(gateway, ALICE, { content: 'q' })

    expect(joinChunks(turn.messages)).toBe('partial answer')
    expect(turn.answer.errors).toEqual([expect.stringMatching(/A1003$/)])
  })

  it('accepts codes outside the catalog with a generic sentence', async () => {
    gateway.scenario({ user: 'alice', errorCode: 'G9999' })
    const turn = await askAndWait(gateway, ALICE, { content: 'q' })

    expect(turn.answer.errors).toEqual(["I'm sorry, I can't generate a response. Please try again. Error code: G9999"])
  })

  it('fires onConnectionDrop once and still stores the final answer', async () => {
    const dropped = vi.fn<(userId: string) => void>()
    const unsubscribe = gateway.onConnectionDrop(dropped)
    gateway.scenario({ user: 'alice', text: TEXT, chunkSize: 10, dropConnectionAfterChunk: 2 })
    const turn = await askAndWait(gateway, ALICE, { content: 'q' })

    expect(dropped).toHaveBeenCalledTimes(1)
    expect(dropped).toHaveBeenCalledWith(ALICE.id)
    expect(turn.answer.content).toBe(TEXT)
    const history = await run(gateway, ALICE, '{ aiMessages(roles: [ASSISTANT]) { nodes { content requestId } } }')
    expect(history.data).toEqual({ aiMessages: { nodes: [{ content: TEXT, requestId: turn.requestId }] } })

    unsubscribe()
    gateway.scenario({ user: 'alice', text: TEXT, chunkSize: 10, dropConnectionAfterChunk: 1 })
    await askAndWait(gateway, ALICE, { content: 'q' })
    expect(dropped).toHaveBeenCalledTimes(1)
  })

  it('lets the agent answer, streamed as scripted, when there is no text', async () => {
    const dropped = vi.fn()
    gateway.onConnectionDrop(dropped)
    gateway.scenario({ user: 'alice', chunkSize: 50, dropConnectionAfterChunk: 1 })
    const turn = await askAndWait(gateway, ALICE, { content: 'Summarize this issue', resourceId: 'gid://gitlab/Issue/1' })

    expect(toolSteps(turn.messages)).toEqual(['Issue Reader'])
    expect(turn.messages.find((message) => message.chunkId === 1)?.content).toHaveLength(50)
    expect(dropped).toHaveBeenCalledWith(ALICE.id)
  })

  describe('parseScenario', () => {
    it('returns the validated scenario', () => {
      const body = { user: 'bob', text: 'hi', chunkSize: 2, delayMs: 0, order: 'duplicated', errorCode: 'M3003', dropConnectionAfterChunk: 1 }
      expect(gateway.parseScenario(body)).toEqual(body)
    })

    it.each([
      [null, /expected a JSON object/],
      [[], /expected a JSON object/],
      [{ text: 'x' }, /"user"/],
      [{ user: 'carol' }, /"user" "carol" is not a known user/],
      [{ user: 'alice', chunksize: 3 }, /unknown field "chunksize"/],
      [{ user: 'alice', text: 5 }, /"text"/],
      [{ user: 'alice', text: '' }, /"text" must not be empty/],
      [{ user: 'alice', chunkSize: 0 }, /"chunkSize"/],
      [{ user: 'alice', chunkSize: 1.5 }, /"chunkSize"/],
      [{ user: 'alice', delayMs: -1 }, /"delayMs"/],
      [{ user: 'alice', delayMs: 120_000 }, /"delayMs"/],
      [{ user: 'alice', order: 'random' }, /"order" must be one of in-order, shuffled, duplicated/],
      [{ user: 'alice', errorCode: 'E42' }, /"errorCode"/],
      [{ user: 'alice', dropConnectionAfterChunk: 0 }, /"dropConnectionAfterChunk"/],
      [{ user: 'alice', text: 'abcdef', chunkSize: 3, dropConnectionAfterChunk: 3 }, /only 2 chunks/],
    ])('rejects %j naming the field', (body, message) => {
      expect(() => gateway.parseScenario(body)).toThrow(message)
    })

    it('applies the same validation to scenario()', () => {
      expect(() => gateway.scenario({ user: 'alice', order: 'sideways' as never })).toThrow(/"order"/)
    })
  })
})
