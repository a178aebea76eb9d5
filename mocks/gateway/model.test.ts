import { describe, expect, it } from 'vitest'
import { createScriptedModel, scriptedCompletion } from './model'
import { buildPrompt, parseModelOutput, type PromptInput } from './reactFormat'
import { TOOLS } from './tools'

function prompt(overrides: Partial<PromptInput>): string {
  return buildPrompt({ question: '', resourceId: null, additionalContext: [], currentFile: null, tools: TOOLS, scratchpad: [], ...overrides })
}

function decide(overrides: Partial<PromptInput>) {
  return parseModelOutput(scriptedCompletion(prompt(overrides)))
}

describe('scripted model', () => {
  it('is deterministic', () => {
    const text = prompt({ question: 'Summarize issue #1' })
    expect(scriptedCompletion(text)).toBe(scriptedCompletion(text))
  })

  it.each([
    [{ question: 'Summarize this', resourceId: 'gid://gitlab/Issue/1' }, 'issue_reader', 'gid://gitlab/Issue/1'],
    [{ question: 'What about issue #2?' }, 'issue_reader', '#2'],
    [{ question: 'And issue 3?' }, 'issue_reader', '#3'],
    [{ question: 'Summarize acme/shop#1' }, 'issue_reader', 'acme/shop#1'],
    [{ question: 'Open https://gitlab.example.com/acme/shop/-/issues/2 please' }, 'issue_reader', 'https://gitlab.example.com/acme/shop/-/issues/2'],
    [{ question: 'Summarize epic &1' }, 'epic_reader', '&1'],
    [{ question: '/explain', resourceId: 'gid://gitlab/Epic/1' }, 'epic_reader', 'gid://gitlab/Epic/1'],
    [{ question: 'Review MR !1' }, 'merge_request_reader', '!1'],
    [{ question: 'Summarize merge request !1' }, 'merge_request_reader', '!1'],
    [{ question: 'What is this about?', resourceId: 'gid://gitlab/MergeRequest/1' }, 'merge_request_reader', 'gid://gitlab/MergeRequest/1'],
    [{ question: 'How do I create an issue?' }, 'gitlab_documentation', 'How do I create an issue?'],
    [{ question: 'How do I configure a pipeline?', resourceId: 'gid://gitlab/Issue/1' }, 'gitlab_documentation', 'How do I configure a pipeline?'],
    [{ question: 'Where is the documentation for epics' }, 'gitlab_documentation', 'Where is the documentation for epics'],
  ])('asks for a tool for %j', (overrides, tool, input) => {
    expect(decide(overrides)).toMatchObject({ kind: 'action', tool, input })
  })

  it.each([
    [{ question: 'hello' }],
    [{ question: 'Thanks!', resourceId: 'gid://gitlab/Issue/1' }],
    [{ question: 'Tell me a joke' }],
    [{ question: 'Is 1 & 2 the same?' }],
  ])('answers %j directly', (overrides) => {
    expect(decide(overrides).kind).toBe('final')
  })

  it.each([
    ['/help', '`/explain`'],
    ['/clear', 'New chat'],
    ['/explain', 'needs something to work on'],
  ])('answers the command %s directly, even without an item', (question, expected) => {
    const decision = decide({ question })
    expect(decision.kind === 'final' && decision.answer).toContain(expected)
  })

  it('explains selected code without a tool', () => {
    const decision = decide({
      question: '/explain',
      currentFile: { fileName: 'cart.js', selectedText: 'function total(items) {\n  return items.length\n}', contentAboveCursor: null, contentBelowCursor: null },
    })
    expect(decision).toMatchObject({ kind: 'final' })
    expect(decision.kind === 'final' && decision.answer).toContain('`total`')
  })

  it('answers from attached merge request context without a tool, taking the title from metadata', () => {
    const decision = decide({
      question: 'What does this change?',
      additionalContext: [{ category: 'MERGE_REQUEST', id: 'mr', content: 'Some changes.\n', metadata: { title: 'Fix Safari checkout click handler' } }],
    })
    expect(decision.kind === 'final' && decision.answer).toContain('**Merge request:** Fix Safari checkout click handler')
  })

  it('reads the next reference after the first one was observed, then answers from both', () => {
    const first = decide({ question: 'Compare #1 and #2' })
    expect(first).toMatchObject({ tool: 'issue_reader', input: '#1' })
    const issue = (title: string) => JSON.stringify({ type: 'issue', reference: 'acme/shop#1', title, state: 'opened', labels: [], author: '@bob', assignees: [], description: 'Text.', comments: [] })
    const step = (input: string, title: string) => ({ thought: 't', action: 'issue_reader', actionInput: input, observation: issue(title) })

    expect(decide({ question: 'Compare #1 and #2', scratchpad: [step('#1', 'One')] })).toMatchObject({ tool: 'issue_reader', input: '#2' })
    const final = decide({ question: 'Compare #1 and #2', scratchpad: [step('#1', 'One'), step('#2', 'Two')] })
    expect(final.kind === 'final' && final.answer).toMatch(/\*\*Issue:\*\* One[\s\S]*\*\*Issue:\*\* Two/)
  })

  it('streams its completion in small deltas', async () => {
    const text = prompt({ question: 'hello' })
    const deltas: string[] = []
    for await (const delta of createScriptedModel().stream(text, new AbortController().signal)) deltas.push(delta)

    expect(deltas.length).toBeGreaterThan(5)
    expect(deltas.join('')).toBe(scriptedCompletion(text))
  })

  it('stops streaming when aborted', async () => {
    const controller = new AbortController()
    const stream = createScriptedModel().stream(prompt({ question: 'hello' }), controller.signal)[Symbol.asyncIterator]()
    await stream.next()
    controller.abort(new Error('stop'))

    await expect(stream.next()).rejects.toThrow('stop')
  })
})
