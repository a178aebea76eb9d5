import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { shallowRef } from 'vue'
import { WebSocket } from 'ws'
import { startGatewayServer, type GatewayServer } from '../mocks/server'
import { duoChatGlobalState } from '../src/state/globalState'
import { describeError } from '../src/state/errorMessages'
import { createTestStore } from './storeHarness'
import { createChatApi } from '../src/transport/chatApi'
import { createApolloClient, type ConnectionStatus, type DuoChatApolloClient, type DuoChatTransport } from '../src/transport/createApolloClient'
import { sessionWebSocket } from './cableHarness'

// Issue 14: a host that passes another user's id gets GitLab's behaviour on both transports: the
// subscription is refused, nothing of the answer arrives, and the drawer shows a 3000-series code.
describe.each<DuoChatTransport>(['graphql-ws', 'actioncable'])('a forged userId over %s', (transport) => {
  let server: GatewayServer
  let apollo: DuoChatApolloClient | undefined

  beforeAll(async () => {
    server = await startGatewayServer({ port: 0, env: false, timing: { toolMs: 0, chunkDelayMs: 1, chunkSize: 8 } })
  })
  afterAll(async () => {
    await apollo?.dispose()
    await server.close()
  })

  it("signed in as alice with bob's id: the question ends in M3003 and no answer text arrives", async () => {
    apollo = createApolloClient({
      transport,
      graphqlUrl: server.url,
      cableUrl: server.cableUrl,
      token: 'alice-token',
      webSocketImpl: transport === 'actioncable' ? sessionWebSocket('alice-session') : WebSocket,
    })
    const store = createTestStore({ api: createChatApi(apollo), userId: 'gid://gitlab/User/2', requestTimeoutMs: 5_000, connectionStatus: shallowRef<ConnectionStatus>('idle') })
    duoChatGlobalState.resourceId = null
    server.gateway.scenario({ user: 'alice', text: 'Private answer for alice' })

    const answer = await store.sendQuestion('Hello?')

    expect(answer.status).toBe('error')
    expect(answer.content).toBe('')
    expect(describeError(answer.errors)).toEqual({ code: 'M3003', text: expect.stringContaining("You don't have access") })
  })
})
