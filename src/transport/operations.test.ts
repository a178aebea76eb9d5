import { readFileSync } from 'node:fs'
import { buildSchema, parse, validate } from 'graphql'
import { describe, expect, it } from 'vitest'
import { operationSources } from './documents'

// GitLab's own schema: the drawer's core operations must run against a real GitLab instance too.
const gitlabSchema = buildSchema(readFileSync(new URL('../../../shared/gitlab-ai-schema.graphql', import.meta.url), 'utf8'))

describe('client operations', () => {
  it.each(Object.entries(operationSources))('%s validates against GitLab’s schema', (_name, source) => {
    expect(validate(gitlabSchema, parse(source)).map((e) => e.message)).toEqual([])
  })
})
