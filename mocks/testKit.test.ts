import { describe, expect, it } from 'vitest'
import { createMockGateway } from './testKit'

describe('createMockGateway', () => {
  it('takes users and fixtures of the host’s own, and keeps them across reset()', async () => {
    const mock = createMockGateway({
      users: [{ username: 'alice' }, { username: 'carol', projects: ['acme/shop'] }],
      fixtures: (fixtures) => {
        fixtures.issues.push({
          id: 'gid://gitlab/Issue/700',
          iid: 7,
          projectId: 'gid://gitlab/Project/1',
          title: 'Host app: export to CSV drops the header row',
          description: 'The CSV export of the orders page starts with the first order; the column names are missing.',
          state: 'opened',
          labels: ['bug'],
          authorUsername: 'carol',
          assigneeUsernames: [],
          createdAt: '2026-11-01T09:00:00Z',
          notes: [],
        })
      },
    })
    const asCarol = await mock.ask('What is this issue about?', { user: 'carol', resourceId: 'gid://gitlab/Issue/700' })
    expect(asCarol.errors).toEqual([])
    expect(asCarol.content).toContain('Host app: export to CSV drops the header row')
    mock.reset()
    const again = await mock.ask('What is this issue about?', { user: 'carol', resourceId: 'gid://gitlab/Issue/700' })
    expect(again.content).toContain('export to CSV')
    expect(mock.duoChatOptions('carol')).toMatchObject({ token: 'carol-token' })
    mock.dispose()
  })

  it('says which project is missing when a new user names one that does not exist', () => {
    expect(() => createMockGateway({ users: [{ username: 'dave', projects: ['acme/nope'] }] })).toThrow(/no project "acme\/nope"/)
  })
})
