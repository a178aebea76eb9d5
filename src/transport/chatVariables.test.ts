import { readFileSync } from 'node:fs'
import { buildSchema, type GraphQLInputObjectType } from 'graphql'
import { describe, expect, it } from 'vitest'
import { sendDuoChatCommand } from '../state/sendDuoChatCommand'
import { checkChatVariables, HOST_CHAT_VARIABLES } from './chatVariables'
import { operationSources } from './documents'

const gitlabSchema = buildSchema(readFileSync(new URL('../../../shared/gitlab-ai-schema.graphql', import.meta.url), 'utf8'))
const fieldsOf = (name: string) => Object.keys((gitlabSchema.getType(name) as GraphQLInputObjectType).getFields())

describe('the chat variables a host may pass', () => {
  it("cover every field of GitLab's AiActionInput and AiChatInput that the drawer does not set, and the mutation declares each", () => {
    const drawerSets = ['chat', 'content', 'resourceId', 'additionalContext', 'threadId', 'clientSubscriptionId']
    const gitlabFields = [...fieldsOf('AiActionInput'), ...fieldsOf('AiChatInput')].filter((name) => !drawerSets.includes(name))
    expect([...HOST_CHAT_VARIABLES].sort()).toEqual(gitlabFields.sort())
    for (const name of HOST_CHAT_VARIABLES) expect(operationSources.aiAction).toContain(`$${name}:`)
  })

  it('accepts them all', () => {
    expect(() =>
      checkChatVariables({
        agentVersionId: 'gid://gitlab/Ai::AgentVersion/1',
        currentFile: { fileName: 'app.js', selectedText: 'x' },
        namespaceId: 'gid://gitlab/Group/1',
        clientMutationId: 'm1',
        conversationType: 'DUO_CHAT',
        platformOrigin: 'web',
        projectId: 'gid://gitlab/Project/1',
      }),
    ).not.toThrow()
  })

  it('refuses an unknown field with a TypeError that names it', () => {
    expect(() => checkChatVariables({ projectID: 'gid://gitlab/Project/1' })).toThrow(TypeError)
    expect(() => checkChatVariables({ projectID: 'gid://gitlab/Project/1' })).toThrow(/"variables\.projectID" is not a field of GitLab's AiActionInput or AiChatInput/)
  })

  it('says where a field the drawer sets comes from instead', () => {
    expect(() => checkChatVariables({ resourceId: 'gid://gitlab/Issue/2' })).toThrow(/set by the drawer; use the command's "resourceId"/)
  })

  it('sendDuoChatCommand throws at once, before anything is queued', () => {
    expect(() => sendDuoChatCommand({ question: '/explain', resourceId: 'gid://gitlab/Issue/1', variables: { curentFile: {} } })).toThrow(TypeError)
  })
})
