// @vitest-environment jsdom
// jsdom brings the global WebSocket that msw intercepts (Node 20 has none).
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { shallowRef } from 'vue'
import { createGatewayHandlers } from './browser'
import { createGateway } from './gateway/index'
import { createChatApi } from '../src/transport/chatApi'
import { createApolloClient, type ConnectionStatus, type DuoChatApolloClient } from '../src/transport/createApolloClient'
import { createTestStore } from '../tests/storeHarness'

const ORIGIN = 'https://gitlab.test'
let cookie = '_gitlab_session=alice-session'
const gateway = createGateway({ timing: { toolMs: 0, chunkDelayMs: 0, chunkSize: 4 } })
const transport = createGatewayHandlers(gateway, { graphqlUrl: `${ORIGIN}/api/graphql`, cookie: () => cookie })
const server = setupServer(...transport.handlers)
const clients: DuoChatApolloClient[] = []

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.dispose()))
  gateway.reset()
  cookie = '_gitlab_session=alice-session'
})
afterAll(() => {
  transport.dispose()
  gateway.dispose()
  server.close()
})

function openDrawer(csrfToken = 'alice-csrf-token', userId = 'gid://gitlab/User/1') {
  const apollo = createApolloClient({ transport: 'actioncable', graphqlUrl: `${ORIGIN}/api/graphql`, cableUrl: transport.cableUrl, csrfToken, retryBaseMs: 5 })
  clients.push(apollo)
  return createTestStore({ api: createChatApi(apollo), userId, requestTimeoutMs: 5_000, connectionStatus: shallowRef<ConnectionStatus>('idle') })
}

describe('ActionCable through msw', () => {
  it('serves the cable at <origin>/-/cable: a question is answered over the GraphqlChannel', async () => {
    expect(transport.cableUrl).toBe('wss://gitlab.test/-/cable')
    gateway.scenario({ user: 'alice', text: 'Answered through msw.', chunkSize: 5 })
    const store = openDrawer()
    const answer = await store.sendQuestion('Hello')
    expect(answer.errors).toEqual([])
    expect(answer.content).toBe('Answered through msw.')
  })

  it('refuses the mutation of a cookie session with the wrong CSRF token', async () => {
    const store = openDrawer('not-the-token')
    const answer = await store.sendQuestion('Hello').catch((error: unknown) => error)
    expect(JSON.stringify(answer)).toContain('422')
  })
})
