import { parse, specifiedRules, validate } from 'graphql'
import { afterEach, describe, expect, it } from 'vitest'
import { operationSources } from '../../src/transport/documents'
import type { Gateway, GatewayOptions } from './index'
import { ALICE, ask, askAndWait, BOB, createTestGateway, run } from './testHelpers'

const PAGE = `query ($threadId: AiConversationThreadID, $requestIds: [ID!], $first: Int, $last: Int, $after: String, $before: String) {
  aiMessages(threadId: $threadId, requestIds: $requestIds, first: $first, last: $last, after: $after, before: $before) {
    nodes { content }
    pageInfo { startCursor endCursor hasNextPage hasPreviousPage }
  }
}`

interface Page {
  nodes: { content: string }[]
  pageInfo: { startCursor: string | null; endCursor: string | null; hasNextPage: boolean; hasPreviousPage: boolean }
}

/** Answers arrive in one chunk, so that filling a thread stays quick. */
function gatewayWith(options: GatewayOptions = {}): Gateway {
  return createTestGateway({ ...options, timing: { chunkSize: 100_000 } })
}

async function page(gateway: Gateway, variables: Record<string, unknown>): Promise<Page> {
  const result = await run(gateway, ALICE, PAGE, variables)
  if (result.errors) throw new Error(JSON.stringify(result.errors))
  return (result.data as { aiMessages: Page }).aiMessages
}

/** Asks `turns` questions in one thread, each answered before the next; returns the thread id. */
async function fill(gateway: Gateway, turns: number, context = ''): Promise<string> {
  const additionalContext = context ? [{ category: 'SNIPPET', id: 'snippet', content: context }] : []
  let threadId: string | null = null
  for (let index = 0; index < turns; index += 1) {
    threadId = (await askAndWait(gateway, ALICE, { content: `question ${index + 1}`, threadId, additionalContext })).threadId
  }
  if (!threadId) throw new Error('No turn was asked.')
  return threadId
}

describe('per-thread message cap', () => {
  let gateway: Gateway
  afterEach(() => gateway.dispose())

  it('refuses a question once the thread is full, telling the user to start a new chat (M1005)', async () => {
    gateway = gatewayWith({ limits: { maxThreadMessages: 6 } })
    const threadId = await fill(gateway, 3)

    const refused = await ask(gateway, ALICE, { content: 'one more', threadId })
    expect(refused).toEqual({
      requestId: null,
      threadId: null,
      errors: ['This chat has reached its limit of 6 messages. Start a new chat to keep asking. Error code: M1005'],
    })
    expect((await page(gateway, { threadId })).nodes).toHaveLength(6)
    expect((await ask(gateway, ALICE, { content: 'one more, in a new chat' })).errors).toEqual([])
  })

  it('counts answers still being written, so a burst of questions into one thread cannot overfill it', async () => {
    gateway = gatewayWith({ limits: { maxThreadMessages: 6 } })
    const first = await ask(gateway, ALICE, { content: 'question 1' })
    const aliases = Array.from({ length: 5 }, (_, index) => `q${index}: aiAction(input: { threadId: $threadId, chat: { content: "burst ${index}" } }) { requestId errors }`)
    const burst = await run(gateway, ALICE, `mutation ($threadId: AiConversationThreadID) { ${aliases.join('\n')} }`, { threadId: first.threadId })

    const payloads = Object.values(burst.data ?? {}) as { requestId: string | null; errors: string[] }[]
    expect(payloads.filter((payload) => payload.requestId).length).toBe(2)
    expect(payloads.filter((payload) => payload.errors[0]?.includes('limit of 6 messages')).length).toBe(3)
    await expect.poll(async () => (await page(gateway, { threadId: first.threadId })).nodes.length).toBe(6)
  })

  it('refuses a question that would grow the thread over its size limit', async () => {
    gateway = gatewayWith({ limits: { maxThreadLength: 3_000 } })
    const threadId = await fill(gateway, 1, 'x'.repeat(1_500))

    const refused = await ask(gateway, ALICE, { content: 'again', threadId, additionalContext: [{ category: 'SNIPPET', id: 'snippet', content: 'x'.repeat(1_500) }] })
    expect(refused.errors).toEqual(['This chat has reached its size limit of 3,000 characters. Start a new chat to keep asking. Error code: M1005'])
    expect((await ask(gateway, ALICE, { content: 'a short one', threadId })).errors).toEqual([])
  })
})

describe('threads per user', () => {
  let gateway: Gateway
  afterEach(() => gateway.dispose())

  it('keeps the newest maxThreadsPerUser threads of a user: a new chat forgets the least recently updated one', async () => {
    gateway = gatewayWith({ limits: { maxThreadsPerUser: 3 } })
    const bobs = await askAndWait(gateway, BOB, { content: 'bob keeps his' })
    const threads: string[] = []
    for (let index = 1; index <= 3; index += 1) threads.push(await fill(gateway, 1))
    // Touching the oldest makes the second the least recently updated.
    await askAndWait(gateway, ALICE, { content: 'still here', threadId: threads[0] })
    const newest = await fill(gateway, 1)

    const list = await run(gateway, ALICE, '{ aiConversationThreads { nodes { id } } }')
    expect((list.data as { aiConversationThreads: { nodes: { id: string }[] } }).aiConversationThreads.nodes.map((node) => node.id)).toEqual([
      newest,
      threads[0],
      threads[2],
    ])
    expect((await ask(gateway, ALICE, { content: 'hello?', threadId: threads[1] })).errors[0]).toMatch(/doesn't exist or isn't yours.*M3003$/)
    expect((await run(gateway, BOB, '{ aiConversationThreads { nodes { id } } }')).data).toEqual({ aiConversationThreads: { nodes: [{ id: bobs.threadId }] } })
  })
})

describe('aiMessages pages', () => {
  let gateway: Gateway
  afterEach(() => gateway.dispose())

  it("gives the client's own query (no first/last) a full thread in one page with the default limits", async () => {
    gateway = gatewayWith()
    const threadId = await fill(gateway, 50)
    expect((await ask(gateway, ALICE, { content: 'question 51', threadId })).errors[0]).toMatch(/limit of 100 messages.*M1005$/)

    const result = await run(gateway, ALICE, operationSources.aiMessages, { threadId, requestIds: null, conversationType: 'DUO_CHAT' })
    const nodes = (result.data as { aiMessages: { nodes: { content: string }[] } }).aiMessages.nodes
    expect(nodes).toHaveLength(100)
    expect(nodes[0]?.content).toBe('question 1')
    expect(nodes[98]?.content).toBe('question 50')
  })

  it.each([
    ['first', { first: 101 }, '"first" is 101, over the largest page of 100.'],
    ['last', { last: 1_000_000 }, '"last" is 1000000, over the largest page of 100.'],
    ['requestIds', { requestIds: Array.from({ length: 101 }, (_, index) => `r${index}`) }, '"requestIds" has 101 items, over the limit of 100.'],
  ])('refuses a %s over the largest page with M4014', async (_name, variables, sentence) => {
    gateway = gatewayWith()
    const result = await run(gateway, ALICE, PAGE, variables)
    expect(result.errors?.map((error) => [error.message, error.extensions.code])).toEqual([[expect.stringContaining(sentence), 'M4014']])
    expect(result.errors?.[0]?.message).toMatch(/Error code: M4014$/)
  })

  it('pages with cursors: the default page first, then after endCursor until hasNextPage is false', async () => {
    gateway = gatewayWith({ limits: { query: { defaultPageSize: 4, maxPageSize: 4 } } })
    const threadId = await fill(gateway, 5)

    const seen: string[] = []
    let after: string | null = null
    for (let pages = 1; pages <= 5; pages += 1) {
      const current: Page = await page(gateway, { threadId, after })
      seen.push(...current.nodes.map((node) => node.content))
      if (!current.pageInfo.hasNextPage) break
      after = current.pageInfo.endCursor
    }
    expect(seen.filter((content) => content.startsWith('question'))).toEqual(['question 1', 'question 2', 'question 3', 'question 4', 'question 5'])
    expect(seen).toHaveLength(10)
    const tail = await page(gateway, { threadId, last: 2 })
    expect(tail.nodes.map((node) => node.content)[0]).toBe('question 5')
    expect(tail.pageInfo.hasPreviousPage).toBe(true)
  })

  it('cuts a page at maxPageLength characters (keeping at least one message) and says there is more', async () => {
    gateway = gatewayWith({ limits: { maxPageLength: 2_500 } })
    const threadId = await fill(gateway, 3, 'x'.repeat(1_000))

    const head = await page(gateway, { threadId })
    expect(head.nodes.map((node) => node.content)).toEqual(['question 1', expect.any(String), 'question 2'])
    expect(head.pageInfo.hasNextPage).toBe(true)
    const rest = await page(gateway, { threadId, after: head.pageInfo.endCursor })
    expect(rest.nodes.map((node) => node.content)).toEqual([expect.any(String), 'question 3', expect.any(String)])
    expect(rest.pageInfo.hasNextPage).toBe(false)

    const tail = await page(gateway, { threadId, last: 100 })
    // Cut from its far end: the newest messages stay.
    expect(tail.nodes.map((node) => node.content)).toEqual([expect.any(String), 'question 3', expect.any(String)])
    expect(tail.pageInfo.hasPreviousPage).toBe(true)

    gateway.dispose()
    gateway = gatewayWith({ limits: { maxPageLength: 10 } })
    const single = await fill(gateway, 1, 'x'.repeat(1_000))
    expect((await page(gateway, { threadId: single, first: 5 })).nodes.map((node) => node.content)).toEqual(['question 1'])
  })
})

describe('the reproduction: a thread filled to the brim, then read with many aliases', () => {
  let gateway: Gateway
  afterEach(() => gateway.dispose())

  it('refuses 830 aliased aiActions in one request before any runs (M4011, M4012, M4013)', () => {
    gateway = gatewayWith()
    const aliases = Array.from({ length: 830 }, (_, index) => `a${index}: aiAction(input: $input) { requestId }`)
    const document = parse(`mutation ($input: AiActionInput!) { ${aliases.join(' ')} }`, { maxTokens: 10_000 })
    const errors = validate(gateway.schema, document, [...specifiedRules, ...gateway.validationRules])
    expect(errors.map((error) => error.extensions.code)).toEqual(['M4011', 'M4012', 'M4013'])
    expect(errors[2]?.message).toMatch(/costs 3,3\d\d,\d\d\d, over the budget of 25,000/)
  })

  it('bounds what one request can read: the thread stops growing, 700 aliases are refused, the rest stop at maxResponseLength (M4015)', async () => {
    // Scaled down 5× from the defaults (1,000,000 characters a thread, 2,000,000 a request, 100,000 of context).
    gateway = gatewayWith({ limits: { maxThreadLength: 200_000, maxPageLength: 240_000, maxResponseLength: 400_000, maxContextLength: 20_000 } })
    const text = 'c'.repeat(10_000)
    const context = Array.from({ length: 20 }, (_, index) => ({ category: 'SNIPPET', id: `s${index}`, content: text.slice(0, 990) }))
    let threadId: string | null = null
    let accepted = 0
    for (let index = 0; index < 30; index += 1) {
      const turn = await ask(gateway, ALICE, { content: `${index} ${text}`.slice(0, 10_000), threadId, additionalContext: context })
      if (!turn.requestId) {
        expect(turn.errors[0]).toMatch(/reached its size limit of 200,000 characters.*M1005$/)
        break
      }
      threadId = turn.threadId
      accepted += 1
    }
    expect(accepted).toBeGreaterThan(1)
    expect(accepted).toBeLessThan(30)

    const alias = (name: string) => `${name}: aiMessages(threadId: $threadId) { nodes { content extras { additionalContext { content } } } }`
    const read = (count: number) => `query ($threadId: AiConversationThreadID) { ${Array.from({ length: count }, (_, index) => alias(`m${index}`)).join('\n')} }`
    const rules = [...specifiedRules, ...gateway.validationRules]
    expect(validate(gateway.schema, parse(read(700)), rules).map((error) => error.extensions.code)).toEqual(['M4011', 'M4012', 'M4013'])
    expect(validate(gateway.schema, parse(read(3)), rules)).toEqual([])

    const two = await run(gateway, ALICE, read(2), { threadId })
    expect(two.errors).toBeUndefined()
    expect(JSON.stringify(two).length).toBeLessThan(400_000 * 1.2)
    const three = await run(gateway, ALICE, read(3), { threadId })
    expect(three.errors?.map((error) => error.extensions.code)).toEqual(['M4015'])
    expect(three.errors?.[0]?.message).toMatch(/reads more than 400,000 characters of chat history at once\..*Error code: M4015$/)
    expect(JSON.stringify(three).length).toBeLessThan(1_000)
  })
})
