import { readFileSync } from 'node:fs'
import { buildSchema, getVariableValues, parse, type OperationDefinitionNode } from 'graphql'
import { describe, expect, it } from 'vitest'
import type { ContextItem } from '../state/contexts'
import { fromAdditionalContext, toAdditionalContext } from './additionalContext'
import { createChatApi } from './chatApi'
import { operationSources } from './documents'

const gitlabSchema = buildSchema(readFileSync(new URL('../../../shared/gitlab-ai-schema.graphql', import.meta.url), 'utf8'))
const chatOperation = parse(operationSources.aiAction).definitions[0] as OperationDefinitionNode

const chips: ContextItem[] = [
  { id: 'acme/shop:src/checkout/button.ts', category: 'FILE', title: 'button.ts', content: 'export function onClick() {}', metadata: { project: 'acme/shop' } },
  { id: 'gid://gitlab/MergeRequest/1', category: 'MERGE_REQUEST', title: 'Fix Safari checkout click handler' },
]

/** The Apollo implementation over a client that records the mutation's variables. */
function apiRecordingVariables() {
  const variables: Record<string, unknown>[] = []
  const client = {
    mutate: async (options: { variables: Record<string, unknown> }) => {
      variables.push(options.variables)
      return { data: { aiAction: { requestId: 'r1', threadId: null, errors: [] } } }
    },
  }
  return { api: createChatApi({ client: client as never, whenConnected: async () => {} }), variables }
}

describe('context on the wire', () => {
  it('sends ContextItem chips as additionalContext that GitLab’s AiAdditionalContextInput accepts', async () => {
    const { api, variables } = apiRecordingVariables()
    await api.sendChat({ question: 'Why?', clientSubscriptionId: 'c1', contexts: chips })
    const { errors } = getVariableValues(gitlabSchema, chatOperation.variableDefinitions ?? [], variables[0]!)
    expect(errors?.map((e) => e.message) ?? []).toEqual([])
    expect(variables[0]!.additionalContext).toEqual([
      { id: 'acme/shop:src/checkout/button.ts', category: 'FILE', content: 'export function onClick() {}', metadata: { project: 'acme/shop', title: 'button.ts' } },
      { id: 'gid://gitlab/MergeRequest/1', category: 'MERGE_REQUEST', content: '', metadata: { title: 'Fix Safari checkout click handler' } },
    ])
  })

  it('sends no additionalContext for a question without context', async () => {
    const { api, variables } = apiRecordingVariables()
    await api.sendChat({ question: 'Why?', clientSubscriptionId: 'c1', contexts: [] })
    expect(variables[0]!.additionalContext).toBeNull()
  })

  it('reads a message’s additionalContext back as the same chips, named by title', () => {
    const back = fromAdditionalContext(toAdditionalContext(chips))
    expect(back.map(({ id, category, title, content }) => ({ id, category, title, content }))).toEqual([
      { id: 'acme/shop:src/checkout/button.ts', category: 'FILE', title: 'button.ts', content: 'export function onClick() {}' },
      { id: 'gid://gitlab/MergeRequest/1', category: 'MERGE_REQUEST', title: 'Fix Safari checkout click handler', content: '' },
    ])
  })

  it('names context without a title (e.g. from another client) by its id', () => {
    expect(fromAdditionalContext([{ id: 'README.md', category: 'FILE', content: '# Shop' }])).toMatchObject([{ id: 'README.md', title: 'README.md' }])
    expect(fromAdditionalContext(null)).toEqual([])
  })
})
