import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { GatewayError } from '../errors'
import { createFixtures } from '../fixtures'
import { createScriptedModel } from '../model'
import { ALICE, createTestGateway } from '../testHelpers'
import type { Gateway } from '../index'
import { runRag, type RagEnvironment, type RagQuestion } from './rag'
import type { Retrieval, Retriever } from './retrievers'
import { askV2AndWait, provideContext, storedMessages } from './v2TestHelpers'

/** A retriever whose reads the test finishes by hand, and which logs when it starts and ends. */
function controllable(name: string, log: string[], result: Partial<Retrieval> = {}) {
  let finish!: () => void
  let markStarted!: () => void
  const finished = new Promise<void>((resolve) => {
    finish = resolve
  })
  const started = new Promise<void>((resolve) => {
    markStarted = resolve
  })
  const retriever: Retriever = {
    name,
    title: name,
    remote: true,
    applies: () => true,
    async retrieve() {
      log.push(`start ${name}`)
      markStarted()
      await finished
      log.push(`end ${name}`)
      return { items: [], reads: [`read-by-${name}`], ...result }
    },
  }
  return { retriever, finish, started }
}

function environment(overrides: Partial<RagEnvironment> = {}): RagEnvironment {
  return {
    model: createScriptedModel(),
    toolContext: { fixtures: createFixtures(), viewer: ALICE, scope: { projectId: 'gid://gitlab/Project/1', groupId: 'gid://gitlab/Group/1' } },
    signal: new AbortController().signal,
    excluded: new Set(),
    reactiveProviders: [],
    requestContext: async () => ({ status: 'timeout' }),
    waitForRetrieval: async () => {},
    now: () => 0,
    startedAt: 0,
    ...overrides,
  }
}

const QUESTION: RagQuestion = { question: 'Summarize issue #1', resourceId: null, additionalContext: [], currentFile: null, history: { turns: [], questionIds: [] } }

describe('rag pipeline: retrieval', () => {
  it('starts every retriever before any of them finishes', async () => {
    const log: string[] = []
    const fakes = ['a', 'b', 'c'].map((name) => controllable(name, log))
    const answer = runRag(QUESTION, environment({ retrievers: fakes.map((fake) => fake.retriever) }))
    await Promise.all(fakes.map((fake) => fake.started))
    expect(log).toEqual(['start a', 'start b', 'start c'])
    // Finished in reverse order: nothing waits for the one before it.
    for (const fake of [...fakes].reverse()) fake.finish()
    const { steps } = await answer
    expect(log.slice(3)).toEqual(['end c', 'end b', 'end a'])
    expect(steps.filter((step) => step.name.length === 1).map((step) => [step.name, step.reads])).toEqual([
      ['a', ['read-by-a']],
      ['b', ['read-by-b']],
      ['c', ['read-by-c']],
    ])
  })

  it('never runs an excluded retriever, and says so in the steps', async () => {
    const log: string[] = []
    const kept = controllable('kept', log)
    const excluded = controllable('excluded', log)
    kept.finish()
    excluded.finish()
    const { steps } = await runRag(QUESTION, environment({ retrievers: [kept.retriever, excluded.retriever], excluded: new Set(['excluded']) }))
    expect(log).toEqual(['start kept', 'end kept'])
    expect(steps.find((step) => step.name === 'excluded')).toMatchObject({ status: 'excluded', reads: [], durationMs: 0 })
  })

  it('lets the other retrievers finish, then ends with the refusing retriever’s code', async () => {
    const log: string[] = []
    const slow = controllable('slow', log)
    const refusing: Retriever = { name: 'refusing', title: 'refusing', remote: true, applies: () => true, retrieve: async () => Promise.reject(new GatewayError('M3003')) }
    const answer = runRag(QUESTION, environment({ retrievers: [slow.retriever, refusing] }))
    await slow.started
    slow.finish()
    await expect(answer).rejects.toMatchObject({ code: 'M3003' })
    expect(log).toEqual(['start slow', 'end slow'])
  })
})

describe('rag pipeline: through the gateway', () => {
  let gateway: Gateway
  beforeEach(() => {
    gateway = createTestGateway({ pipeline: 'rag' })
  })
  afterEach(() => gateway.dispose())

  it('answers from three retrieved items and lists each with its origin, stored for a reload', async () => {
    const turn = await askV2AndWait(gateway, ALICE, { content: 'How do issue #1, !1 and &1 relate?', resourceId: 'gid://gitlab/Issue/2' })
    expect(turn.answer.errors).toEqual([])
    expect(turn.answer.content).toContain('acme/shop#1')
    expect(turn.answer.content).toContain('acme/shop!1')
    expect(turn.answer.content).toContain('acme&1')
    const used = turn.answer.extras?.contextUsed ?? []
    expect(used.map((entry) => [entry.origin, entry.provider, entry.id])).toEqual([
      ['RETRIEVER', 'gitlabResourceProvider', 'gid://gitlab/Issue/2'],
      ['RETRIEVER', 'gitlabReferencesProvider', 'gid://gitlab/Issue/1'],
      ['RETRIEVER', 'gitlabReferencesProvider', 'gid://gitlab/MergeRequest/1'],
      ['RETRIEVER', 'gitlabReferencesProvider', 'gid://gitlab/Epic/1'],
    ])
    expect(turn.answer.extras?.pipeline).toBe('RAG')
    const references = turn.answer.extras?.steps?.find((step) => step.name === 'gitlabReferencesProvider')
    expect(references).toMatchObject({ status: 'ok', reads: ['gid://gitlab/Issue/1', 'gid://gitlab/MergeRequest/1', 'gid://gitlab/Epic/1'] })
    expect(references?.durationMs).toBeGreaterThanOrEqual(0)
    // The retrievers show live, as tool steps do.
    expect(turn.messages.filter((message) => message.type === 'TOOL').map((message) => message.content)).toEqual([
      'Current page',
      'Referenced issues, merge requests and epics',
    ])

    const stored = (await storedMessages(gateway, ALICE, turn.threadId)).find((message) => message.role === 'ASSISTANT')
    expect(stored?.extras?.contextUsed).toEqual(turn.answer.extras?.contextUsed)
    expect(stored?.extras?.steps).toEqual(turn.answer.extras?.steps)
  })

  it('lists the proactive items and the user’s attachments by origin', async () => {
    const turn = await askV2AndWait(gateway, ALICE, {
      content: 'Summarize issue #1',
      additionalContext: [
        { category: 'SNIPPET', id: 'open-tab', content: 'const total = sum(cart)', metadata: { contextProvider: 'openTab', title: 'Open tab' } },
        { category: 'FILE', id: 'notes.md', content: 'My notes' },
      ],
      proactiveContextProviders: ['openTab'],
    })
    const used = turn.answer.extras?.contextUsed ?? []
    expect(used.slice(0, 2)).toEqual([
      { origin: 'PROACTIVE', provider: 'openTab', contextType: 'SNIPPET', id: 'open-tab', title: 'Open tab', webUrl: null, turns: null },
      { origin: 'ATTACHED', provider: null, contextType: 'FILE', id: 'notes.md', title: 'notes.md', webUrl: null, turns: null },
    ])
  })

  it('never runs excluded gateway providers: no docs step, no docs in the answer', async () => {
    const turn = await askV2AndWait(gateway, ALICE, { content: 'How do I configure a CI/CD pipeline?', excludedContextProviders: ['documentationProvider'] })
    expect(turn.answer.extras?.sources).toEqual([])
    expect(turn.answer.extras?.steps?.find((step) => step.name === 'documentationProvider')?.status).toBe('excluded')
    expect(turn.messages.filter((message) => message.type === 'TOOL')).toEqual([])
    const withDocs = await askV2AndWait(gateway, ALICE, { content: 'How do I configure a CI/CD pipeline?' })
    expect(withDocs.answer.content).toContain('According to the GitLab documentation')
    expect(withDocs.answer.extras?.steps?.find((step) => step.name === 'documentationProvider')?.reads.length).toBeGreaterThan(0)
  })

  it('reads the documentation, not the page’s item, for a general how-to asked on that page', async () => {
    const howTo = await askV2AndWait(gateway, ALICE, { content: 'How do I use issues?', resourceId: 'gid://gitlab/Issue/1' })
    expect(howTo.answer.extras?.steps?.map((step) => step.name)).toEqual(['documentationProvider', 'grader'])
    const aboutPage = await askV2AndWait(gateway, ALICE, { content: 'What is this issue about?', resourceId: 'gid://gitlab/Issue/1' })
    expect(aboutPage.answer.extras?.steps?.map((step) => step.name)).toEqual(['gitlabResourceProvider', 'grader'])
  })

  describe('access control, per retriever', () => {
    it('page resource: a private issue is refused with M3003 before anything is read', async () => {
      const turn = await askV2AndWait(gateway, ALICE, { content: 'Summarize this issue', resourceId: 'gid://gitlab/Issue/99' })
      expect(turn.answer.errors[0]).toContain('M3003')
      expect(turn.answer.content).not.toContain('Secret roadmap')
      expect(turn.messages.some((message) => message.type === 'TOOL')).toBe(false)
    })

    it('references: a private issue reads like a missing one (M3003), and nothing of it leaks', async () => {
      const hidden = await askV2AndWait(gateway, ALICE, { content: 'Summarize acme/secret#1' })
      const missing = await askV2AndWait(gateway, ALICE, { content: 'Summarize acme/nowhere#1' })
      expect(hidden.answer.errors[0]).toContain('M3003')
      expect(hidden.answer.content).toBe(missing.answer.content)
      expect(JSON.stringify(hidden.messages)).not.toContain('Secret roadmap')
    })

    it('references: a project with GitLab Duo turned off answers M3002', async () => {
      const turn = await askV2AndWait(gateway, ALICE, { content: 'Summarize acme/legacy#1' })
      expect(turn.answer.errors[0]).toContain('M3002')
    })

    it('page resource in a project with GitLab Duo turned off answers M3002', async () => {
      const turn = await askV2AndWait(gateway, ALICE, { content: 'Summarize this issue', resourceId: 'gid://gitlab/Issue/50' })
      expect(turn.answer.errors[0]).toContain('M3002')
    })

    it('references: the member may read the private issue', async () => {
      const { BOB } = await import('../testHelpers')
      const turn = await askV2AndWait(gateway, BOB, { content: 'Summarize acme/secret#1' })
      expect(turn.answer.errors).toEqual([])
      expect(turn.answer.content).toContain('Secret roadmap')
    })
  })
})

describe('rag pipeline: the observer hook (metrics, traces)', () => {
  it('hears the pipeline, each retriever as a tool, the stages and the model calls', async () => {
    const heard: string[] = []
    const gateway = createTestGateway({
      pipeline: 'rag',
      observer: {
        request: (start) => {
          heard.push(`request ${start.pipeline}`)
          return {
            step: (index) => {
              heard.push(`step ${index}`)
            },
            tool: (name) => {
              heard.push(`tool ${name}`)
            },
            modelCall: () => {
              heard.push('model')
            },
            end: (end) => {
              heard.push(`end ${end.outcome}`)
            },
          }
        },
      },
    })
    try {
      await askV2AndWait(gateway, ALICE, { content: 'Summarize issue #1', resourceId: 'gid://gitlab/Issue/2' })
      expect(heard).toEqual([
        'request rag',
        'step 0',
        'tool gitlabResourceProvider',
        'tool gitlabReferencesProvider',
        'step 1',
        'model',
        'model',
        'end answered',
      ])
    } finally {
      gateway.dispose()
    }
  })
})
