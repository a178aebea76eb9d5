/**
 * Access control, end to end through the engine: every tool, context item and history read runs
 * with the asking user's rights, and a refusal carries nothing of the resource. Leak checks look at
 * the whole payload: the mutation's answer and every message published to any of the user's
 * subscriptions (and to the other user's).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ERROR_SENTENCES } from './errors'
import { createFixtures } from './fixtures'
import type { Gateway, Viewer } from './index'
import {
  ALICE,
  ask,
  askAndWait,
  BOB,
  createTestGateway,
  openSubscription,
  run,
  subscribeRaw,
  type Question,
  type ReceivedMessage,
} from './testHelpers'

const PRIVATE_ISSUE = 'gid://gitlab/Issue/99' // acme/secret, bob only
const AI_OFF_ISSUE = 'gid://gitlab/Issue/50' // acme/legacy, Duo turned off

/** Text of an issue and its project that must never reach someone who may not see it. */
function secretsOf(issueId: string): string[] {
  const fixtures = createFixtures()
  const issue = fixtures.issues.find((candidate) => candidate.id === issueId)
  const project = fixtures.projects.find((candidate) => candidate.id === issue?.projectId)
  if (!issue || !project) throw new Error(`No fixture ${issueId}`)
  return [
    issue.title,
    issue.description.slice(0, 40),
    ...issue.notes.map((note) => note.body.slice(0, 40)),
    ...issue.labels.filter((label) => label.length > 3),
    project.fullPath,
  ]
}

/** Everything a question produces for everyone: the payload and all messages on all subscriptions. */
interface Exchange {
  payload: unknown
  answer: ReceivedMessage
  /** Every message the asking tab, another tab of the same user and the other user received. */
  all: ReceivedMessage[]
  /** All of it, serialized: what a leak check searches. */
  whole: string
  /** Everything but the user's own question echoed back. */
  notEcho: string
  otherUser: ReceivedMessage[]
}

async function exchange(gateway: Gateway, viewer: Viewer, question: Omit<Question, 'clientSubscriptionId'>): Promise<Exchange> {
  const other = viewer.id === ALICE.id ? BOB : ALICE
  const asking = await openSubscription(gateway, viewer, { clientSubscriptionId: 'asking-tab' })
  const otherTab = await openSubscription(gateway, viewer, { clientSubscriptionId: 'other-tab' })
  const otherUser = await openSubscription(gateway, other, { clientSubscriptionId: 'asking-tab' })
  const payload = await ask(gateway, viewer, { ...question, clientSubscriptionId: 'asking-tab' })
  if (!payload.requestId) throw new Error(`refused: ${payload.errors.join(' ')}`)
  const answer = await asking.waitForAnswer(payload.requestId)
  await otherTab.waitForAnswer(payload.requestId)
  await Promise.all([asking.close(), otherTab.close(), otherUser.close()])
  const all = [...asking.messages, ...otherTab.messages, ...otherUser.messages]
  return {
    payload,
    answer,
    all,
    whole: JSON.stringify({ payload, all }),
    notEcho: JSON.stringify({ payload, all: all.filter((message) => message.role !== 'USER') }),
    otherUser: otherUser.messages,
  }
}

/** Nothing of the item anywhere, apart from what the user typed themselves (echoed in their own question). */
function expectNoLeak(result: Exchange, secrets: readonly string[], globalId: string, typed = ''): void {
  for (const secret of secrets) {
    expect(result.notEcho).not.toContain(secret)
    if (!typed.includes(secret)) expect(result.whole).not.toContain(secret)
  }
  expect(result.notEcho).not.toContain(globalId)
  expect(result.otherUser).toEqual([])
}

const M3003 = `${ERROR_SENTENCES.M3003} Error code: M3003`
const M3002 = `${ERROR_SENTENCES.M3002} Error code: M3002`

describe('access control', () => {
  let gateway: Gateway
  beforeEach(() => {
    gateway = createTestGateway()
  })
  afterEach(() => gateway.dispose())

  describe('resources and tools', () => {
    it.each([
      ['the page is a private issue', { content: 'Summarize this issue', resourceId: PRIVATE_ISSUE }],
      ['the question names it by reference', { content: 'Summarize acme/secret#1 please' }],
      ['the question names it by global id', { content: `What is ${PRIVATE_ISSUE} about?` }],
      ['the question names it by URL', { content: 'Summarize https://gitlab.example.com/acme/secret/-/issues/1' }],
    ])('answers M3003 when %s, and nothing of the issue leaks', async (_case, question) => {
      const result = await exchange(gateway, ALICE, question)

      expect(result.answer).toMatchObject({ errors: [M3003], content: ERROR_SENTENCES.M3003 })
      expectNoLeak(result, secretsOf(PRIVATE_ISSUE), PRIVATE_ISSUE, question.content)
    })

    it('answers a private item and an item that does not exist with the very same message', async () => {
      const hidden = await exchange(gateway, ALICE, { content: 'Summarize this issue', resourceId: PRIVATE_ISSUE })
      const missing = await exchange(gateway, ALICE, { content: 'Summarize this issue', resourceId: 'gid://gitlab/Issue/4242' })

      expect(missing.answer.errors).toEqual(hidden.answer.errors)
      expect(missing.answer.content).toBe(hidden.answer.content)
    })

    it.each([
      ['the page is in a project with GitLab Duo turned off', { content: 'Summarize this issue', resourceId: AI_OFF_ISSUE }],
      ['the question names such an issue', { content: 'Summarize acme/legacy#1' }],
    ])('answers M3002 when %s, and nothing of the issue leaks', async (_case, question) => {
      const result = await exchange(gateway, ALICE, question)

      expect(result.answer).toMatchObject({ errors: [M3002], content: ERROR_SENTENCES.M3002 })
      expectNoLeak(result, secretsOf(AI_OFF_ISSUE), AI_OFF_ISSUE, question.content)
    })

    it("lists only the epic's child issues the user may see", async () => {
      const forAlice = await exchange(gateway, ALICE, { content: 'Which issues are in epic &1?' })
      const forBob = await exchange(gateway, BOB, { content: 'Which issues are in epic &1?' })

      expect(forAlice.answer.errors).toEqual([])
      expectNoLeak(forAlice, secretsOf(PRIVATE_ISSUE).slice(0, 1), PRIVATE_ISSUE)
      expect(forBob.answer.content).toContain('Secret roadmap') // the fixture is right: bob may see it
    })

    it('lets the user who may read the issue use it', async () => {
      const { answer } = await askAndWait(gateway, BOB, { content: 'Summarize this issue', resourceId: PRIVATE_ISSUE })
      expect(answer.errors).toEqual([])
      expect(answer.content).toContain('Secret roadmap')
    })
  })

  describe('context items', () => {
    const context = (category: string, id: string, content = 'Please use this.') => [{ category, id, content }]

    it.each([
      ['an issue the user may not read', context('ISSUE', PRIVATE_ISSUE), M3003],
      ['an issue that does not exist', context('ISSUE', 'gid://gitlab/Issue/4242'), M3003],
      ['an id that names no issue', context('ISSUE', 'whatever'), M3003],
      ['a merge request id given as an issue', context('ISSUE', 'gid://gitlab/MergeRequest/1'), M3003],
      ['a merge request that does not exist', context('MERGE_REQUEST', 'gid://gitlab/MergeRequest/77'), M3003],
      ['an issue in a project with GitLab Duo off', context('ISSUE', AI_OFF_ISSUE), M3002],
    ])('refuses a question with %s attached', async (_case, additionalContext, error) => {
      const result = await exchange(gateway, ALICE, { content: 'What does the attached item say?', additionalContext })

      expect(result.answer.errors).toEqual([error])
      for (const secret of [...secretsOf(PRIVATE_ISSUE), ...secretsOf(AI_OFF_ISSUE)]) expect(result.whole).not.toContain(secret)
      expect(result.otherUser).toEqual([])
    })

    it('uses a merge request the user may read, and the user’s own files, without checks on the files', async () => {
      const { answer } = await askAndWait(gateway, ALICE, {
        content: '/explain',
        additionalContext: [
          ...context('MERGE_REQUEST', 'gid://gitlab/MergeRequest/1', 'diff --git a/checkout.js b/checkout.js\n+overlay.style.pointerEvents = "none"'),
          ...context('FILE', 'src/checkout.js', 'const overlay = document.querySelector(".promo")'),
        ],
      })
      expect(answer.errors).toEqual([])
    })

    it('accepts references in context ids, in the scope of the page', async () => {
      const { answer } = await askAndWait(gateway, ALICE, {
        content: 'Summarize this',
        resourceId: 'gid://gitlab/Issue/1',
        additionalContext: context('ISSUE', '#2', 'Add Apple Pay to checkout'),
      })
      expect(answer.errors).toEqual([])
    })
  })

  describe('history and requests of other users', () => {
    const MESSAGES = `query ($threadId: AiConversationThreadID, $requestIds: [ID!]) {
      aiMessages(threadId: $threadId, requestIds: $requestIds) { nodes { id requestId role content errors } }
    }`

    it("reads another user's thread, requests and thread list as empty", async () => {
      const bobs = await askAndWait(gateway, BOB, { content: 'Summarize this issue', resourceId: PRIVATE_ISSUE })
      const reads = [
        await run(gateway, ALICE, MESSAGES, { threadId: bobs.threadId }),
        await run(gateway, ALICE, MESSAGES, { requestIds: [bobs.requestId] }),
        await run(gateway, ALICE, MESSAGES, { threadId: bobs.threadId, requestIds: [bobs.requestId] }),
        await run(gateway, ALICE, `query ($id: AiConversationThreadID) { aiConversationThreads(id: $id) { nodes { id title } } }`, { id: bobs.threadId }),
      ]

      expect(reads.map((read) => read.errors)).toEqual([undefined, undefined, undefined, undefined])
      expect(reads.slice(0, 3).map((read) => read.data)).toEqual(Array(3).fill({ aiMessages: { nodes: [] } }))
      expect(reads[3]?.data).toEqual({ aiConversationThreads: { nodes: [] } })
      expect(JSON.stringify(reads)).not.toContain('Secret')
    })

    it("can't continue, delete, rate or stop another user's conversation", async () => {
      const bobs = await askAndWait(gateway, BOB, { content: 'hello' })
      const cont = await ask(gateway, ALICE, { content: 'and now?', threadId: bobs.threadId })
      const removal = await run(gateway, ALICE, `mutation ($input: DeleteConversationThreadInput!) { deleteConversationThread(input: $input) { success errors } }`, {
        input: { threadId: bobs.threadId },
      })
      const feedback = await run(gateway, ALICE, `mutation ($input: DuoUserFeedbackInput!) { duoUserFeedback(input: $input) { errors } }`, {
        input: { aiMessageId: bobs.answer.id },
      })
      const running = await ask(gateway, BOB, { content: 'Summarize issue #1' })
      const cancel = await run(gateway, ALICE, `mutation ($input: AiActionCancelInput!) { aiActionCancel(input: $input) { errors } }`, {
        input: { requestId: running.requestId },
      })

      expect(cont).toMatchObject({ requestId: null, errors: [expect.stringMatching(/M3003$/)] })
      expect(removal.data).toEqual({ deleteConversationThread: { success: false, errors: ["This conversation doesn't exist or isn't yours."] } })
      expect(feedback.data).toEqual({ duoUserFeedback: { errors: ["This message doesn't exist or isn't yours."] } })
      expect(cancel.data).toEqual({ aiActionCancel: { errors: ['There is no request of yours with this id to cancel.'] } })
      const bobsHistory = await run(gateway, BOB, MESSAGES, { threadId: bobs.threadId })
      expect((bobsHistory.data as { aiMessages: { nodes: unknown[] } }).aiMessages.nodes).toHaveLength(2)
      expect(bobs.answer.extras?.hasFeedback).toBe(false)
    })

    it("finds a request's final answer for its owner in any of their threads, and for no one else", async () => {
      const first = await askAndWait(gateway, ALICE, { content: 'What is issue #1 about?' })
      await askAndWait(gateway, ALICE, { content: 'A new chat' }) // the latest thread is another one now

      const mine = await run(gateway, ALICE, MESSAGES, { requestIds: [first.requestId] })
      const theirs = await run(gateway, BOB, MESSAGES, { requestIds: [first.requestId] })
      const nodes = (mine.data as { aiMessages: { nodes: { role: string; content: string; requestId: string }[] } }).aiMessages.nodes

      expect(nodes.map((node) => node.role)).toEqual(['USER', 'ASSISTANT'])
      expect(nodes[1]?.content).toBe(first.answer.content)
      expect(theirs.data).toEqual({ aiMessages: { nodes: [] } })
    })
  })

  describe('subscriptions', () => {
    it("refuses another user's id and delivers nothing across users, even with the same clientSubscriptionId", async () => {
      const refused = await subscribeRaw(gateway, BOB, { userId: ALICE.id, aiAction: 'CHAT', clientSubscriptionId: 'asking-tab' })
      expect(refused).toMatchObject({ errors: [{ message: 'You can only subscribe to AI responses for your own user id.', extensions: { code: 'FORBIDDEN' } }] })

      const result = await exchange(gateway, ALICE, { content: 'What is issue #1 about?' })
      expect(result.answer.errors).toEqual([])
      expect(result.otherUser).toEqual([])
    })

    it('refuses every operation without a signed-in user', async () => {
      const operations = [
        await run(gateway, null, `{ aiMessages { nodes { id } } }`),
        await run(gateway, null, `{ aiConversationThreads { nodes { id } } }`),
        await run(gateway, null, `mutation { aiAction(input: { chat: { content: "hi" } }) { requestId } }`),
        await subscribeRaw(gateway, null, { userId: ALICE.id, aiAction: 'CHAT' }),
      ]
      for (const result of operations) expect(result).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] })
    })
  })
})
