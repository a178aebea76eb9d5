import { afterEach, describe, expect, it } from 'vitest'
import type { Gateway } from './index'
import { measureJson } from './jsonSize'
import { ALICE, ask, BOB, createTestGateway, openSubscription, run } from './testHelpers'

const AI_ACTION = `mutation ($input: AiActionInput!) { aiAction(input: $input) { requestId threadId errors } }`
const THREADS = `{ aiConversationThreads { nodes { id } } }`
const MESSAGES = `query ($threadId: AiConversationThreadID) { aiMessages(threadId: $threadId) { nodes { role content } } }`

/** Metadata nested `levels` deep, built without recursion. */
function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: true }
  for (let level = 1; level < levels; level += 1) value = { inner: value }
  return value
}

async function aiAction(gateway: Gateway, input: Record<string, unknown>) {
  const result = await run(gateway, ALICE, AI_ACTION, { input: { chat: { content: 'explain this' }, ...input } })
  expect(result.errors).toBeUndefined()
  return (result.data as { aiAction: { requestId: string | null; threadId: string | null; errors: string[] } }).aiAction
}

const item = (fields: Record<string, unknown> = {}) => ({ category: 'FILE', id: 'src/a.ts', content: 'const a = 1', ...fields })

describe('size limits on every string of aiAction', () => {
  let gateway: Gateway
  afterEach(() => gateway.dispose())

  it.each([
    ['an item id', { chat: { content: 'explain this', additionalContext: [item({ id: 'x'.repeat(900_000) })] } }, 'The id of context item 1 is 900,000 characters long, over the limit of 255.'],
    ['a current file name', { chat: { content: 'explain this', currentFile: { fileName: 'x'.repeat(900_000), selectedText: 'a' } } }, 'The current file name is 900,000 characters long, over the limit of 1,000.'],
    ['a clientSubscriptionId', { clientSubscriptionId: 'x'.repeat(900_000) }, 'The clientSubscriptionId is 900,000 characters long, over the limit of 255.'],
    ['a clientMutationId', { clientMutationId: 'x'.repeat(300) }, 'The clientMutationId is 300 characters long, over the limit of 255.'],
    ['a platformOrigin', { platformOrigin: 'x'.repeat(300) }, 'The platformOrigin is 300 characters long, over the limit of 255.'],
    ['900 KB of metadata', { chat: { content: 'explain this', additionalContext: [item({ metadata: { title: 'x'.repeat(900_000) } })] } }, 'The metadata of context item 1 is over the limit of 10,000 characters as JSON.'],
  ])('refuses %s with M1005, naming the field, and stores nothing', async (_name, input, sentence) => {
    gateway = createTestGateway()
    const payload = await aiAction(gateway, input)
    expect(payload).toMatchObject({ requestId: null, threadId: null })
    expect(payload.errors).toEqual([expect.stringContaining(sentence)])
    expect(payload.errors[0]).toMatch(/Error code: M1005$/)
    expect(payload.errors[0]?.length).toBeLessThan(300)
    expect((await run(gateway, ALICE, THREADS)).data).toEqual({ aiConversationThreads: { nodes: [] } })
  })

  it('counts ids, categories and metadata toward the context limit, not only contents', async () => {
    gateway = createTestGateway({ limits: { maxContextLength: 100 } })
    const metadata = { title: 'y'.repeat(60) }
    const payload = await ask(gateway, ALICE, { content: 'explain', additionalContext: [item({ id: 'i', content: 'short', metadata })] })
    // 5 (content) + 1 (id) + 4 (category) + 72 ({"title":"y…"}) is 82; a second item goes over.
    expect(payload.errors).toEqual([])
    const twice = await ask(gateway, ALICE, { content: 'explain', additionalContext: [item({ id: 'i', content: 'short', metadata }), item({ id: 'j', content: 'short', metadata })] })
    expect(twice.errors).toEqual(['The attached context is 164 characters long, over the limit of 100. Remove some context and send it again. Error code: M1005'])
  })

  it('still takes what the drawer sends: a title and a resource id in metadata', async () => {
    gateway = createTestGateway()
    const payload = await ask(gateway, ALICE, {
      content: 'explain this',
      additionalContext: [item({ metadata: { title: 'a.ts', resourceId: 'gid://gitlab/Project/1', nested: { list: [1, 'two', null, true] } } })],
    })
    expect(payload.errors).toEqual([])
  })
})

describe('validate before storing', () => {
  let gateway: Gateway
  afterEach(() => gateway.dispose())

  it('refuses metadata nested 20,000 levels deep up front with M1005, and the thread and question are not stored', async () => {
    gateway = createTestGateway()
    const first = await ask(gateway, ALICE, { content: 'first question' })
    const subscription = await openSubscription(gateway, ALICE)
    const payload = await aiAction(gateway, {
      threadId: first.threadId,
      chat: { content: 'explain this', additionalContext: [item({ metadata: nested(20_000) })] },
    })

    expect(payload.errors).toEqual(['The metadata of context item 1 is nested more than 10 levels deep. Flatten it and send it again. Error code: M1005'])
    const stored = await run(gateway, ALICE, MESSAGES, { threadId: first.threadId })
    expect(JSON.stringify(stored.data)).not.toContain('explain this')
    // No new thread either, and nothing was broadcast for the refused question.
    expect((await run(gateway, ALICE, THREADS)).data).toEqual({ aiConversationThreads: { nodes: [{ id: first.threadId }] } })
    expect(subscription.messages.filter((message) => message.content === 'explain this')).toEqual([])
    await subscription.close()
  })

  it('takes metadata exactly as deep as the limit', async () => {
    gateway = createTestGateway({ limits: { maxMetadataDepth: 3 } })
    expect((await ask(gateway, ALICE, { content: 'q', additionalContext: [item({ metadata: nested(3) })] })).errors).toEqual([])
    expect((await ask(gateway, ALICE, { content: 'q', additionalContext: [item({ metadata: nested(4) })] })).errors[0]).toMatch(/nested more than 3 levels deep.*M1005$/)
  })

  it('refuses cyclic metadata (a host calling the engine directly) with M1005', async () => {
    gateway = createTestGateway()
    const metadata: Record<string, unknown> = { title: 'loop' }
    metadata.self = metadata
    const payload = await ask(gateway, ALICE, { content: 'explain this', additionalContext: [item({ metadata })] })
    expect(payload.errors).toEqual(['The metadata of context item 1 refers to itself. Send plain JSON and send it again. Error code: M1005'])
    expect((await run(gateway, ALICE, THREADS)).data).toEqual({ aiConversationThreads: { nodes: [] } })
  })
})

describe('thread ids', () => {
  let gateway: Gateway
  afterEach(() => gateway.dispose())

  it('are random, so one user learns nothing of how many threads others started', async () => {
    gateway = createTestGateway()
    const mine = await ask(gateway, ALICE, { content: 'one' })
    for (let index = 0; index < 5; index += 1) await ask(gateway, BOB, { content: `bob ${index}` })
    const next = await ask(gateway, ALICE, { content: 'two' })

    for (const id of [mine.threadId, next.threadId]) expect(id).toMatch(/^gid:\/\/gitlab\/Ai::Conversation::Thread\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(next.threadId).not.toBe(mine.threadId)
    // A follow-up in the new thread works with the opaque id as it came.
    expect((await ask(gateway, ALICE, { content: 'three', threadId: next.threadId })).threadId).toBe(next.threadId)
  })
})

describe('measureJson', () => {
  const limits = { maxDepth: 10, maxLength: 1_000 }

  it('measures plain JSON as JSON.stringify writes it (escapes aside)', () => {
    const value = { a: [1, 'two', null, true, false, { b: 2.5 }], c: 'x' }
    expect(measureJson(value, limits)).toEqual({ ok: true, length: JSON.stringify(value).length })
  })

  it.each([
    ['a cycle', (() => { const a: unknown[] = []; a.push(a); return a })(), 'cyclic'],
    ['a function', { f: () => 1 }, 'not_json'],
    ['a class instance', { d: new Date(0) }, 'not_json'],
    ['NaN', [Number.NaN], 'not_json'],
    ['undefined in a list', [undefined], 'not_json'],
    ['too deep', nested(11), 'too_deep'],
    ['too long', { s: 'x'.repeat(2_000) }, 'too_long'],
  ])('refuses %s', (_name, value, problem) => {
    expect(measureJson(value, limits)).toEqual({ ok: false, problem })
  })

  it('stops early on a shared subtree that would be huge written out', () => {
    let value: unknown = 'x'.repeat(100)
    for (let level = 0; level < 9; level += 1) value = [value, value, value, value]
    expect(measureJson(value, limits)).toEqual({ ok: false, problem: 'too_long' })
  })
})
