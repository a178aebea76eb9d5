import { shallowRef } from 'vue'
import { WebSocket } from 'ws'
import { startGatewayServer } from '../mocks/server'
import { commandQueue } from '../src/state/globalState'
import { createCommandExecutor, sendDuoChatCommand } from '../src/state/sendDuoChatCommand'
import { createTestStore } from '../tests/storeHarness'
import { createChatApi } from '../src/transport/chatApi'
import { createApolloClient, type ConnectionStatus } from '../src/transport/createApolloClient'
import { compare, type BenchResult } from './harness'

const QUESTIONS_PER_RUN = 20

/**
 * The queue's overhead: questions asked through `sendDuoChatCommand` against the same questions
 * sent straight to the store (mutation + subscription), over the real transport and Node gateway.
 */
export async function commandQueueBench(): Promise<BenchResult> {
  const server = await startGatewayServer({ port: 0, env: false, timing: { toolMs: 0, chunkDelayMs: 0, chunkSize: 64 } })
  const apollo = createApolloClient({ graphqlUrl: server.url, token: 'alice-token', webSocketImpl: WebSocket })
  const store = createTestStore({ api: createChatApi(apollo), requestTimeoutMs: 10_000, connectionStatus: shallowRef<ConnectionStatus>('idle') })
  commandQueue.setExecutor(createCommandExecutor(store))

  try {
    return await compare(
      `command queue overhead (${QUESTIONS_PER_RUN} questions a run, real transport and gateway)`,
      {
        name: 'direct store.sendQuestion (mutation + subscription)',
        run: async () => {
          store.newChat()
          for (let i = 0; i < QUESTIONS_PER_RUN; i++) await store.sendQuestion('hello', { resourceId: 'gid://gitlab/Issue/1' })
        },
      },
      async () => {
        store.newChat()
        for (let i = 0; i < QUESTIONS_PER_RUN; i++) await sendDuoChatCommand({ question: 'hello', resourceId: 'gid://gitlab/Issue/1' })
      },
      { runs: 9, goal: '< 1.1×' },
    )
  } finally {
    commandQueue.setExecutor(null)
    await apollo.dispose()
    await server.close()
  }
}
