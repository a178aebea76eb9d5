import { readFileSync } from 'node:fs'
import { buildSchema, parse, validate } from 'graphql'
import { describe, expect, it } from 'vitest'
import { gatewaySdl } from '../../mocks/gateway/schema.graphql'
import { extensionOperationSources, operationSources } from './documents'

// GitLab's own schema: the drawer's core operations must run against a real GitLab instance too.
const gitlabSchema = buildSchema(readFileSync(new URL('../../../shared/gitlab-ai-schema.graphql', import.meta.url), 'utf8'))
const gatewaySchema = buildSchema(gatewaySdl)

describe('client operations', () => {
  it.each(Object.entries(operationSources))('%s validates against GitLab’s schema', (_name, source) => {
    expect(validate(gitlabSchema, parse(source)).map((e) => e.message)).toEqual([])
  })

  it.each(Object.entries(extensionOperationSources))('extension %s validates against the mock gateway’s schema', (_name, source) => {
    expect(validate(gatewaySchema, parse(source)).map((e) => e.message)).toEqual([])
  })

  it('keeps every operation GitLab lacks in a file named *extension*', () => {
    for (const source of Object.values(extensionOperationSources)) {
      expect(validate(gitlabSchema, parse(source)).length).toBeGreaterThan(0)
    }
  })
})
