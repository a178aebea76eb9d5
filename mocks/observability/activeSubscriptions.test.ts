/**
 * `duo_chat_active_subscriptions` on a real Node gateway counts the subscriptions of both
 * transports: graphql-ws at `/graphql` (the drawer's default) and ActionCable at `/-/cable`
 * (GitLab's page), each opened and closed the way its clients do it.
 */
import { createClient } from 'graphql-ws'
import parsePrometheusTextFormat from 'parse-prometheus-text-format'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { startGatewayServer, type GatewayServer } from '../server'

const ALICE_ID = 'gid://gitlab/User/1'
const SUBSCRIPTION = `subscription ($userId: UserID, $aiAction: AiAction, $clientSubscriptionId: String) {
  aiCompletionResponse(userId: $userId, aiAction: $aiAction, clientSubscriptionId: $clientSubscriptionId) { requestId content }
}`

let server: GatewayServer
beforeAll(async () => {
  server = await startGatewayServer({ port: 0, env: {}, timing: { toolMs: 0, chunkDelayMs: 0, chunkSize: 6 }, cablePingMs: 60_000 })
})
afterAll(async () => {
  await server.close()
})

async function activeSubscriptions(): Promise<number> {
  const response = await fetch(`${server.origin}/metrics`)
  const family = parsePrometheusTextFormat(await response.text()).find((candidate) => candidate.name === 'duo_chat_active_subscriptions')
  return Number(family?.metrics[0]?.value)
}

/** Scrapes until the gauge reads `expected` (subscribing and closing are asynchronous on the server). */
async function expectActive(expected: number): Promise<void> {
  let last = NaN
  for (let attempt = 0; attempt < 200; attempt += 1) {
    last = await activeSubscriptions()
    if (last === expected) return
    await new Promise((resolve) => setImmediate(resolve))
  }
  expect(last).toBe(expected)
}

/** A raw ActionCable client signed in by alice's session cookie, as GitLab's page is. */
async function openCable(): Promise<{ socket: WebSocket; subscribe(id: string): Promise<string>; unsubscribe(identifier: string): void }> {
  const socket = new WebSocket(server.cableUrl, ['actioncable-v1-json'], { headers: { cookie: '_gitlab_session=alice-session' } })
  const frames: { type?: string; identifier?: string }[] = []
  const waiters = new Set<() => void>()
  socket.on('message', (data) => {
    frames.push(JSON.parse(data.toString()) as { type?: string; identifier?: string })
    for (const waiter of [...waiters]) waiter()
  })
  const frame = (test: (frame: { type?: string; identifier?: string }) => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (!frames.some(test)) return
        waiters.delete(check)
        resolve()
      }
      waiters.add(check)
      check()
    })
  await frame((candidate) => candidate.type === 'welcome')
  return {
    socket,
    async subscribe(clientSubscriptionId) {
      const identifier = JSON.stringify({
        channel: 'GraphqlChannel',
        query: SUBSCRIPTION,
        variables: { userId: ALICE_ID, aiAction: 'CHAT', clientSubscriptionId },
        operationName: null,
        nonce: crypto.randomUUID(),
      })
      socket.send(JSON.stringify({ command: 'subscribe', identifier }))
      await frame((candidate) => candidate.identifier === identifier && candidate.type === 'confirm_subscription')
      return identifier
    },
    unsubscribe(identifier) {
      socket.send(JSON.stringify({ command: 'unsubscribe', identifier }))
    },
  }
}

describe('duo_chat_active_subscriptions', () => {
  it('counts graphql-ws and ActionCable subscriptions together, and drops them as they close', async () => {
    await expectActive(0)

    const client = createClient({ url: server.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: 'Bearer alice-token' }, lazy: false })
    const stopWs = client.subscribe(
      { query: SUBSCRIPTION, variables: { userId: ALICE_ID, aiAction: 'CHAT', clientSubscriptionId: 'over-graphql-ws' } },
      { next: () => {}, error: () => {}, complete: () => {} },
    )
    await expectActive(1)

    const cable = await openCable()
    const first = await cable.subscribe('over-cable-1')
    await cable.subscribe('over-cable-2')
    await expectActive(3)

    cable.unsubscribe(first)
    await expectActive(2)
    cable.socket.close()
    await expectActive(1)

    stopWs()
    await client.dispose()
    await expectActive(0)
  })
})
