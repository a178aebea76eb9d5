import { afterEach, describe, expect, it } from 'vitest'
import { createScriptedModel, type ChatModel, type Gateway } from './index'
import { ALICE, BOB, askAndWait, createTestGateway, run, toolSteps } from './testHelpers'

const SEARCH = `query ($query: String!, $categories: [AiAdditionalContextCategory!]) {
  duoChatContextSearch(query: $query, categories: $categories) { id category title description webUrl enabled disabledReason }
}`
const STATUS = `query ($ids: [ID!]!) { duoChatContextStatus(ids: $ids) { id enabled disabledReason } }`

interface SearchHit {
  id: string
  category: string
  title: string
  enabled: boolean
  disabledReason: string | null
}

/** A model that writes down every prompt it is given, then answers as the scripted one would. */
function recordingModel(): ChatModel & { prompts: string[] } {
  const scripted = createScriptedModel()
  const prompts: string[] = []
  return {
    prompts,
    stream(prompt, signal, observer) {
      prompts.push(prompt)
      return scripted.stream(prompt, signal, observer)
    },
  }
}

describe('context the /include menu offers', () => {
  let gateway: Gateway
  afterEach(() => gateway.dispose())

  it('finds issues, merge requests and files of the user’s projects', async () => {
    gateway = createTestGateway()
    const result = await run(gateway, ALICE, SEARCH, { query: 'checkout' })
    const hits = (result.data?.duoChatContextSearch ?? []) as SearchHit[]
    expect(hits.map((h) => h.category)).toEqual(expect.arrayContaining(['ISSUE', 'MERGE_REQUEST', 'FILE']))
    expect(hits.find((h) => h.id === 'gid://gitlab/Issue/1')?.title).toBe('Checkout button unresponsive on Safari')
    expect(hits.find((h) => h.category === 'FILE')?.id).toMatch(/^acme\/shop:.+\.js$/)
    expect(hits.every((h) => h.enabled)).toBe(true)
  })

  it('lists items of a project with GitLab Duo off as disabled, with the reason', async () => {
    gateway = createTestGateway()
    const result = await run(gateway, ALICE, SEARCH, { query: 'invoice', categories: ['ISSUE'] })
    expect(result.data?.duoChatContextSearch).toEqual([
      expect.objectContaining({ id: 'gid://gitlab/Issue/50', enabled: false, disabledReason: expect.stringContaining('M3002') }),
    ])
  })

  it('never lists what the user cannot read, and says nothing of it', async () => {
    gateway = createTestGateway()
    const asAlice = JSON.stringify(await run(gateway, ALICE, SEARCH, { query: 'roadmap' }))
    expect(asAlice).not.toMatch(/Secret roadmap|acme\/secret|Issue\/99/)
    const asBob = (await run(gateway, BOB, SEARCH, { query: 'roadmap' })).data?.duoChatContextSearch as SearchHit[]
    expect(asBob.map((h) => h.title)).toContain('Secret roadmap')
  })

  it('tells which items may be sent; unknown and unreadable read alike', async () => {
    gateway = createTestGateway()
    const ids = ['gid://gitlab/Issue/1', 'gid://gitlab/Issue/50', 'gid://gitlab/Issue/99', 'gid://gitlab/Issue/4040', 'acme/shop:app/assets/javascripts/checkout/pay_button.js', 'acme/secret:roadmap.md']
    const result = await run(gateway, ALICE, STATUS, { ids })
    const statuses = result.data?.duoChatContextStatus as { id: string; enabled: boolean; disabledReason: string | null }[]
    expect(statuses.map((s) => [s.id, s.enabled])).toEqual([
      [ids[0], true],
      [ids[1], false],
      [ids[2], false],
      [ids[3], false],
      [ids[4], true],
      [ids[5], false],
    ])
    expect(statuses[2]?.disabledReason).toBe(statuses[3]?.disabledReason)
    expect(JSON.stringify(result)).not.toMatch(/Secret roadmap/)
  })
})

describe('context that reaches the model', () => {
  let gateway: Gateway
  afterEach(() => gateway.dispose())

  it('puts sent context in the prompt', async () => {
    const model = recordingModel()
    gateway = createTestGateway({ model })
    await askAndWait(gateway, ALICE, {
      content: '/explain',
      additionalContext: [{ id: 'acme/shop:button.ts', category: 'FILE', content: 'const marker = "ALLOWED-CONTEXT"', metadata: { title: 'button.ts' } }],
    })
    expect(model.prompts.join('\n')).toContain('ALLOWED-CONTEXT')
  })

  it('refuses a request whose context the user may not send, before the model sees any of it', async () => {
    const model = recordingModel()
    gateway = createTestGateway({ model })
    const turn = await askAndWait(gateway, ALICE, {
      content: 'Summarize this',
      additionalContext: [{ id: 'gid://gitlab/Issue/50', category: 'ISSUE', content: 'DISABLED-CONTEXT', metadata: null }],
    })
    expect(turn.answer.errors?.join(' ')).toContain('M3002')
    expect(model.prompts.join('\n')).not.toContain('DISABLED-CONTEXT')
    expect(model.prompts.join('\n')).not.toContain('Invoice PDFs')
  })

  it('reads a merge request attached by id alone and answers from it with no reader step', async () => {
    gateway = createTestGateway()
    const turn = await askAndWait(gateway, ALICE, {
      content: 'Summarize this merge request',
      resourceId: 'gid://gitlab/MergeRequest/1',
      additionalContext: [{ id: 'gid://gitlab/MergeRequest/1', category: 'MERGE_REQUEST', content: '', metadata: null }],
    })
    expect(turn.answer.content).toContain('Fix Safari checkout click handler')
    expect(toolSteps(turn.messages)).toEqual([])
  })
})
