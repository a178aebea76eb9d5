/**
 * The Node gateway's GitLab side: ActionCable at `/-/cable` (welcome, pings, confirm/reject,
 * results with `more`, server disconnects, dropped connections) and GraphQL over HTTP at
 * `/api/graphql` with GitLab's session cookie and CSRF token, frame by frame.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { startGatewayServer, type GatewayServer } from './server'

const ALICE_ID = 'gid://gitlab/User/1'
const BOB_ID = 'gid://gitlab/User/2'
const SUBSCRIPTION = `subscription ($userId: UserID, $aiAction: AiAction, $clientSubscriptionId: String) {
  aiCompletionResponse(userId: $userId, aiAction: $aiAction, clientSubscriptionId: $clientSubscriptionId) { id requestId role content chunkId }
}`
const AI_ACTION = 'mutation ($input: AiActionInput!) { aiAction(input: $input) { requestId threadId errors } }'
const THREADS = 'query { aiConversationThreads { nodes { id } } }'

let server: GatewayServer

beforeAll(async () => {
  server = await startGatewayServer({ port: 0, env: {}, timing: { toolMs: 0, chunkDelayMs: 0, chunkSize: 6 }, cablePingMs: 25 })
})
afterAll(async () => {
  await server.close()
})
afterEach(() => {
  server.gateway.reset()
})

interface Frame {
  type?: string
  identifier?: string
  message?: { result?: { data?: { aiCompletionResponse?: { content: string; chunkId: number | null; role: string } } | null; errors?: { message: string }[] }; more?: boolean }
  reason?: string
  reconnect?: boolean
}

/** A raw cable client: every frame it receives, and a way to wait for one. */
class CableClient {
  readonly frames: Frame[] = []
  readonly socket: WebSocket
  closed = false
  private listeners: (() => void)[] = []

  constructor(headers: Record<string, string>) {
    this.socket = new WebSocket(server.cableUrl, ['actioncable-v1-json', 'actioncable-unsupported'], { headers })
    this.socket.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as Frame)
      this.changed()
    })
    this.socket.on('close', () => {
      this.closed = true
      this.changed()
    })
  }

  until<T>(check: () => T | undefined | false): Promise<T> {
    return new Promise((resolve) => {
      const attempt = () => {
        const value = check()
        if (value) {
          this.listeners = this.listeners.filter((listener) => listener !== attempt)
          resolve(value)
        }
      }
      this.listeners.push(attempt)
      attempt()
    })
  }

  frame(test: (frame: Frame) => boolean): Promise<Frame> {
    return this.until(() => this.frames.find(test))
  }

  subscribe(variables: Record<string, unknown>, channel = 'GraphqlChannel', query = SUBSCRIPTION): string {
    const identifier = JSON.stringify({ channel, query, variables, operationName: null, nonce: crypto.randomUUID() })
    this.socket.send(JSON.stringify({ command: 'subscribe', identifier }))
    return identifier
  }

  /** The answer's content as it streamed in on `identifier`, once a complete message arrived. */
  async answer(identifier: string): Promise<string> {
    await this.frame((frame) => frame.identifier === identifier && frame.message?.result?.data?.aiCompletionResponse?.chunkId === null && frame.message.result.data.aiCompletionResponse.role === 'ASSISTANT')
    return this.frames
      .filter((frame) => frame.identifier === identifier && frame.message?.result?.data?.aiCompletionResponse?.chunkId)
      .map((frame) => frame.message!.result!.data!.aiCompletionResponse!.content)
      .join('')
  }

  close(): void {
    this.socket.close()
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener()
  }
}

const clients: CableClient[] = []
function cable(headers: Record<string, string> = { cookie: '_gitlab_session=alice-session' }): CableClient {
  const client = new CableClient(headers)
  clients.push(client)
  return client
}
afterEach(() => {
  for (const client of clients.splice(0)) client.close()
})

function post(path: string, body: unknown, headers: Record<string, string>) {
  return fetch(`${server.origin}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) })
}

async function ask(question: string, clientSubscriptionId: string): Promise<void> {
  const response = await post('/api/graphql', { query: AI_ACTION, variables: { input: { chat: { content: question }, clientSubscriptionId } } }, { Authorization: 'Bearer alice-token' })
  expect(response.status).toBe(200)
}

describe('ActionCable at /-/cable', () => {
  it('welcomes a signed-in socket on the actioncable-v1-json subprotocol, then pings with the time in seconds', async () => {
    const client = cable()
    await client.frame((frame) => frame.type === 'welcome')
    expect(client.socket.protocol).toBe('actioncable-v1-json')
    const ping = (await client.frame((frame) => frame.type === 'ping')) as { message?: unknown }
    expect(Math.abs(Number(ping.message) - Date.now() / 1000)).toBeLessThan(5)
  })

  it('confirms a subscription and streams the answer as results with more: true', async () => {
    server.gateway.scenario({ user: 'alice', text: 'Cable answers stream too.', chunkSize: 5 })
    const client = cable()
    await client.frame((frame) => frame.type === 'welcome')
    const identifier = client.subscribe({ userId: ALICE_ID, aiAction: 'CHAT', clientSubscriptionId: 'cable-1' })
    await client.frame((frame) => frame.identifier === identifier && frame.type === 'confirm_subscription')
    await ask('Hello over the cable', 'cable-1')
    expect(await client.answer(identifier)).toBe('Cable answers stream too.')
    expect(client.frames.filter((frame) => frame.identifier === identifier && frame.message).every((frame) => frame.message!.more === true)).toBe(true)
  })

  it('accepts a bearer token on the socket instead of the cookie', async () => {
    const client = cable({ Authorization: 'Bearer bob-token' })
    await client.frame((frame) => frame.type === 'welcome')
    const identifier = client.subscribe({ userId: BOB_ID })
    await client.frame((frame) => frame.identifier === identifier && frame.type === 'confirm_subscription')
  })

  it("rejects a subscription to another user's answers, which then receives nothing", async () => {
    server.gateway.scenario({ user: 'alice', text: 'For alice only.', chunkSize: 4 })
    const bob = cable({ cookie: '_gitlab_session=bob-session' })
    const alice = cable()
    await bob.frame((frame) => frame.type === 'welcome')
    await alice.frame((frame) => frame.type === 'welcome')
    const forged = bob.subscribe({ userId: ALICE_ID, aiAction: 'CHAT', clientSubscriptionId: 'c-forged' })
    await bob.frame((frame) => frame.identifier === forged && frame.type === 'reject_subscription')
    const own = alice.subscribe({ userId: ALICE_ID, aiAction: 'CHAT', clientSubscriptionId: 'c-forged' })
    await alice.frame((frame) => frame.identifier === own && frame.type === 'confirm_subscription')
    await ask('Secret question', 'c-forged')
    expect(await alice.answer(own)).toBe('For alice only.')
    expect(bob.frames.filter((frame) => frame.identifier === forged)).toEqual([{ identifier: forged, type: 'reject_subscription' }])
  })

  it('rejects a channel other than GraphqlChannel', async () => {
    const client = cable()
    await client.frame((frame) => frame.type === 'welcome')
    const identifier = client.subscribe({ userId: ALICE_ID }, 'ChatChannel')
    await client.frame((frame) => frame.identifier === identifier && frame.type === 'reject_subscription')
  })

  it('answers an invalid document with a result of errors and more: false; the socket stays open', async () => {
    const client = cable()
    await client.frame((frame) => frame.type === 'welcome')
    const identifier = client.subscribe({}, 'GraphqlChannel', 'subscription { nope }')
    const frame = await client.frame((candidate) => candidate.identifier === identifier && candidate.message !== undefined)
    expect(frame.message!.more).toBe(false)
    expect(frame.message!.result!.errors![0]!.message).toContain('nope')
    const next = client.subscribe({ userId: ALICE_ID })
    await client.frame((candidate) => candidate.identifier === next && candidate.type === 'confirm_subscription')
  })

  it('closes a socket without a session with disconnect unauthorized, reconnect: false', async () => {
    const client = cable({})
    const frame = await client.frame((candidate) => candidate.type === 'disconnect')
    expect(frame).toEqual({ type: 'disconnect', reason: 'unauthorized', reconnect: false })
    await client.until(() => client.closed)
  })

  it("refuses a cookie session from a foreign page's socket", async () => {
    const client = cable({ cookie: '_gitlab_session=alice-session', Origin: 'https://evil.example' })
    const frame = await client.frame((candidate) => candidate.type === 'disconnect')
    expect(frame.reason).toBe('unauthorized')
  })

  it('drops the socket where a scenario drops the connection; the answer is still stored', async () => {
    server.gateway.scenario({ user: 'alice', text: 'Dropped midway but kept.', chunkSize: 4, dropConnectionAfterChunk: 2 })
    const client = cable()
    await client.frame((frame) => frame.type === 'welcome')
    const identifier = client.subscribe({ userId: ALICE_ID, aiAction: 'CHAT', clientSubscriptionId: 'c-drop' })
    await client.frame((frame) => frame.identifier === identifier && frame.type === 'confirm_subscription')
    await ask('Drop me', 'c-drop')
    await client.until(() => client.closed)
  })

  it('frees the slot on unsubscribe: the same clientSubscriptionId may subscribe again', async () => {
    const client = cable()
    await client.frame((frame) => frame.type === 'welcome')
    const first = client.subscribe({ userId: ALICE_ID, clientSubscriptionId: 'again' })
    await client.frame((frame) => frame.identifier === first && frame.type === 'confirm_subscription')
    client.socket.send(JSON.stringify({ command: 'unsubscribe', identifier: first }))
    const second = client.subscribe({ userId: ALICE_ID, clientSubscriptionId: 'again' })
    await client.frame((frame) => frame.identifier === second && frame.type === 'confirm_subscription')
    expect(client.frames.some((frame) => frame.identifier === second && frame.message?.result?.errors)).toBe(false)
  })
})

describe('GraphQL over HTTP with a GitLab session', () => {
  const cookie = '_gitlab_session=alice-session'

  it('serves /api/graphql and /graphql alike', async () => {
    for (const path of ['/api/graphql', '/graphql']) {
      const response = await post(path, { query: THREADS }, { Authorization: 'Bearer alice-token' })
      expect(response.status).toBe(200)
    }
  })

  it("needs the session's X-CSRF-Token with a cookie: missing or wrong is HTTP 422", async () => {
    const mutation = { query: AI_ACTION, variables: { input: { chat: { content: 'Hi' }, clientSubscriptionId: 'x' } } }
    expect((await post('/api/graphql', mutation, { cookie })).status).toBe(422)
    expect((await post('/api/graphql', mutation, { cookie, 'X-CSRF-Token': 'bob-csrf-token' })).status).toBe(422)
    const accepted = await post('/api/graphql', mutation, { cookie, 'X-CSRF-Token': 'alice-csrf-token' })
    expect(accepted.status).toBe(200)
    expect(((await accepted.json()) as { data: { aiAction: { errors: string[] } } }).data.aiAction.errors).toEqual([])
  })

  it('a bearer token needs no CSRF token; an unknown session is 401', async () => {
    expect((await post('/api/graphql', { query: THREADS }, { Authorization: 'Bearer alice-token' })).status).toBe(200)
    expect((await post('/api/graphql', { query: THREADS }, { cookie: '_gitlab_session=forged' })).status).toBe(401)
  })
})

describe('a gateway that shuts down', () => {
  it('tells cable clients the server restarts and that they may reconnect', async () => {
    const own = await startGatewayServer({ port: 0, env: {}, timing: { toolMs: 0, chunkDelayMs: 0 } })
    const socket = new WebSocket(own.cableUrl, ['actioncable-v1-json'], { headers: { cookie: '_gitlab_session=alice-session' } })
    const frames: Frame[] = []
    const disconnected = new Promise<Frame>((resolve) =>
      socket.on('message', (data) => {
        const frame = JSON.parse(data.toString()) as Frame
        frames.push(frame)
        if (frame.type === 'welcome') void own.close()
        if (frame.type === 'disconnect') resolve(frame)
      }),
    )
    expect(await disconnected).toEqual({ type: 'disconnect', reason: 'server_restart', reconnect: true })
  })
})
