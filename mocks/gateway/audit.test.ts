import { afterEach, describe, expect, it } from 'vitest'
import { createJsonLineLogger, type AiActionAuditRecord, type AuditRecord } from './audit'
import type { Gateway } from './index'
import { ALICE, ask, askAndWait, createTestGateway, openSubscription, run, subscribeRaw, BOB } from './testHelpers'

describe('audit trail', () => {
  let gateway: Gateway
  let lines: string[]
  afterEach(() => gateway.dispose())

  function start(options: Parameters<typeof createTestGateway>[0] = {}): void {
    lines = []
    gateway = createTestGateway({ audit: createJsonLineLogger((line) => lines.push(line)), ...options })
  }

  const records = () => lines.map((line) => JSON.parse(line) as AuditRecord)
  const actions = () => records().filter((record): record is AiActionAuditRecord => record.event === 'ai_action')

  it('writes one JSON line per request: who, which resources, tools and providers, outcome and duration', async () => {
    let clock = 1_000
    start({ now: () => (clock += 5) })
    const turn = await askAndWait(gateway, ALICE, {
      content: 'Summarize this issue and compare with MR !1',
      resourceId: 'gid://gitlab/Issue/1',
      additionalContext: [{ category: 'FILE', id: 'src/checkout.js', content: 'const secretSauce = 1' }],
    })

    expect(lines).toHaveLength(1)
    expect(lines[0]?.endsWith('\n')).toBe(true)
    expect(lines[0]?.trimEnd()).not.toContain('\n')
    expect(actions()[0]).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      level: 'info',
      event: 'ai_action',
      requestId: turn.requestId,
      threadId: turn.threadId,
      userId: ALICE.id,
      resources: ['gid://gitlab/Issue/1', 'gid://gitlab/MergeRequest/1'],
      contextCategories: { FILE: 1 },
      tools: ['merge_request_reader'],
      providers: ['scripted', 'scripted'],
      failovers: 0,
      outcome: 'answered',
      errorCode: null,
      reason: null,
      scenario: false,
      chunks: expect.any(Number),
      durationMs: expect.any(Number),
    })
    expect(actions()[0]?.durationMs).toBeGreaterThan(0)
    expect(actions()[0]?.chunks).toBeGreaterThan(1)
  })

  it('never holds message content, names or tool input', async () => {
    start()
    const turn = await askAndWait(gateway, ALICE, {
      content: 'How do I configure a pipeline for my-secret-project?',
      additionalContext: [{ category: 'SNIPPET', id: 'notes.txt', content: 'password=hunter2' }],
    })
    await ask(gateway, ALICE, { content: `${'too long '.repeat(2_000)}` })

    const log = lines.join('')
    for (const content of ['configure a pipeline', 'my-secret-project', 'hunter2', 'notes.txt', 'too long', turn.answer.content.slice(0, 30), 'Alice', 'alice']) {
      expect(log).not.toContain(content)
    }
    expect(actions()[0]?.tools).toEqual(['gitlab_documentation'])
  })

  it('records refusals, errors and cancellations with their code', async () => {
    start({ limits: { rate: { burst: 3, perMinute: 1 } } })
    await ask(gateway, ALICE, { content: 'x'.repeat(10_001) })
    const denied = await askAndWait(gateway, ALICE, { content: 'Summarize this issue', resourceId: 'gid://gitlab/Issue/99' })
    const subscription = await openSubscription(gateway, ALICE, { clientSubscriptionId: 'tab' })
    const running = await ask(gateway, ALICE, { content: 'Summarize issue #1', clientSubscriptionId: 'tab' })
    await run(gateway, ALICE, `mutation ($input: AiActionCancelInput!) { aiActionCancel(input: $input) { errors } }`, {
      input: { requestId: running.requestId },
    })
    await subscription.close()
    await ask(gateway, ALICE, { content: 'one too many' })

    expect(actions().map(({ outcome, errorCode, reason, resources }) => ({ outcome, errorCode, reason, resources }))).toEqual([
      { outcome: 'refused', errorCode: 'M1005', reason: 'question_too_long', resources: [] },
      { outcome: 'error', errorCode: 'M3003', reason: null, resources: ['gid://gitlab/Issue/99'] },
      { outcome: 'cancelled', errorCode: null, reason: null, resources: [] },
      { outcome: 'refused', errorCode: 'M1009', reason: 'rate_limited', resources: [] },
    ])
    expect(actions()[1]?.requestId).toBe(denied.requestId)
    expect(actions()[0]?.requestId).toBeNull()
  })

  it('marks scripted scenarios', async () => {
    start()
    gateway.scenario({ user: 'alice', text: 'Scripted' })
    await askAndWait(gateway, ALICE, { content: 'anything' })
    expect(actions()[0]).toMatchObject({ scenario: true, outcome: 'answered', tools: [], providers: [] })
  })

  it('records refused subscriptions without the other user', async () => {
    start()
    await subscribeRaw(gateway, ALICE, { userId: BOB.id, aiAction: 'CHAT' })
    expect(records()).toEqual([{ time: expect.any(String), level: 'warn', event: 'subscription_refused', userId: ALICE.id }])
    expect(lines.join('')).not.toContain(BOB.id)
  })

  it('keeps answering when the logger throws', async () => {
    gateway = createTestGateway({
      audit: () => {
        throw new Error('disk full')
      },
    })
    const original = console.error
    const reported: unknown[] = []
    console.error = (...args: unknown[]) => reported.push(args)
    try {
      const first = await askAndWait(gateway, ALICE, { content: 'hello' })
      const second = await askAndWait(gateway, ALICE, { content: 'hello again' })
      expect(first.answer.errors).toEqual([])
      expect(second.answer.errors).toEqual([])
      expect(reported).toHaveLength(1)
    } finally {
      console.error = original
    }
  })
})
