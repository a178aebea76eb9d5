import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { startGatewayServer, type GatewayServer } from '../../mocks/server'
import { sessionWebSocket } from '../../tests/cableHarness'
import { createChatApi } from './chatApi'
import { createApolloClient, type DuoChatApolloClient, type DuoChatTransport } from './createApolloClient'
import type { DuoChatError } from './errors'

let server: GatewayServer
const clients: DuoChatApolloClient[] = []
beforeAll(async () => {
  server = await startGatewayServer({ port: 0, env: false, timing: { toolMs: 0, chunkDelayMs: 0 } })
})
afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()))
  await server.close()
})

describe.each<DuoChatTransport>(['graphql-ws', 'actioncable'])("a subscription to another user's answers over %s", (transport) => {
  it('is refused with an error of the 3000 series and receives no message', async () => {
    const apollo = createApolloClient({
      transport,
      graphqlUrl: server.url,
      cableUrl: server.cableUrl,
      token: 'bob-token',
      webSocketImpl: transport === 'actioncable' ? sessionWebSocket('bob-session') : WebSocket,
    })
    clients.push(apollo)
    const received: unknown[] = []
    const error = await new Promise<DuoChatError>((resolve) => {
      createChatApi(apollo).subscribe({ userId: 'gid://gitlab/User/1', aiAction: 'CHAT' }, { next: (message) => received.push(message), error: resolve })
    })
    expect(error).toMatchObject({ name: 'DuoChatError', code: 'M3003' })
    expect(received).toEqual([])
  })
})
