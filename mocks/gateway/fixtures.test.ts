import { describe, expect, it } from 'vitest'
import { ALICE_ID, BOB_ID, createFixtures } from './fixtures'
import { authenticate } from './auth'
import { accessResource } from './permissions'

describe('fixtures', () => {
  it('hands out independent deep copies', () => {
    const first = createFixtures()
    const second = createFixtures()
    const issue = first.issues[0]
    if (!issue) throw new Error('no issues')
    issue.title = 'changed'
    issue.notes.push({ authorUsername: 'alice', createdAt: '2025-01-01T00:00:00Z', body: 'new' })

    expect(second.issues[0]?.title).toBe('Checkout button unresponsive on Safari')
    expect(second.issues[0]?.notes).toHaveLength(3)
  })

  it('has unique ids', () => {
    const fixtures = createFixtures()
    const ids = [fixtures.users, fixtures.groups, fixtures.projects, fixtures.issues, fixtures.epics, fixtures.mergeRequests].flatMap((items) =>
      items.map((item) => item.id),
    )
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('gives each permission path one fixture', () => {
    const fixtures = createFixtures()
    expect(() => accessResource(fixtures, ALICE_ID, 'gid://gitlab/Issue/1')).not.toThrow()
    expect(() => accessResource(fixtures, ALICE_ID, 'gid://gitlab/Issue/99')).toThrow(/M3003/)
    expect(() => accessResource(fixtures, BOB_ID, 'gid://gitlab/Issue/99')).not.toThrow()
    expect(() => accessResource(fixtures, ALICE_ID, 'gid://gitlab/Issue/50')).toThrow(/M3002/)
    expect(() => accessResource(fixtures, BOB_ID, 'gid://gitlab/Issue/50')).toThrow(/M3002/)
    expect(accessResource(fixtures, ALICE_ID, 'gid://gitlab/MergeRequest/1').kind).toBe('mergeRequest')
    expect(accessResource(fixtures, ALICE_ID, 'gid://gitlab/Epic/1').kind).toBe('epic')
    expect(fixtures.docs.length).toBeGreaterThanOrEqual(4)
  })
})

describe('authenticate', () => {
  const fixtures = createFixtures()

  it.each(['Bearer alice-token', 'bearer  alice-token ', 'alice-token'])('accepts %j', (header) => {
    expect(authenticate(fixtures, header)).toEqual({ id: ALICE_ID, username: 'alice', name: 'Alice Anders' })
  })

  it.each([null, undefined, '', 'Bearer', 'Bearer nobody-token', 'Basic alice-token'])('rejects %j', (header) => {
    expect(authenticate(fixtures, header)).toBeNull()
  })
})
