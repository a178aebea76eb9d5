import { readFileSync } from 'node:fs'
import { buildSchema, findBreakingChanges, findDangerousChanges, parse, validate } from 'graphql'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestGateway } from './testHelpers'
import { gitlabSdl } from './schema.graphql'
import type { Gateway } from './index'

const sharedSdl = readFileSync(new URL('../../../shared/gitlab-ai-schema.graphql', import.meta.url), 'utf8')

describe('gateway schema', () => {
  let gateway: Gateway
  beforeEach(() => {
    gateway = createTestGateway()
  })
  afterEach(() => gateway.dispose())

  it('embeds GitLab’s schema unchanged', () => {
    expect(gitlabSdl.trim()).toBe(sharedSdl.trim())
  })

  it('is a compatible superset of GitLab’s schema', () => {
    const gitlab = buildSchema(sharedSdl)
    expect(findBreakingChanges(gitlab, gateway.schema)).toEqual([])
    // The V2 extension adds optional fields to AiActionInput (see mocks/PROTOCOL.md); a GitLab
    // client that never sends them is served as before. Nothing else may change.
    const v2Inputs = ['proactiveContextProviders', 'reactiveContextProviders', 'excludedContextProviders']
    const dangerous = findDangerousChanges(gitlab, gateway.schema).filter(
      (change) =>
        !(change.type === 'OPTIONAL_INPUT_FIELD_ADDED' && v2Inputs.some((field) => change.description === `An optional field ${field} on input type AiActionInput was added.`)) &&
        // The images extension: a category only the extension mutation sends.
        !(change.type === 'VALUE_ADDED_TO_ENUM' && change.description === 'IMAGE was added to enum type AiAdditionalContextCategory.'),
    )
    expect(dangerous).toEqual([])
  })

  it('adds the aiActionCancel extension mutation', () => {
    const document = parse('mutation { aiActionCancel(input: { requestId: "x" }) { errors } }')
    expect(validate(gateway.schema, document)).toEqual([])
    expect(validate(buildSchema(sharedSdl), document)).not.toEqual([])
  })

  it('adds the V2 context operations and fields (mocks/PROTOCOL.md)', () => {
    const document = parse(`
      mutation {
        aiAction(input: { chat: { content: "q" }, reactiveContextProviders: ["selection"], excludedContextProviders: ["documentationProvider"] }) { requestId }
        duoChatProvideContext(input: { requestId: "r", contextRequestId: "c", providedContexts: [] }) { errors accepted }
      }`)
    expect(validate(gateway.schema, document)).toEqual([])
    expect(validate(buildSchema(sharedSdl), document)).not.toEqual([])
    const subscription = parse(`
      subscription { aiCompletionResponse(userId: "gid://gitlab/User/1") {
        messageType contextRequestId requestedContexts { provider reason }
        extras { contextUsed { origin provider contextType id title webUrl turns } steps { name title status reads startedAtMs durationMs note } pipeline }
      } }`)
    expect(validate(gateway.schema, subscription)).toEqual([])
  })

  it('resolves every root field', () => {
    for (const type of [gateway.schema.getQueryType(), gateway.schema.getMutationType()]) {
      for (const field of Object.values(type?.getFields() ?? {})) expect(field.resolve, field.name).toBeTypeOf('function')
    }
    for (const field of Object.values(gateway.schema.getSubscriptionType()?.getFields() ?? {})) {
      expect(field.subscribe, field.name).toBeTypeOf('function')
    }
  })
})
