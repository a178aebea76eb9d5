import { readFileSync } from 'node:fs'
import { buildSchema, parse, validate } from 'graphql'
import { describe, expect, it } from 'vitest'
import { gatewaySdl } from '../../mocks/gateway/schema.graphql'
import { v2OperationSources } from './duoChatV2'

const gitlabSchema = buildSchema(readFileSync(new URL('../../../shared/gitlab-ai-schema.graphql', import.meta.url), 'utf8'))
const gatewaySchema = buildSchema(gatewaySdl)

describe('Duo Chat V2 operations', () => {
  it.each(Object.entries(v2OperationSources))('extension %s validates against the mock gateway’s schema, not GitLab’s', (_name, source) => {
    expect(validate(gatewaySchema, parse(source)).map((e) => e.message)).toEqual([])
    expect(validate(gitlabSchema, parse(source)).length).toBeGreaterThan(0)
  })
})
