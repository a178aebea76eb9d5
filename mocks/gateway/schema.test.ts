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
    expect(findDangerousChanges(gitlab, gateway.schema)).toEqual([])
  })

  it('adds the aiActionCancel extension mutation', () => {
    const document = parse('mutation { aiActionCancel(input: { requestId: "x" }) { errors } }')
    expect(validate(gateway.schema, document)).toEqual([])
    expect(validate(buildSchema(sharedSdl), document)).not.toEqual([])
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
