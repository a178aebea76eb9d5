// @vitest-environment jsdom
// jsdom brings the global WebSocket that msw intercepts (Node 20 has none).
import { createClient, type Client } from 'graphql-ws'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createGatewayHandlers, DEFAULT_MOCK_GRAPHQL_URL } from './browser'
import { createGateway } from './gateway/index'

const gateway = createGateway({ timing: { toolMs: 0, chunkDelayMs: 0, chunkSize: 4 } })
const transport = createGatewayHandlers(gateway)
const server = setupServer(...transport.handlers)
const clients: Client[] = []

const ALICE = 'gid://gitlab/User/1'
const ASK = `mutation ($q: String!, $csid: String, $resourceId: AiModelID) {
  aiAction(input: { chat: { content: $q, resourceId: $resourceId }, clientSubscriptionId: $csid }) { requestId threadId errors }
}`
const ANSWERS = `subscription ($userId: UserID, $csid: String) {
  aiCompletionResponse(userId: $userId, aiAction: CHAT, clientSubscriptionId: $csid) { requestId role type content chunkId errors }
}`

interface Message {
  requestId: string
  role: string
  type: string | null
  content: string
  chunkId: number | null
  errors: string[] | null
}

function post(body: unknown, token: string | null = 'alice-token', url = DEFAULT_MOCK_GRAPHQL_URL) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' }
  if (token) headers.Authorization = `Bearer ${token}`
  return fetch(url, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) })
}

function connect(token: string, onClosed?: (code: number) => void): Client {
  const client = createClient({
    url: transport.wsUrl,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    on: { closed: (event) => onClosed?.((event as CloseEvent).code) },
  })
  clients.push(client)
  return client
}

/** Collects a subscription's messages until `until` says the last one arrived. */
function collect(client: Client, variables: Record<string, unknown>, until: (message: Message) => boolean) {
  const messages: Message[] = []
  let ready!: () => void
  const subscribed = new Promise<void>((resolve) => (ready = resolve))
  const done = new Promise<Message[]>((resolve, reject) => {
    const stop = client.subscribe<{ aiCompletionResponse: Message }>(
      { query: ANSWERS, variables },
      {
        next: (result) => {
          const message = result.data?.aiCompletionResponse
          if (!message) return reject(new Error(JSON.stringify(result.errors)))
          messages.push(message)
          if (until(message)) {
            stop()
            resolve(messages)
          }
        },
        error: reject,
        complete: () => resolve(messages),
      },
    )
  })
  client.on('connected', () => ready())
  return { subscribed, done }
}

describe('the msw transport of the mock gateway', () => {
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
  afterEach(() => gateway.reset())
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()))
    transport.dispose()
    gateway.dispose()
    server.close()
  })

  describe('over HTTP', () => {
    it('runs queries as the user of the Authorization header', async () => {
      const response = await post({ query: '{ aiConversationThreads { nodes { id } } }' })
      expect(response.status).toBe(200)
      expect(await response.json()).toEqual({ data: { aiConversationThreads: { nodes: [] } } })
    })

    it('refuses a missing or unknown token with 401 UNAUTHENTICATED', async () => {
      for (const token of [null, 'nobody-token']) {
        const response = await post({ query: '{ aiConversationThreads { nodes { id } } }' }, token)
        expect(response.status).toBe(401)
        expect((await response.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED')
      }
    })

    it.each([
      ['not JSON', '{', /not valid JSON/],
      ['no query', { variables: {} }, /"query" string/],
      ['a syntax error', { query: '{ aiMessages( }' }, /Syntax Error/],
      ['an unknown field', { query: '{ nope }' }, /Cannot query field "nope"/],
      ['a subscription', { query: ANSWERS }, /served over WebSocket/],
    ])('answers %s with a 400 GraphQL error', async (_name, body, message) => {
      const response = await post(body)
      expect(response.status).toBe(400)
      expect((await response.json()).errors[0].message).toMatch(message)
    })

    it('serves the scenario control API beside the endpoint', async () => {
      const origin = new URL(DEFAULT_MOCK_GRAPHQL_URL).origin
      const bad = await fetch(`${origin}/__mock/scenario`, { method: 'POST', body: JSON.stringify({ user: 'carol' }) })
      expect(bad.status).toBe(400)
      expect((await bad.json()).error).toMatch(/"user" "carol" is not a known user/)
      const ok = await fetch(`${origin}/__mock/scenario`, { method: 'POST', body: JSON.stringify({ user: 'alice', text: 'Scripted' }) })
      expect(await ok.json()).toEqual({ ok: true })
      expect((await fetch(`${origin}/__mock/reset`, { method: 'POST' })).status).toBe(200)
    })

    it('refuses the control routes to a foreign Origin, text/plain or not, without reflecting it', async () => {
      const origin = new URL(DEFAULT_MOCK_GRAPHQL_URL).origin
      for (const contentType of ['text/plain', 'application/json']) {
        const refused = await fetch(`${origin}/__mock/scenario`, {
          method: 'POST',
          headers: { Origin: 'https://evil.example', 'Content-Type': contentType },
          body: JSON.stringify({ user: 'alice', text: 'Scripted by a stranger' }),
        })
        expect(refused.status).toBe(403)
        expect(refused.headers.get('access-control-allow-origin')).toBeNull()
        expect(await refused.json()).toMatchObject({ code: 'M3100' })
      }
      const own = await fetch(`${origin}/__mock/reset`, { method: 'POST', headers: { Origin: origin } })
      expect(own.status).toBe(200)
      expect(own.headers.get('access-control-allow-origin')).toBe(origin)
    })

    it('refuses 700 aliases of aiMessages with the query limits (M4011), as the Node server does', async () => {
      const aliases = Array.from({ length: 700 }, (_, index) => `m${index}: aiMessages { ...M }`).join(' ')
      const response = await post({ query: `{ ${aliases} } fragment M on AiMessageConnection { nodes { content } }` })
      expect(response.status).toBe(400)
      const body = await response.json()
      expect(body.data).toBeUndefined()
      expect(body.errors.map((error: { extensions: { code: string } }) => error.extensions.code)).toContain('M4011')
    })

    it('answers a response that cannot be serialized with 500 and a code', async () => {
      const field = gateway.schema.getQueryType()!.getFields().aiMessages!
      const original = field.resolve
      const metadata: Record<string, unknown> = {}
      metadata.self = metadata
      field.resolve = () => ({ nodes: [{ id: '1', role: 'USER', content: 'hi', extras: { sources: [], additionalContext: [{ id: 'x', category: 'SNIPPET', content: 'c', metadata }] } }] })
      const consoleError = console.error
      console.error = () => {}
      try {
        const response = await post({ query: '{ aiMessages { nodes { content extras { additionalContext { metadata } } } } }' })
        expect(response.status).toBe(500)
        expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'M4020' } }] })
      } finally {
        field.resolve = original
        console.error = consoleError
      }
    })
  })

  describe('over graphql-ws', () => {
    it('streams the agent flow: the tool step and chunks to the asking subscription, the answer to all', async () => {
      const client = connect('alice-token')
      const csid = crypto.randomUUID()
      const own = collect(client, { userId: ALICE, csid }, (m) => m.role === 'ASSISTANT' && m.chunkId === null)
      await own.subscribed
      const response = await post({ query: ASK, variables: { q: 'What is issue #1 about?', csid, resourceId: 'gid://gitlab/Issue/1' } })
      const { requestId } = (await response.json()).data.aiAction
      const messages = (await own.done).filter((m) => m.requestId === requestId)

      expect(messages.find((m) => m.role === 'SYSTEM')).toMatchObject({ type: 'TOOL', content: 'Issue Reader' })
      const chunks = messages.filter((m) => m.chunkId !== null)
      expect(chunks.length).toBeGreaterThan(1)
      const answer = messages.at(-1)!
      expect(answer.content).toContain('Checkout button unresponsive on Safari')
      expect(chunks.map((c) => c.content).join('')).toBe(answer.content)
    })

    it('answers once however often one socket subscribes with the same clientSubscriptionId (M1013 for the extras)', async () => {
      const client = connect('alice-token')
      const csid = crypto.randomUUID()
      const first = collect(client, { userId: ALICE, csid }, (m) => m.role === 'ASSISTANT' && m.chunkId === null)
      await first.subscribed
      const refusals = await Promise.all(
        Array.from({ length: 20 }, () => new Promise<unknown>((resolve) => client.subscribe({ query: ANSWERS, variables: { userId: ALICE, csid } }, { next: () => {}, error: resolve, complete: () => resolve(null) }))),
      )
      expect(refusals.map((errors) => JSON.stringify(errors).match(/Error code: ([AGM]\d{4})/)?.[1])).toEqual(Array(20).fill('M1013'))
      gateway.scenario({ user: 'alice', text: 'only once', chunkSize: 4 })
      const response = await post({ query: ASK, variables: { q: 'Hello', csid } })
      const { requestId } = (await response.json()).data.aiAction
      const messages = (await first.done).filter((m) => m.requestId === requestId && m.role === 'ASSISTANT')
      expect(messages.map((m) => m.chunkId)).toEqual([1, 2, 3, null])
      await client.dispose()
    })

    it('closes with 4403 for an unknown token', async () => {
      const code = await new Promise<number>((resolve) => {
        const client = connect('nobody-token', resolve)
        client.subscribe({ query: ANSWERS, variables: { userId: ALICE } }, { next: () => {}, error: () => {}, complete: () => {} })
      })
      expect(code).toBe(4403)
    })

    it("refuses a subscription to another user's answers", async () => {
      const client = connect('bob-token')
      const error = await new Promise<unknown>((resolve) => {
        client.subscribe({ query: ANSWERS, variables: { userId: ALICE } }, { next: (result) => resolve(result.errors), error: resolve, complete: () => resolve(null) })
      })
      expect(JSON.stringify(error)).toContain('your own user id')
    })

    it('drops the user\'s sockets with 1006 after chunk N of a scripted answer', async () => {
      let closedWith = 0
      const client = connect('alice-token', (code) => (closedWith = code))
      const csid = crypto.randomUUID()
      const own = collect(client, { userId: ALICE, csid }, () => false)
      const ended = own.done.catch((event: CloseEvent) => event.code)
      await own.subscribed
      expect(transport.openSockets().get(ALICE)).toBe(1)
      gateway.scenario({ user: 'alice', text: 'one two three four five', chunkSize: 4, dropConnectionAfterChunk: 2 })
      await post({ query: ASK, variables: { q: 'Hello', csid } })
      expect(await ended).toBe(1006)
      expect(closedWith).toBe(1006)
      expect(transport.openSockets().get(ALICE)).toBeUndefined()
    })
  })
})
