import { describe, expect, it } from 'vitest'
import { createFixtures, HOME_PROJECT_ID } from './fixtures'
import { resolveReference } from './references'

const fixtures = createFixtures()
const scope = { projectId: HOME_PROJECT_ID, groupId: 'gid://gitlab/Group/1' }

describe('resolveReference', () => {
  it.each([
    ['Issue', 'gid://gitlab/Issue/1', 'gid://gitlab/Issue/1'],
    ['Issue', '#2', 'gid://gitlab/Issue/2'],
    ['Issue', '2', 'gid://gitlab/Issue/2'],
    ['Issue', '"#1".', 'gid://gitlab/Issue/1'],
    ['Issue', 'acme/legacy#1', 'gid://gitlab/Issue/50'],
    ['Issue', 'acme/secret#1', 'gid://gitlab/Issue/99'],
    ['Issue', 'https://gitlab.example.com/acme/shop/-/issues/3', 'gid://gitlab/Issue/3'],
    ['MergeRequest', '!1', 'gid://gitlab/MergeRequest/1'],
    ['MergeRequest', 'acme/shop!1', 'gid://gitlab/MergeRequest/1'],
    ['Epic', '&1', 'gid://gitlab/Epic/1'],
    ['Epic', 'acme&1', 'gid://gitlab/Epic/1'],
    ['Epic', 'https://gitlab.example.com/groups/acme/-/epics/1', 'gid://gitlab/Epic/1'],
  ] as const)('resolves %s %j', (kind, input, expected) => {
    expect(resolveReference(fixtures, kind, input, scope)).toBe(expected)
  })

  it.each([
    ['Issue', 'gid://gitlab/MergeRequest/1'],
    ['Issue', '#404'],
    ['Issue', 'nowhere/else#1'],
    ['Issue', 'the checkout bug'],
    ['MergeRequest', '#1'],
    ['Epic', '&9'],
  ] as const)('finds nothing for %s %j', (kind, input) => {
    expect(resolveReference(fixtures, kind, input, scope)).toBeNull()
  })
})
