import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { shallowRef } from 'vue'
import { WebSocket } from 'ws'
import { startGatewayServer, type GatewayServer } from '../mocks/server'
import { duoChatGlobalState } from '../src/state/globalState'
import { createTestStore } from './storeHarness'
import { createChatApi } from '../src/transport/chatApi'
import { createApolloClient, type ConnectionStatus, type DuoChatApolloClient, type DuoChatTransport } from '../src/transport/createApolloClient'
import { sessionWebSocket } from './cableHarness'

/** Deterministic PRNG so that a failing drop pattern can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

describe.each<DuoChatTransport>(['graphql-ws', 'actioncable'])('chaos over %s: the connection drops mid-answer', (transport) => {
  let server: GatewayServer
  let apollo: DuoChatApolloClient

  beforeAll(async () => {
    // 100 questions in one chat: above the gateway's default cap of messages per thread (M1005).
    server = await startGatewayServer({ port: 0, env: false, timing: { toolMs: 0, chunkDelayMs: 1, chunkSize: 8 }, limits: { maxThreadMessages: 400 } })
  })
  afterAll(async () => {
    await apollo?.dispose()
    await server.close()
  })

  it('100 answers, each cut at a random chunk: every answer complete, none doubled', async () => {
    const connectionStatus = shallowRef<ConnectionStatus>('idle')
    const statuses: ConnectionStatus[] = []
    apollo = createApolloClient({
      transport,
      graphqlUrl: server.url,
      cableUrl: server.cableUrl,
      token: 'alice-token',
      // GitLab's page signs its cable in with the session cookie; Node's socket has to be told.
      webSocketImpl: transport === 'actioncable' ? sessionWebSocket('alice-session') : WebSocket,
      retryBaseMs: 5,
      onConnectionStatus: (status) => {
        connectionStatus.value = status
        statuses.push(status)
      },
    })
    const store = createTestStore({ api: createChatApi(apollo), requestTimeoutMs: 5_000, connectionStatus })
    duoChatGlobalState.resourceId = null

    const next = random(7)
    const expected: string[] = []
    for (let i = 0; i < 100; i++) {
      const text = `Answer ${i}: ${'the quick brown fox jumps over the lazy dog '.slice(0, 40 + (i % 20))}end ${i}.`
      const chunks = Math.ceil(text.length / 8)
      server.gateway.scenario({ user: 'alice', text, chunkSize: 8, delayMs: 2, dropConnectionAfterChunk: 1 + Math.floor(next() * (chunks - 1)) })
      const answer = await store.sendQuestion(`Question ${i}`)
      expect(answer.errors).toEqual([])
      expect(answer.content).toBe(text)
      expected.push(`Question ${i}`, text)
    }

    expect(store.messages.map((m) => m.content)).toEqual(expected)
    const keys = store.messages.map((m) => `${m.role}:${m.requestId}`)
    expect(new Set(keys).size).toBe(keys.length)
    // The drops really happened: the socket went through reconnects.
    expect(statuses.filter((s) => s === 'reconnecting').length).toBeGreaterThanOrEqual(100)
  }, 120_000)
})
