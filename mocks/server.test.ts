/**
 * The Node transport against real HTTP and WebSocket connections on a free loopback port:
 * hostile and malformed input is answered with GraphQL errors (never a crash), tokens are checked
 * on both transports, a dropped connection loses no answer, and the fan-out shares executions
 * without mixing results.
 */
import { parse, subscribe, type ExecutionResult } from 'graphql'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { WebSocket } from 'ws'
import type { AuditRecord } from './gateway/audit'
import { countChunks, seededRandom } from './gateway/chunking'
import { gatewayOptionsFromEnv, MAX_BODY_BYTES, startGatewayServer, type GatewayServer } from './server'

const ALICE_ID = 'gid://gitlab/User/1'
const BOB_ID = 'gid://gitlab/User/2'
const MESSAGE_FIELDS = 'id requestId role content errors chunkId threadId'
const SUBSCRIPTION = `subscription ($userId: UserID, $aiAction: AiAction, $clientSubscriptionId: String) {
  aiCompletionResponse(userId: $userId, aiAction: $aiAction, clientSubscriptionId: $clientSubscriptionId) { ${MESSAGE_FIELDS} }
}`
const AI_ACTION = 'mutation ($input: AiActionInput!) { aiAction(input: $input) { requestId threadId errors } }'
const MESSAGES = `query ($requestIds: [ID!]) { aiMessages(requestIds: $requestIds) { nodes { ${MESSAGE_FIELDS} } } }`

let server: GatewayServer
let audit: AuditRecord[] = []

beforeAll(async () => {
  server = await startGatewayServer({
    port: 0,
    env: {},
    timing: { toolMs: 0, chunkDelayMs: 0, chunkSize: 6 },
    audit: (record) => audit.push(record),
  })
})
afterAll(async () => {
  await server.close()
})
afterEach(() => {
  server.gateway.reset()
  audit = []
})

async function post(body: string | object, headers: Record<string, string> = { Authorization: 'Bearer alice-token' }) {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  return { status: response.status, body: (await response.json()) as { data?: Record<string, unknown>; errors?: { message: string; extensions?: { code?: string } }[] } }
}

async function expectAlive(): Promise<void> {
  expect((await fetch(`${server.origin}/health`)).status).toBe(200)
  const { body } = await post({ query: '{ aiConversationThreads { nodes { id } } }' })
  expect(body.errors).toBeUndefined()
}

/** A graphql-transport-ws client on a raw socket, so that tests can also send what no library would. */
interface Peer {
  socket: WebSocket
  /** Every message received, parsed. */
  received: { id?: string; type: string; payload?: unknown }[]
  waitFor(predicate: (message: Peer['received'][number]) => boolean): Promise<Peer['received'][number]>
  closed: Promise<{ code: number; reason: string }>
  send(message: unknown): void
}

async function connect(authorization: string | null = 'Bearer alice-token', init = true): Promise<Peer> {
  const socket = new WebSocket(server.wsUrl, 'graphql-transport-ws')
  const received: Peer['received'] = []
  const waiters: { predicate: (message: Peer['received'][number]) => boolean; resolve: (message: Peer['received'][number]) => void }[] = []
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })))
  socket.on('message', (raw) => {
    const message = JSON.parse(String(raw)) as Peer['received'][number]
    received.push(message)
    for (const waiter of [...waiters]) {
      if (waiter.predicate(message)) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(message)
      }
    }
  })
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  const peer: Peer = {
    socket,
    received,
    closed,
    send: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    waitFor(predicate) {
      const seen = received.find(predicate)
      return seen ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ predicate, resolve }))
    },
  }
  if (init) {
    peer.send({ type: 'connection_init', payload: authorization === null ? {} : { authorization } })
  }
  return peer
}

async function subscribeChat(peer: Peer, id: string, clientSubscriptionId: string | null, userId = ALICE_ID, query = SUBSCRIPTION): Promise<void> {
  await peer.waitFor((message) => message.type === 'connection_ack')
  peer.send({ id, type: 'subscribe', payload: { query, variables: { userId, aiAction: 'CHAT', clientSubscriptionId } } })
}

type Message = { requestId: string; role: string; chunkId: number | null; content: string; errors: string[] }
const messageOf = (frame: Peer['received'][number]) => (frame.payload as { data: { aiCompletionResponse: Message } }).data.aiCompletionResponse

/** An in-process subscription: it survives dropped sockets, so tests can await the end of an answer. */
async function watch(userId = ALICE_ID, token = 'alice-token') {
  const result = await subscribe({
    schema: server.gateway.schema,
    document: parse(SUBSCRIPTION),
    variableValues: { userId, aiAction: 'CHAT' },
    contextValue: server.gateway.context(server.gateway.authenticate(token)),
  })
  if (!(Symbol.asyncIterator in result)) throw new Error('refused')
  const iterator = result as AsyncGenerator<ExecutionResult>
  return {
    async answerOf(requestId: string): Promise<Message> {
      for (;;) {
        const { value } = await iterator.next()
        const message = (value as ExecutionResult).data?.aiCompletionResponse as Message
        if (message.requestId === requestId && message.role === 'ASSISTANT' && message.chunkId === null) return message
      }
    },
    close: () => iterator.return(undefined),
  }
}

describe('malformed input over HTTP', () => {
  it.each([
    ['invalid JSON', '{"query": ', 400, /not valid JSON/],
    ['an empty body', '', 400, /empty/],
    ['a JSON array (batch)', '[{"query": "{ __typename }"}]', 400, /JSON object/],
    ['a JSON string', '"{ __typename }"', 400, /JSON object/],
    ['no query', '{"variables": {}}', 400, /"query" string/],
    ['a query that is not a string', '{"query": 42}', 400, /"query" string/],
    ['variables that are not an object', '{"query": "{ __typename }", "variables": "x"}', 400, /"variables" must be a JSON object/],
    ['variables that are a list', '{"query": "{ __typename }", "variables": [1]}', 400, /"variables" must be a JSON object/],
    ['an operationName that is not a string', '{"query": "{ __typename }", "operationName": 1}', 400, /"operationName" must be a string/],
    ['a syntax error', '{"query": "{ aiMessages { "}', 400, /Syntax Error/],
    ['an unknown field', '{"query": "{ secrets }"}', 400, /Cannot query field "secrets"/],
    ['a document with too many tokens', JSON.stringify({ query: `{ ${'__typename '.repeat(20_000)}}` }), 400, /more that 10000 tokens|more than 10000 tokens/],
    ['a subscription', JSON.stringify({ query: SUBSCRIPTION, variables: { userId: ALICE_ID } }), 400, /WebSocket/],
  ])('answers %s with a 400 GraphQL error', async (_case, body, status, message) => {
    const response = await post(body)
    expect(response.status).toBe(status)
    expect(response.body.errors?.[0]?.message).toMatch(message)
    expect(response.body.data).toBeUndefined()
    await expectAlive()
  })

  it.each([
    ['a wrong type inside the input', { chat: { content: 12 } }, /String cannot represent/],
    ['an object where an id goes', { chat: { content: 'hi', resourceId: { $ne: null } } }, /AiModelID must be a string/],
    ['a missing required field', { chat: {} }, /content/],
  ])('answers %s with a GraphQL error and no data', async (_case, input, message) => {
    const response = await post({ query: AI_ACTION, variables: { input } })
    expect(response.status).toBe(200)
    expect(response.body.data).toBeUndefined()
    expect(response.body.errors?.[0]?.message).toMatch(message)
    await expectAlive()
  })

  it('answers a body over the limit with 413, having read it to the end', async () => {
    const response = await post(JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(MAX_BODY_BYTES) } }))
    expect(response).toEqual({ status: 413, body: { errors: [{ message: 'The request body is larger than 1,000,000 bytes.', extensions: { code: 'PAYLOAD_TOO_LARGE' } }] } })
    await expectAlive()
  })

  it('answers other methods with 405', async () => {
    const response = await fetch(server.url)
    expect(response.status).toBe(405)
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'METHOD_NOT_ALLOWED' } }] })
  })

  it('hides the text of unexpected resolver errors', async () => {
    const field = server.gateway.schema.getQueryType()?.getFields().aiConversationThreads
    const original = field?.resolve
    if (!field) throw new Error('no field')
    field.resolve = () => {
      throw new Error('SELECT * FROM secrets WHERE user = bob')
    }
    const consoleError = console.error
    console.error = () => {}
    try {
      const response = await post({ query: '{ aiConversationThreads { nodes { id } } }' })
      expect(response.status).toBe(200)
      expect(response.body.errors).toEqual([expect.objectContaining({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } })])
      expect(JSON.stringify(response.body)).not.toContain('secrets')
    } finally {
      field.resolve = original
      console.error = consoleError
    }
  })
})

describe('tokens', () => {
  it.each([
    ['no Authorization header', {}],
    ['an unknown token', { Authorization: 'Bearer mallory-token' }],
    ['an empty bearer', { Authorization: 'Bearer ' }],
  ])('refuses HTTP requests with %s with 401 and audits it', async (_case, headers) => {
    const response = await post({ query: '{ aiConversationThreads { nodes { id } } }' }, headers)
    expect(response).toEqual({ status: 401, body: { errors: [{ message: 'Invalid or missing bearer token', extensions: { code: 'UNAUTHENTICATED' } }] } })
    expect(audit).toEqual([{ time: expect.any(String), level: 'warn', event: 'auth_failed', transport: 'http', userId: null }])
  })

  it.each([
    ['an unknown token', 'Bearer mallory-token'],
    ['no token', null],
  ])('closes a WebSocket that connects with %s (4403) and audits it', async (_case, authorization) => {
    const peer = await connect(authorization)
    expect(await peer.closed).toEqual({ code: 4403, reason: 'Forbidden' })
    expect(audit).toMatchObject([{ event: 'auth_failed', transport: 'ws', userId: null }])
  })

  it('refuses a subscription before connection_init (4401)', async () => {
    const peer = await connect(null, false)
    peer.send({ id: '1', type: 'subscribe', payload: { query: SUBSCRIPTION, variables: { userId: ALICE_ID } } })
    expect((await peer.closed).code).toBe(4401)
  })

  it("refuses a subscription for another user's id over ws, and the socket stays usable", async () => {
    const peer = await connect()
    await subscribeChat(peer, 'theirs', null, BOB_ID)
    // graphql-ws sends a refused subscription as a `next` with errors, then `complete`.
    const refusal = await peer.waitFor((message) => message.id === 'theirs' && message.type === 'next')
    await peer.waitFor((message) => message.id === 'theirs' && message.type === 'complete')
    expect(refusal.payload).toEqual({
      errors: [expect.objectContaining({ message: 'You can only subscribe to AI responses for your own user id.', extensions: { code: 'FORBIDDEN' } })],
    })
    expect(JSON.stringify(peer.received)).not.toContain('bob')

    await subscribeChat(peer, 'mine', 'tab')
    const payload = (await post({ query: AI_ACTION, variables: { input: { chat: { content: 'hello' }, clientSubscriptionId: 'tab' } } })).body.data?.aiAction as { requestId: string }
    await peer.waitFor((message) => message.id === 'mine' && message.type === 'next' && messageOf(message).requestId === payload.requestId && messageOf(message).role === 'ASSISTANT' && messageOf(message).chunkId === null)
    peer.socket.close()
  })
})

describe('malformed input over WebSocket', () => {
  it('answers a bad document with an error for that operation and keeps the socket open', async () => {
    const peer = await connect()
    await peer.waitFor((message) => message.type === 'connection_ack')
    peer.send({ id: 'syntax', type: 'subscribe', payload: { query: 'subscription { aiCompletionResponse( }' } })
    peer.send({ id: 'unknown', type: 'subscribe', payload: { query: 'subscription { secrets }' } })
    peer.send({ id: 'huge', type: 'subscribe', payload: { query: `{ ${'__typename '.repeat(20_000)}}` } })
    peer.send({ id: 'types', type: 'subscribe', payload: { query: SUBSCRIPTION, variables: { userId: { $gt: '' }, aiAction: 'CHAT' } } })

    const errorOf = async (id: string) => JSON.stringify((await peer.waitFor((message) => message.id === id && (message.type === 'error' || message.type === 'next'))).payload)
    expect(await errorOf('syntax')).toMatch(/Syntax Error/)
    expect(await errorOf('unknown')).toMatch(/Cannot query field/)
    expect(await errorOf('huge')).toMatch(/10000 tokens/)
    expect(await errorOf('types')).toMatch(/UserID must be a string/)
    expect(peer.socket.readyState).toBe(WebSocket.OPEN)
    peer.socket.close()
    await expectAlive()
  })

  it('closes the socket for a message that is not graphql-transport-ws (4400), and the server carries on', async () => {
    const peer = await connect()
    await peer.waitFor((message) => message.type === 'connection_ack')
    peer.send('this is not JSON')
    expect((await peer.closed).code).toBe(4400)
    await expectAlive()
  })

  it('closes the socket for a message over the size limit (1009), and the server carries on', async () => {
    const peer = await connect()
    await peer.waitFor((message) => message.type === 'connection_ack')
    const consoleError = console.error
    console.error = () => {}
    try {
      peer.send({ id: 'big', type: 'subscribe', payload: { query: `{ __typename }`, variables: { pad: 'x'.repeat(MAX_BODY_BYTES) } } })
      expect((await peer.closed).code).toBe(1009)
    } finally {
      console.error = consoleError
    }
    await expectAlive()
  })
})

describe('a dropped connection loses no answer', () => {
  it.each([
    ['a scripted answer', { text: 'The quick brown fox jumps over the lazy dog.', chunkSize: 5 }, 'What is up?', 'The quick brown fox jumps over the lazy dog.'],
    ['the agent with a tool', { chunkSize: 10 }, 'What is issue #1 about?', 'Checkout button unresponsive on Safari'],
  ])('with %s: the socket drops after chunk 2, the agent finishes, and aiMessages(requestIds) has the final answer', async (_case, scenario, question, expected) => {
    const peer = await connect()
    await subscribeChat(peer, 'chat', 'tab-1')
    const watcher = await watch()
    server.gateway.scenario({ user: 'alice', dropConnectionAfterChunk: 2, ...scenario })
    const { body } = await post({ query: AI_ACTION, variables: { input: { chat: { content: question }, clientSubscriptionId: 'tab-1' } } })
    const { requestId } = body.data?.aiAction as { requestId: string }

    expect((await peer.closed).code).toBe(1006) // terminated, like a network failure
    const final = await watcher.answerOf(requestId)
    await watcher.close()
    expect(final.content).toContain(expected)
    const chunksSeen = peer.received.filter((message) => message.type === 'next' && messageOf(message).chunkId !== null)
    expect(chunksSeen.length).toBeLessThanOrEqual(2)
    expect(peer.received.some((message) => message.type === 'next' && messageOf(message).role === 'ASSISTANT' && messageOf(message).chunkId === null)).toBe(false)

    // The client reconnects and recovers the answer from history.
    const recovered = await post({ query: MESSAGES, variables: { requestIds: [requestId] } })
    const nodes = (recovered.body.data?.aiMessages as { nodes: Message[] }).nodes
    expect(nodes.map((node) => node.role)).toEqual(['USER', 'ASSISTANT'])
    expect(nodes[1]).toMatchObject({ requestId, chunkId: null, errors: [], content: final.content })
    const forBob = await post({ query: MESSAGES, variables: { requestIds: [requestId] } }, { Authorization: 'Bearer bob-token' })
    expect(forBob.body).toEqual({ data: { aiMessages: { nodes: [] } } })

    const again = await connect()
    await subscribeChat(again, 'chat', 'tab-1')
    await again.waitFor((message) => message.type === 'connection_ack')
    again.socket.close()
    expect(audit.filter((record) => record.event === 'ai_action')).toMatchObject([{ requestId, outcome: 'answered' }])
  })
})

describe('chaos: 100 answers, each with the connection dropped at a random chunk', () => {
  it('stores every answer complete and exactly once, recoverable by its owner after reconnecting', async () => {
    const random = seededRandom('dropped connections')
    const watcher = await watch()
    for (let round = 0; round < 100; round += 1) {
      const text = `Answer ${round}: ${'lorem ipsum '.repeat(1 + Math.floor(random() * 8))}`.trim()
      const chunkSize = 1 + Math.floor(random() * 6)
      const chunks = countChunks(text, chunkSize)
      const dropAfter = 1 + Math.floor(random() * chunks)
      const peer = await connect()
      await subscribeChat(peer, 'chat', `tab-${round}`)
      server.gateway.scenario({ user: 'alice', text, chunkSize, dropConnectionAfterChunk: dropAfter, order: round % 3 === 0 ? 'shuffled' : 'in-order' })
      const { body } = await post({ query: AI_ACTION, variables: { input: { chat: { content: `question ${round}` }, clientSubscriptionId: `tab-${round}` } } })
      const { requestId } = body.data?.aiAction as { requestId: string }

      await peer.closed
      expect((await watcher.answerOf(requestId)).content).toBe(text)
      const nodes = ((await post({ query: MESSAGES, variables: { requestIds: [requestId] } })).body.data?.aiMessages as { nodes: Message[] }).nodes
      expect(nodes.map((node) => [node.role, node.content])).toEqual([
        ['USER', `question ${round}`],
        ['ASSISTANT', text],
      ])
    }
    await watcher.close()
    expect(audit.filter((record) => record.event === 'ai_action' && record.outcome === 'answered')).toHaveLength(100)
  })
})

describe('fan-out', () => {
  it("shares one execution per event between a user's subscriptions but gives each its own selection", async () => {
    const full = await connect()
    const slim = await connect()
    await subscribeChat(full, 'a', 'tab')
    await subscribeChat(slim, 'b', 'tab', ALICE_ID, SUBSCRIPTION.replace(MESSAGE_FIELDS, 'chunkId content role requestId'))
    const bob = await connect('Bearer bob-token')
    await subscribeChat(bob, 'c', 'tab', BOB_ID)
    server.gateway.scenario({ user: 'alice', text: 'abcdefghij', chunkSize: 5 })
    const { body } = await post({ query: AI_ACTION, variables: { input: { chat: { content: 'q' }, clientSubscriptionId: 'tab' } } })
    const { requestId } = body.data?.aiAction as { requestId: string }
    const isFinal = (message: Peer['received'][number]) =>
      message.type === 'next' && messageOf(message).requestId === requestId && messageOf(message).role === 'ASSISTANT' && messageOf(message).chunkId === null

    const [fullFinal, slimFinal] = await Promise.all([full.waitFor(isFinal), slim.waitFor(isFinal)])
    expect(Object.keys(messageOf(fullFinal)).sort()).toEqual(['chunkId', 'content', 'errors', 'id', 'requestId', 'role', 'threadId'])
    expect(Object.keys(messageOf(slimFinal)).sort()).toEqual(['chunkId', 'content', 'requestId', 'role'])
    expect(messageOf(slimFinal).content).toBe('abcdefghij')
    expect(bob.received.filter((message) => message.type === 'next')).toEqual([])
    for (const peer of [full, slim, bob]) peer.socket.close()
  })
})

describe('configuration from the environment', () => {
  it('builds the provider chain, breaker and rate limit from GATEWAY_* variables', () => {
    const options = gatewayOptionsFromEnv({
      GATEWAY_OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1',
      GATEWAY_OPENAI_MODEL: 'llama3.2',
      GATEWAY_PROVIDER_FAILURE_RATE: '0.5',
      GATEWAY_BREAKER_FAILURES: '3',
      GATEWAY_BREAKER_COOLDOWN_MS: '2000',
      GATEWAY_RATE_LIMIT_PER_MINUTE: '30',
    })
    expect(options.providers?.map((provider) => provider.name)).toEqual(['flaky openai:llama3.2', 'scripted'])
    expect(options.breaker).toEqual({ failureThreshold: 3, cooldownMs: 2000 })
    expect(options.limits).toEqual({ rate: { perMinute: 30, burst: 1000 } })
    expect(gatewayOptionsFromEnv({ GATEWAY_OPENAI_BASE_URL: 'http://127.0.0.1:1/v1', GATEWAY_OPENAI_MODEL: 'm', GATEWAY_OPENAI_FALLBACK: 'none' }).providers?.map((p) => p.name)).toEqual([
      'openai:m',
    ])
    expect(gatewayOptionsFromEnv({ GATEWAY_RATE_LIMIT: 'off' }).limits).toEqual({ rate: null })
    expect(gatewayOptionsFromEnv({})).toEqual({})
  })

  it.each([
    [{ GATEWAY_PROVIDER_FAILURE_RATE: '2' }, /GATEWAY_PROVIDER_FAILURE_RATE/],
    [{ GATEWAY_BREAKER_FAILURES: '0' }, /GATEWAY_BREAKER_FAILURES/],
    [{ GATEWAY_OPENAI_BASE_URL: 'http://127.0.0.1:1/v1', GATEWAY_OPENAI_MODEL: 'm', GATEWAY_OPENAI_FALLBACK: 'maybe' }, /GATEWAY_OPENAI_FALLBACK/],
  ])('rejects %j with a message naming the variable', (env, message) => {
    expect(() => gatewayOptionsFromEnv(env)).toThrow(message)
  })

  it('writes the audit trail as JSON lines to stdout with GATEWAY_AUDIT_LOG=1', async () => {
    const written: string[] = []
    const write = process.stdout.write.bind(process.stdout)
    process.stdout.write = ((chunk: string) => {
      written.push(String(chunk))
      return true
    }) as typeof process.stdout.write
    const logging = await startGatewayServer({ port: 0, env: { GATEWAY_AUDIT_LOG: '1' }, timing: { toolMs: 0, chunkDelayMs: 0 } })
    try {
      const response = await fetch(logging.url, { method: 'POST', headers: { Authorization: 'Bearer nope' }, body: '{}' })
      expect(response.status).toBe(401)
    } finally {
      process.stdout.write = write
      await logging.close()
    }
    expect(written.map((line) => JSON.parse(line) as unknown)).toEqual([{ time: expect.any(String), level: 'warn', event: 'auth_failed', transport: 'http', userId: null }])
  })
})

describe('fan-out amplification (issue 13, item 2)', () => {
  const codeOf = (frame: Peer['received'][number]) => JSON.stringify(frame.payload).match(/Error code: ([AGM]\d{4})/)?.[1]

  it('answers once when one socket subscribes 2,000 times with the same clientSubscriptionId; the extras get M1013', async () => {
    const peer = await connect()
    await peer.waitFor((message) => message.type === 'connection_ack')
    for (let index = 0; index < 2_000; index += 1) {
      peer.send({ id: `dup-${index}`, type: 'subscribe', payload: { query: SUBSCRIPTION, variables: { userId: ALICE_ID, aiAction: 'CHAT', clientSubscriptionId: 'same' } } })
    }
    let refused = 0
    await peer.waitFor((message) => message.type === 'error' && ++refused >= 1_999)
    const errors = peer.received.filter((message) => message.type === 'error')
    expect(errors).toHaveLength(1_999)
    expect(new Set(errors.map(codeOf))).toEqual(new Set(['M1013']))
    expect(JSON.stringify(errors[0]!.payload)).toMatch(/already open on this connection/)

    server.gateway.scenario({ user: 'alice', text: 'abcdefghij', chunkSize: 5 })
    const { body } = await post({ query: AI_ACTION, variables: { input: { chat: { content: 'q' }, clientSubscriptionId: 'same' } } })
    const { requestId } = body.data?.aiAction as { requestId: string }
    await peer.waitFor((message) => message.type === 'next' && messageOf(message).requestId === requestId && messageOf(message).role === 'ASSISTANT' && messageOf(message).chunkId === null)
    // The user's question, two chunks and the answer: each exactly once.
    const frames = peer.received.filter((message) => message.type === 'next' && messageOf(message).requestId === requestId)
    expect(frames.map((frame) => [frame.id, messageOf(frame).role, messageOf(frame).chunkId])).toEqual([
      ['dup-0', 'USER', null],
      ['dup-0', 'ASSISTANT', 1],
      ['dup-0', 'ASSISTANT', 2],
      ['dup-0', 'ASSISTANT', null],
    ])
    peer.socket.close()
    await expectAlive()
  })

  it('refuses a clientSubscriptionId longer than aiAction accepts (M1014), inline or in a variable', async () => {
    const peer = await connect()
    const long = 'x'.repeat(900_000)
    await subscribeChat(peer, 'long', long)
    peer.send({ id: 'inline', type: 'subscribe', payload: { query: `subscription { aiCompletionResponse(userId: "${ALICE_ID}", clientSubscriptionId: "${'y'.repeat(256)}") { id } }` } })
    await subscribeChat(peer, 'uuid', crypto.randomUUID())
    const errors = await Promise.all(['long', 'inline'].map((id) => peer.waitFor((message) => message.id === id && message.type === 'error')))
    expect(errors.map(codeOf)).toEqual(['M1014', 'M1014'])
    expect(JSON.stringify(errors[0]!.payload)).toMatch(/900,000 characters long, over the limit of 255/)
    expect(JSON.stringify(errors[0]!.payload).length).toBeLessThan(1_000)
    expect(peer.received.some((message) => message.id === 'uuid' && message.type === 'error')).toBe(false)
    peer.socket.close()
  })

  it('admits at most 50 subscriptions per socket (M1011), and frees a slot when one completes', async () => {
    const peer = await connect()
    await peer.waitFor((message) => message.type === 'connection_ack')
    for (let index = 0; index < 60; index += 1) await subscribeChat(peer, `s-${index}`, `tab-${index}`)
    let refused = 0
    await peer.waitFor((message) => message.type === 'error' && ++refused >= 10)
    const errors = peer.received.filter((message) => message.type === 'error')
    expect(errors.map((frame) => frame.id)).toEqual(Array.from({ length: 10 }, (_, index) => `s-${50 + index}`))
    expect(new Set(errors.map(codeOf))).toEqual(new Set(['M1011']))
    expect(JSON.stringify(errors[0]!.payload)).toMatch(/the limit is 50/)

    peer.send({ id: 's-0', type: 'complete' })
    await subscribeChat(peer, 'again', 'tab-again')
    server.gateway.scenario({ user: 'alice', text: 'hello there', chunkSize: 20 })
    const { body } = await post({ query: AI_ACTION, variables: { input: { chat: { content: 'q' }, clientSubscriptionId: 'tab-again' } } })
    const { requestId } = body.data?.aiAction as { requestId: string }
    await peer.waitFor((message) => message.id === 'again' && message.type === 'next' && messageOf(message).requestId === requestId && messageOf(message).chunkId === 1)
    expect(peer.received.some((message) => message.id === 'again' && message.type === 'error')).toBe(false)
    peer.socket.close()
  })

  it('caps a user over all their sockets (M1012), counts nobody else, and frees the slots of a closed socket', async () => {
    const limited = await startGatewayServer({ port: 0, env: {}, timing: { toolMs: 0, chunkDelayMs: 0 }, subscriptionLimits: { perConnection: 3, perUser: 4 } })
    const open = async (token: string) => {
      const socket = new WebSocket(limited.wsUrl, 'graphql-transport-ws')
      const received: Peer['received'] = []
      const waiting = new Map<string, (message: Peer['received'][number]) => void>()
      socket.on('message', (raw) => {
        const message = JSON.parse(String(raw)) as Peer['received'][number]
        received.push(message)
        waiting.get(message.id ?? message.type)?.(message)
      })
      const replyTo = (key: string) => new Promise<Peer['received'][number]>((resolve) => waiting.set(key, resolve))
      await new Promise((resolve) => socket.once('open', resolve))
      const acked = replyTo('connection_ack')
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }))
      await acked
      const subscribe = (id: string, userId: string, clientSubscriptionId = id) =>
        socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query: SUBSCRIPTION, variables: { userId, aiAction: 'CHAT', clientSubscriptionId } } }))
      return { socket, received, subscribe, replyTo }
    }
    try {
      const first = await open('alice-token')
      const second = await open('alice-token')
      const bob = await open('bob-token')
      for (const id of ['a1', 'a2', 'a3']) first.subscribe(id, ALICE_ID)
      for (const id of ['b1', 'b2', 'b3']) second.subscribe(id, ALICE_ID)
      for (const id of ['c1', 'c2', 'c3']) bob.subscribe(id, BOB_ID)
      await vi.waitFor(() => expect(second.received.filter((message) => message.type === 'error')).toHaveLength(2))
      expect(second.received.filter((message) => message.type === 'error').map((message) => [message.id, codeOf(message)])).toEqual([
        ['b2', 'M1012'],
        ['b3', 'M1012'],
      ])
      expect(first.received.filter((message) => message.type === 'error')).toEqual([])

      // Once the server has seen the first socket go, its three slots are free. An admitted
      // subscription sends nothing, so a probe with the same clientSubscriptionId tells: M1013.
      first.socket.close()
      let attempt = 0
      await vi.waitFor(async () => {
        const id = `retry-${attempt++}`
        const probe = second.replyTo(`${id}-probe`)
        second.subscribe(id, ALICE_ID)
        second.subscribe(`${id}-probe`, ALICE_ID, id)
        expect(codeOf(await probe)).toBe('M1013')
      })
      // bob's three were admitted all along: the cap is per user.
      expect(bob.received.filter((message) => message.type === 'error')).toEqual([])
      for (const peer of [second, bob]) peer.socket.close()
    } finally {
      await limited.close()
    }
  })
})

describe('control routes locked down (issue 13, item 4)', () => {
  const DEMO = 'http://127.0.0.1:5173'
  let locked: GatewayServer
  beforeAll(async () => {
    locked = await startGatewayServer({ port: 0, env: {}, timing: { toolMs: 0, chunkDelayMs: 0 }, controlOrigins: [DEMO] })
  })
  afterAll(() => locked.close())
  afterEach(() => locked.gateway.reset())

  /** A raw HTTP request, so that tests can send any Host, as a rebound DNS name would. */
  function control(path: string, { method = 'POST', headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
    const port = new URL(locked.origin).port
    return new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>((resolve, reject) => {
      const request = httpRequest({ host: '127.0.0.1', port, path, method, headers: { Host: `127.0.0.1:${port}`, ...headers } }, (response) => {
        let text = ''
        response.setEncoding('utf8')
        response.on('data', (chunk: string) => (text += chunk))
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }))
      })
      request.on('error', reject)
      request.end(body)
    })
  }

  const scripted = JSON.stringify({ user: 'alice', text: 'Click https://evil.example/login to continue.' })

  /** The text alice's next question gets: the scripted phishing text only if the scenario went through. */
  async function nextAnswer(): Promise<string> {
    const viewer = locked.gateway.authenticate('alice-token')
    const stream = await subscribe({ schema: locked.gateway.schema, document: parse(SUBSCRIPTION), variableValues: { userId: ALICE_ID, aiAction: 'CHAT' }, contextValue: locked.gateway.context(viewer) })
    const iterator = stream as AsyncGenerator<ExecutionResult>
    const started = await fetch(locked.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer alice-token' },
      body: JSON.stringify({ query: AI_ACTION, variables: { input: { chat: { content: 'hello' } } } }),
    })
    const { requestId } = ((await started.json()) as { data: { aiAction: { requestId: string } } }).data.aiAction
    for (;;) {
      const message = ((await iterator.next()).value as ExecutionResult).data?.aiCompletionResponse as Message
      if (message.requestId === requestId && message.role === 'ASSISTANT' && message.chunkId === null) {
        await iterator.return(undefined)
        return message.content
      }
    }
  }

  it.each([
    ['a foreign Origin with text/plain (no preflight)', { Origin: 'https://evil.example', 'Content-Type': 'text/plain' }, 'M3100'],
    ['a foreign Origin with JSON', { Origin: 'https://evil.example', 'Content-Type': 'application/json' }, 'M3100'],
    ['Origin: null (a sandboxed frame)', { Origin: 'null', 'Content-Type': 'text/plain' }, 'M3100'],
    ['another port of the same host', { Origin: 'http://127.0.0.1:9999', 'Content-Type': 'text/plain' }, 'M3100'],
    ['a cross-site browser request without Origin', { 'Sec-Fetch-Site': 'cross-site', 'Content-Type': 'text/plain' }, 'M3100'],
    ['a rebound DNS name as Host', { Host: 'attacker.example:80', 'Content-Type': 'application/json' }, 'M3101'],
    ['a rebound DNS name as Host, with its own Origin', { Host: 'attacker.example', Origin: 'http://attacker.example', 'Content-Type': 'text/plain' }, 'M3101'],
  ])('refuses %s with 403 and a code, reflects no Origin, and changes nothing', async (_case, headers, code) => {
    const response = await control('/__mock/scenario', { headers, body: scripted })
    expect(response.status).toBe(403)
    expect(JSON.parse(response.body)).toEqual({ error: expect.stringContaining(`Error code: ${code}`), code })
    expect(response.headers['access-control-allow-origin']).toBeUndefined()
    expect(await nextAnswer()).not.toContain('evil.example')
  })

  it('refuses a foreign reset, so nobody’s history is wiped', async () => {
    await nextAnswer()
    const threads = async () =>
      ((await (await fetch(locked.url, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer alice-token' }, body: JSON.stringify({ query: '{ aiConversationThreads { nodes { id } } }' }) })).json()) as { data: { aiConversationThreads: { nodes: unknown[] } } }).data.aiConversationThreads.nodes
    expect(await threads()).toHaveLength(1)
    const response = await control('/__mock/reset', { headers: { Origin: 'https://evil.example' } })
    expect(response.status).toBe(403)
    expect(await threads()).toHaveLength(1)
  })

  it('answers a foreign preflight without any CORS grant', async () => {
    const response = await control('/__mock/scenario', { method: 'OPTIONS', headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' } })
    expect(response.status).toBe(403)
    expect(response.headers['access-control-allow-origin']).toBeUndefined()
    expect(response.headers['access-control-allow-methods']).toBeUndefined()
  })

  it.each([
    ['a script with no Origin (curl, Playwright request)', { 'Content-Type': 'application/json' }],
    ['a script with no Origin sending text/plain', { 'Content-Type': 'text/plain' }],
    ['Host localhost', { Host: 'localhost:PORT', 'Content-Type': 'application/json' }],
    ['Host [::1]', { Host: '[::1]:PORT', 'Content-Type': 'application/json' }],
    ["the gateway's own origin", { Origin: 'http://127.0.0.1:PORT', 'Content-Type': 'application/json' }],
    ["the demo's origin", { Origin: DEMO, 'Content-Type': 'application/json' }],
  ])('serves %s', async (_case, headers) => {
    const port = new URL(locked.origin).port
    const withPort = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, value.replace('PORT', port)]))
    const response = await control('/__mock/scenario', { headers: withPort, body: scripted })
    expect(response.status).toBe(200)
    expect(JSON.parse(response.body)).toEqual({ ok: true })
    // An allowed page gets its configured origin back; the request's header is never echoed.
    expect(response.headers['access-control-allow-origin']).toBe(withPort.Origin)
    expect(await nextAnswer()).toContain('evil.example/login')
  })

  it('never reflects a foreign Origin, and /health answers anyone', async () => {
    const reset = await control('/__mock/reset', { headers: { Origin: 'https://evil.example' } })
    expect(reset.headers['access-control-allow-origin']).toBeUndefined()
    const health = await control('/health', { method: 'GET' })
    expect(health.status).toBe(200)
  })

  it('leaves the control routes out in production mode', async () => {
    const production = await startGatewayServer({ port: 0, env: {}, scenarioControl: false })
    try {
      expect((await fetch(`${production.origin}/__mock/reset`, { method: 'POST' })).status).toBe(404)
    } finally {
      await production.close()
    }
  })
})

describe('responses that cannot be serialized (issue 13, item 6)', () => {
  it('answers 500 with a code, not 200 with an empty body, and does not leak the RangeError', async () => {
    const field = server.gateway.schema.getQueryType()?.getFields().aiMessages
    const original = field?.resolve
    if (!field) throw new Error('no field')
    let metadata: unknown = 'leaf'
    for (let depth = 0; depth < 20_000; depth += 1) metadata = { nested: metadata }
    field.resolve = () => ({
      nodes: [{ id: '1', requestId: 'r', role: 'USER', content: 'hi', contentHtml: null, errors: [], chunkId: null, threadId: null, timestamp: new Date().toISOString(), type: null, extras: { sources: [], hasFeedback: false, additionalContext: [{ id: 'x', category: 'SNIPPET', content: 'c', metadata }] } }],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    })
    const consoleError = console.error
    console.error = () => {}
    try {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: 'Bearer alice-token' },
        body: JSON.stringify({ query: '{ aiMessages { nodes { content extras { additionalContext { metadata } } } } }' }),
      })
      const text = await response.text()
      expect(response.status).toBe(500)
      expect(JSON.parse(text)).toEqual({ errors: [{ message: expect.stringContaining('Error code: M4020'), extensions: { code: 'M4020' } }] })
      expect(text).not.toMatch(/RangeError|call stack/)
    } finally {
      field.resolve = original
      console.error = consoleError
    }
    await expectAlive()
  })

  it('refuses a document too deep for the parser with a code, not the RangeError', async () => {
    const consoleError = console.error
    console.error = () => {}
    try {
      const deep = `{ aiMessages(requestIds: ${'['.repeat(3_000)}"x"${']'.repeat(3_000)}) { nodes { id } } }`
      const response = await post({ query: deep })
      expect(response.status).toBe(400)
      expect(response.body.errors).toEqual([expect.objectContaining({ message: expect.stringContaining('Error code: M4020'), extensions: { code: 'M4020' } })])
      expect(JSON.stringify(response.body)).not.toMatch(/RangeError|call stack/)
    } finally {
      console.error = consoleError
    }
    await expectAlive()
  })
})

describe('query cost limits on the wire (issue 13, item 1)', () => {
  const aliased = (count: number) =>
    `query ($threadId: AiConversationThreadID) { ${Array.from({ length: count }, (_, index) => `m${index}: aiMessages(threadId: $threadId) { ...M }`).join(' ')} }
     fragment M on AiMessageConnection { nodes { content extras { additionalContext { content } } } }`

  it('refuses 700 aliases of aiMessages before running them, with the codes, and /health still answers', async () => {
    const asked = await post({ query: AI_ACTION, variables: { input: { chat: { content: 'x'.repeat(5_000) } } } })
    const { threadId } = asked.body.data?.aiAction as { threadId: string }
    const resolve = vi.spyOn(server.gateway.schema.getQueryType()!.getFields().aiMessages!, 'resolve')
    try {
      const [refused, health] = await Promise.all([post({ query: aliased(700), variables: { threadId } }), fetch(`${server.origin}/health`)])
      expect(health.status).toBe(200)
      expect(refused.status).toBe(400)
      expect(refused.body.data).toBeUndefined()
      const codes = refused.body.errors?.map((error) => error.extensions?.code)
      expect(codes).toContain('M4011')
      expect(refused.body.errors?.find((error) => error.extensions?.code === 'M4011')?.message).toMatch(/700 aliases, over the limit of 20\. .*Error code: M4011/)
      expect(resolve).not.toHaveBeenCalled()
    } finally {
      resolve.mockRestore()
    }
    await expectAlive()
  })

  it('refuses the same document over WebSocket with an error for that operation, and the socket stays open', async () => {
    const peer = await connect()
    await peer.waitFor((message) => message.type === 'connection_ack')
    peer.send({ id: 'heavy', type: 'subscribe', payload: { query: aliased(700), variables: { threadId: null } } })
    const refusal = await peer.waitFor((message) => message.id === 'heavy' && message.type === 'error')
    expect(JSON.stringify(refusal.payload)).toMatch(/Error code: M4011/)
    expect(peer.socket.readyState).toBe(WebSocket.OPEN)
    peer.socket.close()
    await expectAlive()
  })

  it('still serves the drawer’s own operations', async () => {
    const response = await post({ query: `query ($threadId: AiConversationThreadID) { aiMessages(threadId: $threadId, first: 50) { nodes { ${MESSAGE_FIELDS} extras { additionalContext { id content } } } } }`, variables: { threadId: null } })
    expect(response.status).toBe(200)
    expect(response.body.errors).toBeUndefined()
  })
})

describe('errors over WebSocket the gateway did not mean to show', () => {
  it('closes with 4500 "Internal server error" when a result cannot be serialized, and says nothing more', async () => {
    const field = server.gateway.schema.getQueryType()!.getFields().aiMessages!
    const original = field.resolve
    const metadata: Record<string, unknown> = {}
    metadata.self = metadata
    field.resolve = () => ({ nodes: [{ id: '1', role: 'USER', content: 'hi', extras: { sources: [], additionalContext: [{ id: 'x', category: 'SNIPPET', content: 'c', metadata }] } }] })
    const consoleError = console.error
    console.error = () => {}
    try {
      const peer = await connect()
      await peer.waitFor((message) => message.type === 'connection_ack')
      peer.send({ id: 'cyclic', type: 'subscribe', payload: { query: '{ aiMessages { nodes { extras { additionalContext { metadata } } } } }' } })
      expect(await peer.closed).toEqual({ code: 4500, reason: 'Internal server error' })
    } finally {
      field.resolve = original
      console.error = consoleError
    }
    await expectAlive()
  })

  it('masks a subscription stream that throws (say a RangeError) as an internal error, and the socket stays open', async () => {
    const field = server.gateway.schema.getSubscriptionType()!.getFields().aiCompletionResponse!
    const original = field.subscribe
    field.subscribe = () => ({
      [Symbol.asyncIterator]() {
        return { next: () => Promise.reject(new RangeError('Maximum call stack size exceeded')), return: () => Promise.resolve({ done: true, value: undefined }) }
      },
    })
    const consoleError = console.error
    console.error = () => {}
    try {
      const peer = await connect()
      await subscribeChat(peer, 'breaks', 'tab')
      const frame = await peer.waitFor((message) => message.id === 'breaks' && message.type === 'error')
      expect(frame.payload).toEqual([expect.objectContaining({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } })])
      expect(JSON.stringify(frame.payload)).not.toMatch(/RangeError|call stack/)
      expect(peer.socket.readyState).toBe(WebSocket.OPEN)
      peer.socket.close()
    } finally {
      field.subscribe = original
      console.error = consoleError
    }
  })
})
