import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Gateway } from './index'
import { ALICE, askAndWait, BOB, createTestGateway, run } from './testHelpers'

const MESSAGES = `query ($threadId: AiConversationThreadID, $requestIds: [ID!], $roles: [AiMessageRole!], $first: Int, $last: Int, $after: String, $before: String) {
  aiMessages(threadId: $threadId, requestIds: $requestIds, roles: $roles, first: $first, last: $last, after: $after, before: $before) {
    nodes { id requestId role content threadId extras { hasFeedback sources } }
    edges { cursor node { id } }
    pageInfo { startCursor endCursor hasNextPage hasPreviousPage }
  }
}`

const THREADS = `query ($id: AiConversationThreadID, $conversationType: AiConversationsThreadsConversationType) {
  aiConversationThreads(id: $id, conversationType: $conversationType) {
    nodes { id title conversationType createdAt lastUpdatedAt }
  }
}`

interface MessagesResult {
  aiMessages: {
    nodes: { id: string; requestId: string; role: string; content: string; threadId: string; extras: { hasFeedback: boolean } }[]
    edges: { cursor: string; node: { id: string } }[]
    pageInfo: { startCursor: string | null; endCursor: string | null; hasNextPage: boolean; hasPreviousPage: boolean }
  }
}

describe('history', () => {
  let gateway: Gateway
  beforeEach(() => {
    gateway = createTestGateway()
  })
  afterEach(() => gateway.dispose())

  async function messages(viewer = ALICE, variables: Record<string, unknown> = {}): Promise<MessagesResult['aiMessages']> {
    const result = await run(gateway, viewer, MESSAGES, variables)
    if (result.errors) throw new Error(JSON.stringify(result.errors))
    return (result.data as unknown as MessagesResult).aiMessages
  }

  it('stores both sides of a conversation in order, with the same request id', async () => {
    const turn = await askAndWait(gateway, ALICE, { content: 'Summarize this issue', resourceId: 'gid://gitlab/Issue/1' })
    const { nodes } = await messages(ALICE, { threadId: turn.threadId })

    expect(nodes.map((node) => [node.role, node.requestId])).toEqual([
      ['USER', turn.requestId],
      ['ASSISTANT', turn.requestId],
    ])
    expect(nodes[1]?.content).toBe(turn.answer.content)
    expect(nodes[1]?.id).toBe(turn.answer.id)
  })

  it('without a thread id, reads the most recently updated chat thread', async () => {
    const older = await askAndWait(gateway, ALICE, { content: 'hello' })
    const newer = await askAndWait(gateway, ALICE, { content: 'thanks' })
    expect((await messages()).nodes.map((node) => node.threadId)).toEqual([newer.threadId, newer.threadId])

    await askAndWait(gateway, ALICE, { content: 'hello again', threadId: older.threadId })
    expect((await messages()).nodes.map((node) => node.content).slice(0, 2)).toEqual(['hello', expect.stringMatching(/^Hello!/)])
  })

  it('filters by request ids and roles', async () => {
    const first = await askAndWait(gateway, ALICE, { content: 'hello' })
    const second = await askAndWait(gateway, ALICE, { content: 'thanks', threadId: first.threadId })

    const byRequest = await messages(ALICE, { threadId: first.threadId, requestIds: [second.requestId] })
    expect(byRequest.nodes.map((node) => node.content)).toEqual(['thanks', expect.stringMatching(/welcome/)])
    const byRole = await messages(ALICE, { threadId: first.threadId, roles: ['USER'] })
    expect(byRole.nodes.map((node) => node.content)).toEqual(['hello', 'thanks'])
  })

  it('pages with first/after and last/before', async () => {
    const first = await askAndWait(gateway, ALICE, { content: 'hello' })
    await askAndWait(gateway, ALICE, { content: 'thanks', threadId: first.threadId })

    const page1 = await messages(ALICE, { first: 3 })
    expect(page1.nodes).toHaveLength(3)
    expect(page1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false, endCursor: page1.edges[2]?.cursor })
    const page2 = await messages(ALICE, { first: 3, after: page1.pageInfo.endCursor })
    expect(page2.nodes.map((node) => node.content)).toEqual([expect.stringMatching(/welcome/)])
    expect(page2.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true })
    const tail = await messages(ALICE, { last: 2, before: page2.pageInfo.startCursor })
    expect(tail.nodes.map((node) => node.content)).toEqual([expect.stringMatching(/^Hello!/), 'thanks'])

    const bad = await run(gateway, ALICE, MESSAGES, { after: 'bogus' })
    expect(bad.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT' })
  })

  it("never shows one user's messages to another", async () => {
    const alices = await askAndWait(gateway, ALICE, { content: 'hello' })

    expect((await messages(BOB)).nodes).toEqual([])
    expect((await messages(BOB, { threadId: alices.threadId })).nodes).toEqual([])
    expect((await messages(BOB, { requestIds: [alices.requestId] })).nodes).toEqual([])
    const threads = await run(gateway, BOB, THREADS, { id: alices.threadId })
    expect(threads.data).toEqual({ aiConversationThreads: { nodes: [] } })
  })

  it('lists the viewer’s threads newest first, titled after their first question', async () => {
    const long = `Please summarize ${'the checkout issue '.repeat(10)}`
    const first = await askAndWait(gateway, ALICE, { content: long })
    const second = await askAndWait(gateway, ALICE, { content: 'hello' })
    await askAndWait(gateway, BOB, { content: 'hello' })

    const result = await run(gateway, ALICE, THREADS)
    const nodes = (result.data as { aiConversationThreads: { nodes: Record<string, string>[] } }).aiConversationThreads.nodes
    expect(nodes.map((node) => node.id)).toEqual([second.threadId, first.threadId])
    expect(nodes[0]).toMatchObject({ title: 'hello', conversationType: 'DUO_CHAT' })
    expect(nodes[1]?.title).toHaveLength(80)
    expect(nodes[1]?.title?.endsWith('…')).toBe(true)
    expect(Date.parse(nodes[0]?.lastUpdatedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(nodes[0]?.createdAt ?? ''))
  })

  it('deletes only the viewer’s own threads', async () => {
    const turn = await askAndWait(gateway, ALICE, { content: 'hello' })
    const DELETE = 'mutation ($threadId: AiConversationThreadID!) { deleteConversationThread(input: { threadId: $threadId }) { success errors } }'

    const byBob = await run(gateway, BOB, DELETE, { threadId: turn.threadId })
    expect(byBob.data).toEqual({ deleteConversationThread: { success: false, errors: ["This conversation doesn't exist or isn't yours."] } })
    const byAlice = await run(gateway, ALICE, DELETE, { threadId: turn.threadId })
    expect(byAlice.data).toEqual({ deleteConversationThread: { success: true, errors: [] } })
    expect((await messages(ALICE, { threadId: turn.threadId })).nodes).toEqual([])
  })

  it('records feedback on the viewer’s own answers only', async () => {
    const turn = await askAndWait(gateway, ALICE, { content: 'hello' })
    const FEEDBACK = 'mutation ($id: String!) { duoUserFeedback(input: { aiMessageId: $id }) { errors } }'

    const byBob = await run(gateway, BOB, FEEDBACK, { id: turn.answer.id })
    expect(byBob.data).toEqual({ duoUserFeedback: { errors: ["This message doesn't exist or isn't yours."] } })
    const byAlice = await run(gateway, ALICE, FEEDBACK, { id: turn.answer.id })
    expect(byAlice.data).toEqual({ duoUserFeedback: { errors: [] } })
    const stored = (await messages(ALICE, { threadId: turn.threadId, roles: ['ASSISTANT'] })).nodes
    expect(stored[0]?.extras.hasFeedback).toBe(true)
  })

  it('forgets everything on reset, without reusing thread ids', async () => {
    const before = await askAndWait(gateway, ALICE, { content: 'hello' })
    gateway.scenario({ user: 'alice', text: 'scripted' })
    gateway.reset()

    expect((await messages()).nodes).toEqual([])
    const after = await askAndWait(gateway, ALICE, { content: 'hello' })
    expect(after.answer.content).toMatch(/^Hello!/)
    expect(after.threadId).not.toBe(before.threadId)
  })

  it('refuses anonymous reads', async () => {
    const result = await run(gateway, null, '{ aiConversationThreads { nodes { id } } }')

    expect(result.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED' })
  })
})
