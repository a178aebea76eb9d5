import { shallowRef } from 'vue'
import { WebSocket } from 'ws'
import { startGatewayServer } from '../mocks/server'
import { createChatApi } from '../src/transport/chatApi'
import { createApolloClient, type ConnectionStatus, type DuoChatTransport } from '../src/transport/createApolloClient'
import { sessionWebSocket } from '../tests/cableHarness'
import { createTestStore } from '../tests/storeHarness'
import { compare, type BenchResult } from './harness'

const ANSWER = 'The checkout button fails on Safari because the click handler is attached before the DOM is ready. '.repeat(80)
const CHUNK_SIZE = 8

/**
 * Chunk delivery over GitLab's ActionCable against graphql-ws: the same scripted answer (about 1,000
 * chunks) asked through the store, over the real transports and Node gateway, in the same run.
 */
export async function actionCableBench(): Promise<BenchResult> {
  const server = await startGatewayServer({ port: 0, env: false, timing: { toolMs: 0, chunkDelayMs: 0, chunkSize: CHUNK_SIZE }, limits: { maxThreadMessages: 10_000 } })
  const clients = (['graphql-ws', 'actioncable'] as const).map((transport: DuoChatTransport) =>
    createApolloClient({
      transport,
      graphqlUrl: server.url,
      cableUrl: server.cableUrl,
      token: 'alice-token',
      webSocketImpl: transport === 'actioncable' ? sessionWebSocket('alice-session') : WebSocket,
    }),
  )
  const [graphqlWs, actionCable] = clients.map((apollo) => createTestStore({ api: createChatApi(apollo), requestTimeoutMs: 10_000, connectionStatus: shallowRef<ConnectionStatus>('idle') }))
  const ask = async (store: NonNullable<typeof graphqlWs>) => {
    store.newChat()
    server.gateway.scenario({ user: 'alice', text: ANSWER, chunkSize: CHUNK_SIZE })
    const answer = await store.sendQuestion('Why does checkout fail on Safari?')
    if (answer.content !== ANSWER) throw new Error(`the answer arrived incomplete: ${answer.content.length} of ${ANSWER.length} characters`)
  }

  try {
    return await compare(
      `chunk delivery over ActionCable (${Math.ceil(ANSWER.length / CHUNK_SIZE)} chunks an answer, real transports and gateway)`,
      { name: 'graphql-ws', run: () => ask(graphqlWs!) },
      () => ask(actionCable!),
      { runs: 15, warmup: 5, goal: '≤ 1.2×' },
    )
  } finally {
    await Promise.all(clients.map((apollo) => apollo.dispose()))
    await server.close()
  }
}
