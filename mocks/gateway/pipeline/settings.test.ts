import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ALICE, BOB, createTestGateway } from '../testHelpers'
import type { Gateway } from '../index'
import { askV2AndWait } from './v2TestHelpers'

// Every test below has a fresh default gateway.
let gateway: Gateway
beforeEach(() => {
  gateway = createTestGateway()
})
afterEach(() => gateway.dispose())

describe('choosing the pipeline', () => {
  it('answers with react by default, with rag for a user who chose it, until reset', async () => {
    expect((await askV2AndWait(gateway, ALICE, { content: 'Summarize issue #1' })).answer.extras?.pipeline).toBe('REACT')
    gateway.settings(gateway.parseSettings({ user: 'alice', pipeline: 'rag' }))
    expect((await askV2AndWait(gateway, ALICE, { content: 'Summarize issue #1' })).answer.extras?.pipeline).toBe('RAG')
    expect((await askV2AndWait(gateway, BOB, { content: 'Summarize issue #1' })).answer.extras?.pipeline).toBe('REACT')
    gateway.reset()
    expect((await askV2AndWait(gateway, ALICE, { content: 'Summarize issue #1' })).answer.extras?.pipeline).toBe('REACT')
  })

  it('returns a user to the default with pipeline null', async () => {
    const rag = createTestGateway({ pipeline: 'rag' })
    try {
      rag.settings({ user: 'alice', pipeline: 'react' })
      expect((await askV2AndWait(rag, ALICE, { content: 'Summarize issue #1' })).answer.extras?.pipeline).toBe('REACT')
      rag.settings({ user: 'alice', pipeline: null })
      expect((await askV2AndWait(rag, ALICE, { content: 'Summarize issue #1' })).answer.extras?.pipeline).toBe('RAG')
    } finally {
      rag.dispose()
    }
  })

  it('refuses bad settings with a sentence naming the field', () => {
    expect(() => gateway.parseSettings({ user: 'alice', pipeline: 'magic' })).toThrow('"pipeline" must be one of react, rag or null.')
    expect(() => gateway.parseSettings({ user: 'mallory', pipeline: 'rag' })).toThrow('"user" is not a known user')
    expect(() => gateway.parseSettings({ user: 'alice', pipline: 'rag' })).toThrow('unknown field "pipline"')
    expect(() => createTestGateway({ pipeline: 'magic' as 'rag' })).toThrow('must be one of react, rag')
  })
})

describe('the react pipeline with V2 context', () => {
  it('hides the tools of excluded providers from the agent', async () => {
    const turn = await askV2AndWait(gateway, ALICE, { content: 'How do I configure a CI/CD pipeline?', excludedContextProviders: ['documentationProvider'] })
    expect(turn.messages.filter((message) => message.type === 'TOOL')).toEqual([])
    expect(turn.answer.extras?.sources).toEqual([])
  })

  it('stores each tool step with what it read, and what reached the model', async () => {
    const turn = await askV2AndWait(gateway, ALICE, { content: 'Compare issue #1 with !1' })
    expect(turn.answer.extras?.steps?.map((step) => [step.name, step.status, step.reads])).toEqual([
      ['issue_reader', 'ok', ['gid://gitlab/Issue/1']],
      ['merge_request_reader', 'ok', ['gid://gitlab/MergeRequest/1']],
    ])
    expect(turn.answer.extras?.contextUsed?.map((entry) => [entry.origin, entry.provider, entry.id])).toEqual([
      ['RETRIEVER', 'gitlabReferencesProvider', 'gid://gitlab/Issue/1'],
      ['RETRIEVER', 'gitlabReferencesProvider', 'gid://gitlab/MergeRequest/1'],
    ])
  })

  it('refuses more than 50 provider names with M1005', async () => {
    await expect(
      askV2AndWait(gateway, ALICE, { content: 'hi', excludedContextProviders: Array.from({ length: 51 }, (_, index) => `p${index}`) }),
    ).rejects.toThrow('M1005')
  })
})
