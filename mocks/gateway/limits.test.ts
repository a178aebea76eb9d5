import { afterEach, describe, expect, it } from 'vitest'
import type { Gateway } from './index'
import { DEFAULT_LIMITS, RateLimiter, resolveLimits } from './limits'
import { ALICE, ask, BOB, createTestGateway, run } from './testHelpers'

const AI_ACTION = `mutation ($input: AiActionInput!) { aiAction(input: $input) { requestId threadId errors } }`
const THREADS = `{ aiConversationThreads { nodes { id } } }`

describe('input limits', () => {
  let gateway: Gateway
  afterEach(() => gateway.dispose())

  it('refuses more context items than allowed with M1005, giving both numbers', async () => {
    gateway = createTestGateway({ limits: { maxContextItems: 2 } })
    const item = (id: string) => ({ category: 'FILE', id, content: 'x' })
    const payload = await ask(gateway, ALICE, { content: 'hi', additionalContext: [item('a'), item('b'), item('c')] })

    expect(payload).toEqual({
      requestId: null,
      threadId: null,
      errors: ['You attached 3 context items, over the limit of 2. Remove some and send it again. Error code: M1005'],
    })
    expect((await ask(gateway, ALICE, { content: 'hi', additionalContext: [item('a'), item('b')] })).errors).toEqual([])
  })

  it('counts the current file, its name and its text, towards the context size', async () => {
    gateway = createTestGateway({ limits: { maxContextLength: 10 } })
    const result = await run(gateway, ALICE, AI_ACTION, {
      input: { chat: { content: 'explain', currentFile: { fileName: 'a.ts', selectedText: '12345', contentAboveCursor: '123456' } } },
    })

    expect(result.data).toMatchObject({
      aiAction: { requestId: null, errors: ['The attached context is 15 characters long, over the limit of 10. Remove some context and send it again. Error code: M1005'] },
    })
  })

  it('refuses a question over a configured length', async () => {
    gateway = createTestGateway({ limits: { maxQuestionLength: 5 } })
    expect((await ask(gateway, ALICE, { content: '123456' })).errors[0]).toBe(
      'Your question is 6 characters long, over the limit of 5. Shorten it and send it again. Error code: M1005',
    )
  })

  it('refuses a question while the user already has maxRunningRequests answers running (M1009), others unaffected', async () => {
    gateway = createTestGateway({ limits: { maxRunningRequests: 2 } })
    // Answers that keep streaming until the gateway is disposed.
    for (let index = 0; index < 3; index += 1) gateway.scenario({ user: 'alice', text: 'one two three', chunkSize: 4, delayMs: 60_000 })
    expect((await ask(gateway, ALICE, { content: 'one' })).errors).toEqual([])
    const second = await ask(gateway, ALICE, { content: 'two' })
    expect(second.errors).toEqual([])

    expect((await ask(gateway, ALICE, { content: 'three' })).errors).toEqual([
      'You have 2 questions still being answered (limit: 2 at a time). Wait for an answer or stop one, then send it again. Error code: M1009',
    ])
    expect((await ask(gateway, BOB, { content: 'bob is not affected' })).errors).toEqual([])
    expect([gateway.runningRequests(ALICE.id), gateway.runningRequests(BOB.id)]).toEqual([2, 1])
    // Stopping one makes room again.
    await run(gateway, ALICE, `mutation ($id: String!) { aiActionCancel(input: { requestId: $id }) { errors } }`, { id: second.requestId })
    expect((await ask(gateway, ALICE, { content: 'three' })).errors).toEqual([])
  })

  it("limits each user's question rate with M1009, says how long to wait, and refills over time", async () => {
    let clock = 0
    gateway = createTestGateway({ limits: { rate: { burst: 2, perMinute: 6 } }, now: () => clock })

    expect((await ask(gateway, ALICE, { content: 'one' })).errors).toEqual([])
    expect((await ask(gateway, ALICE, { content: 'two' })).errors).toEqual([])
    const refused = await ask(gateway, ALICE, { content: 'three' })
    expect(refused).toEqual({
      requestId: null,
      threadId: null,
      errors: ['You have sent too many questions in a short time (limit: 6 a minute). Wait 10 seconds, then send it again. Error code: M1009'],
    })
    expect((await ask(gateway, BOB, { content: 'bob is not affected' })).errors).toEqual([])

    clock += 10_000
    expect((await ask(gateway, ALICE, { content: 'four' })).errors).toEqual([])
  })

  it('creates no thread and publishes nothing for a refused question', async () => {
    gateway = createTestGateway({ limits: { rate: { burst: 1, perMinute: 1 } } })
    await ask(gateway, ALICE, { content: 'one' })
    const before = await run(gateway, ALICE, THREADS)
    await ask(gateway, ALICE, { content: 'two' })
    await ask(gateway, ALICE, { content: 'x'.repeat(20_000) })

    expect(await run(gateway, ALICE, THREADS)).toEqual(before)
  })

  it('forgets rate limits on reset', async () => {
    gateway = createTestGateway({ limits: { rate: { burst: 1, perMinute: 1 } } })
    await ask(gateway, ALICE, { content: 'one' })
    expect((await ask(gateway, ALICE, { content: 'two' })).errors[0]).toMatch(/M1009$/)
    gateway.reset()
    expect((await ask(gateway, ALICE, { content: 'three' })).errors).toEqual([])
  })

  it('has generous defaults: a user may ask hundreds of questions in a burst', () => {
    const limiter = new RateLimiter(DEFAULT_LIMITS.rate, () => 0)
    for (let question = 0; question < 1_000; question += 1) expect(limiter.take(ALICE.id)).toBeNull()
    expect(limiter.take(ALICE.id)?.code).toBe('M1009')
    expect(DEFAULT_LIMITS).toMatchObject({ maxQuestionLength: 10_000, maxContextLength: 100_000, maxContextItems: 20 })
  })

  it('can be turned off', () => {
    const limiter = new RateLimiter(null, () => 0)
    for (let question = 0; question < 5_000; question += 1) expect(limiter.take(ALICE.id)).toBeNull()
  })

  it('rejects limits that make no sense', () => {
    expect(() => resolveLimits({ maxQuestionLength: -1 })).toThrow(RangeError)
    expect(() => resolveLimits({ rate: { burst: 0, perMinute: 1 } })).toThrow(RangeError)
    expect(() => resolveLimits({ rate: { burst: 1, perMinute: 0 } })).toThrow(RangeError)
  })
})

describe('wrong types in the input', () => {
  let gateway: Gateway
  afterEach(() => gateway.dispose())

  it.each([
    ['an object as resourceId', { chat: { content: 'hi', resourceId: { id: 1 } } }, /AiModelID must be a string/],
    ['a number as threadId', { chat: { content: 'hi' }, threadId: 42 }, /AiConversationThreadID must be a string/],
    ['a huge resourceId', { chat: { content: 'hi', resourceId: `gid://gitlab/Issue/${'9'.repeat(300)}` } }, /at most 255 characters/],
    ['a number as content', { chat: { content: 7 } }, /String cannot represent/],
    ['an unknown context category', { chat: { content: 'hi', additionalContext: [{ category: 'SECRETS', id: 'a', content: 'b' }] } }, /AiAdditionalContextCategory/],
  ])('answers %s with a GraphQL error and starts nothing', async (_case, input, message) => {
    gateway = createTestGateway()
    const result = await run(gateway, ALICE, AI_ACTION, { input })

    expect(result.data).toBeUndefined()
    expect(result.errors?.[0]?.message).toMatch(message)
    expect(await run(gateway, ALICE, THREADS)).toEqual({ data: { aiConversationThreads: { nodes: [] } } })
  })
})
