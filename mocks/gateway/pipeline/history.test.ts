import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AiMessageRecord } from '../messages'
import { ALICE, createTestGateway } from '../testHelpers'
import type { Gateway } from '../index'
import { selectHistory } from './historyContext'
import { askV2AndWait } from './v2TestHelpers'

describe.each(['react', 'rag'] as const)('conversation history in the %s pipeline', (pipeline) => {
  let gateway: Gateway
  beforeEach(() => {
    gateway = createTestGateway({ pipeline })
  })
  afterEach(() => gateway.dispose())

  it('answers a follow-up about the item of the earlier turn', async () => {
    const first = await askV2AndWait(gateway, ALICE, { content: 'What is issue #1 about?' })
    expect(first.answer.content).toContain('acme/shop#1')
    const followUp = await askV2AndWait(gateway, ALICE, { content: 'And who reported it?', threadId: first.threadId })
    expect(followUp.answer.content).toBe('Issue acme/shop#1 was reported by @bob.\n\n**Issue:** Checkout button unresponsive on Safari')
    expect(followUp.answer.extras?.contextUsed).toContainEqual({
      origin: 'HISTORY',
      provider: 'chatHistoryProvider',
      contextType: 'chatHistory',
      id: null,
      title: 'Conversation history',
      webUrl: null,
      turns: 1,
    })
  })

  it('leaves the history out when chatHistoryProvider is excluded', async () => {
    const first = await askV2AndWait(gateway, ALICE, { content: 'What is issue #1 about?' })
    const followUp = await askV2AndWait(gateway, ALICE, { content: 'And who reported it?', threadId: first.threadId, excludedContextProviders: ['chatHistoryProvider'] })
    expect(followUp.answer.content).not.toContain('@bob')
    expect(followUp.answer.extras?.contextUsed?.some((entry) => entry.origin === 'HISTORY')).toBe(false)
  })

  it('does not carry one thread’s turns into a new chat', async () => {
    await askV2AndWait(gateway, ALICE, { content: 'What is issue #1 about?' })
    const fresh = await askV2AndWait(gateway, ALICE, { content: 'And who reported it?' })
    expect(fresh.answer.content).not.toContain('@bob')
  })
})

describe('choosing the turns', () => {
  let sequence = 0
  const message = (requestId: string, role: 'USER' | 'ASSISTANT', content: string, errors: string[] = []): AiMessageRecord => ({
    id: `m${(sequence += 1)}`,
    requestId,
    role,
    type: null,
    content,
    contentHtml: null,
    errors,
    chunkId: null,
    threadId: 't',
    timestamp: '',
    agentVersionId: null,
    extras: null,
  })

  it('keeps the newest turns within the turn limit, oldest first, without the current question', () => {
    const thread = [1, 2, 3, 4].flatMap((n) => [message(`r${n}`, 'USER', `q${n}`), message(`r${n}`, 'ASSISTANT', `a${n}`)])
    thread.push(message('now', 'USER', 'current'))
    expect(selectHistory(thread, 'now', { maxTurns: 2 }).turns).toEqual([
      { question: 'q3', answer: 'a3' },
      { question: 'q4', answer: 'a4' },
    ])
  })

  it('stops at the token budget, cutting the answer of the turn that does not fit whole', () => {
    const thread = [message('old', 'USER', 'old question'), message('old', 'ASSISTANT', 'old answer'), message('r', 'USER', 'q'), message('r', 'ASSISTANT', 'x'.repeat(100))]
    const { turns } = selectHistory(thread, 'now', { tokenBudget: 10 })
    expect(turns).toEqual([{ question: 'q', answer: `${'x'.repeat(36)}…` }])
  })

  it('leaves out failed answers but keeps their questions', () => {
    const thread = [message('r', 'USER', 'q'), message('r', 'ASSISTANT', 'Sorry', ['A1001'])]
    expect(selectHistory(thread, 'now').turns).toEqual([{ question: 'q', answer: null }])
  })
})
