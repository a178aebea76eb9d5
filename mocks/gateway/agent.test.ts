import { afterEach, describe, expect, it } from 'vitest'
import { MAX_AGENT_STEPS } from './agent'
import type { Gateway } from './index'
import type { ChatModel } from './model'
import { parsePrompt } from './reactFormat'
import { ALICE, askAndWait, createTestGateway, joinChunks, toolSteps } from './testHelpers'

/** A model that answers every prompt with the same text. */
function fixedModel(output: string, prompts: string[] = []): ChatModel {
  return {
    async *stream(prompt) {
      prompts.push(prompt)
      yield output
    },
  }
}

describe('agent', () => {
  let gateway: Gateway
  afterEach(() => gateway.dispose())

  it.each([
    ['Summarize this issue', 'gid://gitlab/Issue/1', 'Issue Reader', 'Checkout button unresponsive on Safari'],
    ['What is the status of issue #1?', null, 'Issue Reader', 'Checkout button unresponsive on Safari'],
    ['What is this epic about?', 'gid://gitlab/Epic/1', 'Epic Reader', 'Checkout redesign'],
    ['Which issues are in epic &1?', null, 'Epic Reader', 'Checkout redesign'],
    ['Review this merge request', 'gid://gitlab/MergeRequest/1', 'Merge Request Reader', 'Fix Safari checkout click handler'],
    ['What does MR !1 change?', null, 'Merge Request Reader', 'Fix Safari checkout click handler'],
    ['How do I configure a pipeline?', null, 'GitLab Documentation', 'To configure a pipeline'],
  ])('answers "%s" (resource %s) with the %s tool, grounded in what it read', async (question, resourceId, tool, expected) => {
    gateway = createTestGateway()
    const turn = await askAndWait(gateway, ALICE, { content: question, resourceId })

    expect(toolSteps(turn.messages)).toEqual([tool])
    expect(turn.answer.errors).toEqual([])
    expect(turn.answer.content).toContain(expected)
  })

  it('summarizes issue 1 from its description and comments, naming it at the end', async () => {
    gateway = createTestGateway()
    const { answer } = await askAndWait(gateway, ALICE, { content: 'Summarize this issue', resourceId: 'gid://gitlab/Issue/1' })

    expect(answer.content).toMatch(/\*\*Issue:\*\* Checkout button unresponsive on Safari$/)
    expect(answer.content).toContain('clicking Pay now on the checkout page does nothing')
    expect(answer.content).toContain('@bob: Support has 42 tickets about this since Friday.')
    expect(answer.content).toMatch(/^- /m)
    expect(answer.content).toContain('`bug`')
  })

  it('cites documentation pages as sources', async () => {
    gateway = createTestGateway()
    const { answer } = await askAndWait(gateway, ALICE, { content: 'How do I configure a pipeline?' })

    expect(answer.extras?.sources).toEqual([
      { title: 'CI/CD pipelines', source_url: 'https://docs.gitlab.com/ci/pipelines/', source_type: 'doc' },
    ])
    expect(answer.content).toContain('(https://docs.gitlab.com/ci/pipelines/)')
  })

  it('reads each referenced item once when a question names several', async () => {
    gateway = createTestGateway()
    const turn = await askAndWait(gateway, ALICE, { content: 'Compare issue #1 with #2' })

    expect(toolSteps(turn.messages)).toEqual(['Issue Reader', 'Issue Reader'])
    expect(turn.answer.content).toContain('Checkout button unresponsive on Safari')
    expect(turn.answer.content).toContain('Add Apple Pay to checkout')
  })

  it('answers small talk directly, without a tool, even on an item page', async () => {
    gateway = createTestGateway()
    const turn = await askAndWait(gateway, ALICE, { content: 'hello', resourceId: 'gid://gitlab/Issue/1' })

    expect(toolSteps(turn.messages)).toEqual([])
    expect(turn.answer.content).toMatch(/^Hello!/)
  })

  it('answers a merge request command from MERGE_REQUEST context without reading the merge request', async () => {
    gateway = createTestGateway()
    const turn = await askAndWait(gateway, ALICE, {
      content: '/summarize',
      resourceId: 'gid://gitlab/MergeRequest/1',
      additionalContext: [
        {
          category: 'MERGE_REQUEST',
          id: 'gid://gitlab/MergeRequest/1',
          content: 'Title: Fix Safari checkout click handler\n\nThe overlay no longer swallows clicks.\n',
          metadata: { iid: 1 },
        },
      ],
    })

    expect(toolSteps(turn.messages)).toEqual([])
    expect(turn.answer.errors).toEqual([])
    expect(turn.answer.content).toContain('Fix Safari checkout click handler')
    expect(turn.answer.content).toContain('The overlay no longer swallows clicks.')
  })

  it('lists the tools, the question, the resource and the attached context in its prompt', async () => {
    const prompts: string[] = []
    gateway = createTestGateway({ model: fixedModel('Final Answer: done', prompts) })
    await askAndWait(gateway, ALICE, {
      content: 'What changed?',
      resourceId: 'gid://gitlab/Issue/1',
      additionalContext: [{ category: 'FILE', id: 'app.js', content: 'let x = 1' }],
    })

    const prompt = prompts[0] ?? ''
    for (const tool of ['issue_reader', 'epic_reader', 'merge_request_reader', 'gitlab_documentation']) expect(prompt).toContain(`${tool}: `)
    expect(parsePrompt(prompt)).toMatchObject({
      question: 'What changed?',
      resourceId: 'gid://gitlab/Issue/1',
      additionalContext: [{ category: 'FILE', id: 'app.js', content: 'let x = 1', metadata: null }],
      scratchpad: [],
    })
  })

  it(`gives up with A1006 after ${MAX_AGENT_STEPS} steps of a model that never answers`, async () => {
    gateway = createTestGateway({ model: fixedModel('Thought: more.\nAction: issue_reader\nAction Input: gid://gitlab/Issue/1') })
    const turn = await askAndWait(gateway, ALICE, { content: 'Loop forever' })

    expect(toolSteps(turn.messages)).toHaveLength(MAX_AGENT_STEPS)
    expect(turn.answer.errors).toEqual([expect.stringMatching(/Error code: A1006$/)])
    expect(turn.answer.content).not.toContain('Error code')
    expect(joinChunks(turn.messages)).toBe('')
  })

  it('ends the request with the tool’s error when a tool refuses', async () => {
    gateway = createTestGateway({ model: fixedModel('Thought: read it.\nAction: issue_reader\nAction Input: gid://gitlab/Issue/12345') })
    const turn = await askAndWait(gateway, ALICE, { content: 'Read a missing issue' })

    expect(toolSteps(turn.messages)).toEqual(['Issue Reader'])
    expect(turn.answer.errors).toEqual([expect.stringMatching(/Error code: M3003$/)])
  })

  it('tells the model about a tool that does not exist and lets it correct itself', async () => {
    const prompts: string[] = []
    const model: ChatModel = {
      async *stream(prompt) {
        prompts.push(prompt)
        yield prompts.length === 1 ? 'Thought: hmm\nAction: web_search\nAction Input: cats' : 'Final Answer: corrected'
      },
    }
    gateway = createTestGateway({ model })
    const turn = await askAndWait(gateway, ALICE, { content: 'Anything' })

    expect(toolSteps(turn.messages)).toEqual([])
    expect(parsePrompt(prompts[1] ?? '').scratchpad[0]?.observation).toContain('There is no tool named "web_search"')
    expect(turn.answer.content).toBe('corrected')
  })

  it('reports a failing model as A6000', async () => {
    gateway = createTestGateway({
      model: {
        async *stream() {
          throw new Error('provider unavailable')
        },
      },
    })
    const turn = await askAndWait(gateway, ALICE, { content: 'Anything' })

    expect(turn.answer.errors).toEqual([expect.stringMatching(/Error code: A6000$/)])
  })

  it('streams the final answer as chunks 1..n that add up to the stored answer', async () => {
    gateway = createTestGateway({ timing: { chunkSize: 7 } })
    const turn = await askAndWait(gateway, ALICE, { content: 'Summarize this issue', resourceId: 'gid://gitlab/Issue/1' })
    const chunks = turn.messages.filter((message) => message.chunkId !== null)

    expect(chunks.map((chunk) => chunk.chunkId)).toEqual(chunks.map((_, index) => index + 1))
    expect(chunks.every((chunk) => chunk.content.length <= 7 && chunk.role === 'ASSISTANT')).toBe(true)
    expect(joinChunks(turn.messages)).toBe(turn.answer.content)
    expect(turn.answer.id).toMatch(/^gid:\/\/gitlab\/Ai::Message\/[0-9a-f-]{36}$/)
  })

  it('publishes tool steps as SYSTEM TOOL messages before the answer', async () => {
    gateway = createTestGateway()
    const turn = await askAndWait(gateway, ALICE, { content: 'Summarize this issue', resourceId: 'gid://gitlab/Issue/1' })
    const step = turn.messages.find((message) => message.type === 'TOOL')

    expect(step).toMatchObject({ role: 'SYSTEM', content: 'Issue Reader', chunkId: null, requestId: turn.requestId, threadId: turn.threadId })
    expect(turn.messages.indexOf(step as never)).toBeLessThan(turn.messages.findIndex((message) => message.chunkId === 1))
  })
})
