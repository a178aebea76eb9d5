import { WebSocket } from 'ws'
import { startGatewayServer } from '../mocks/server'
import { createChatApi, type DuoChatApi } from '../src/transport/chatApi'
import { createApolloClient, type DuoChatTransport } from '../src/transport/createApolloClient'
import { sessionWebSocket } from '../tests/cableHarness'
import { compare, type BenchResult } from './harness'

const ANSWER = 'The checkout button fails on Safari because the click handler is attached before the DOM is ready. '.repeat(40)
const CHUNK_SIZE = 8
const CHUNKS = Math.ceil(ANSWER.length / CHUNK_SIZE)

/** One transport's client with a question subscription that stays open for every run. */
interface Listener {
  api: DuoChatApi
  clientSubscriptionId: string
  /** Chunks received per requestId, and who waits for all of them. */
  chunks: Map<string, number>
  waiting: Map<string, () => void>
}

/**
 * Chunk delivery over GitLab's ActionCable against graphql-ws: the same scripted answer, from the
 * question to its last chunk, over the real transports and the Node gateway, in the same run. The
 * subscription stays open across runs: graphql-ws has no acknowledgement of a subscribe, so a
 * fresh one may lose the race against the mutation, while ActionCable waits for its confirmation.
 */
export async function actionCableBench(): Promise<BenchResult> {
  const server = await startGatewayServer({ port: 0, env: false, timing: { toolMs: 0, chunkDelayMs: 0, chunkSize: CHUNK_SIZE }, limits: { maxThreadMessages: 10_000 } })
  const apollos = (['graphql-ws', 'actioncable'] as const).map((transport: DuoChatTransport) =>
    createApolloClient({
      transport,
      graphqlUrl: server.url,
      cableUrl: server.cableUrl,
      token: 'alice-token',
      webSocketImpl: transport === 'actioncable' ? sessionWebSocket('alice-session') : WebSocket,
    }),
  )
  const listeners = apollos.map((apollo, index): Listener => ({ api: createChatApi(apollo), clientSubscriptionId: `bench-${index}`, chunks: new Map(), waiting: new Map() }))
  const stops = listeners.map((listener) =>
    listener.api.subscribe(
      { userId: 'gid://gitlab/User/1', clientSubscriptionId: listener.clientSubscriptionId },
      {
        next: (message) => {
          const { requestId } = message
          if (!message.chunkId || !requestId) return
          const count = (listener.chunks.get(requestId) ?? 0) + 1
          listener.chunks.set(requestId, count)
          if (count === CHUNKS) listener.waiting.get(requestId)?.()
        },
      },
    ),
  )

  const deliver = async (listener: Listener, text = ANSWER) => {
    server.gateway.scenario({ user: 'alice', text, chunkSize: CHUNK_SIZE })
    const { requestId } = await listener.api.sendChat({ question: 'Why does checkout fail on Safari?', clientSubscriptionId: listener.clientSubscriptionId })
    if (listener.chunks.get(requestId) === CHUNKS) return
    await new Promise<void>((resolve) => listener.waiting.set(requestId, resolve))
    listener.waiting.delete(requestId)
  }

  try {
    // Not measured: until a question's chunks arrive, the subscription may not be on the server yet.
    for (const listener of listeners) {
      await listener.api.whenSubscribed()
      for (;;) {
        const probe = deliver(listener)
        const lost = new Promise<'lost'>((resolve) => setTimeout(() => resolve('lost'), 2000).unref())
        if ((await Promise.race([probe, lost])) !== 'lost') break
      }
    }
    const [graphqlWs, actionCable] = listeners as [Listener, Listener]
    return await compare(
      `chunk delivery over ActionCable (${CHUNKS} chunks an answer, real transports and gateway)`,
      { name: 'graphql-ws', run: () => deliver(graphqlWs) },
      () => deliver(actionCable),
      { runs: 15, warmup: 5, goal: '≤ 1.2×' },
    )
  } finally {
    for (const stop of stops) stop()
    await Promise.all(apollos.map((apollo) => apollo.dispose()))
    await server.close()
  }
}
