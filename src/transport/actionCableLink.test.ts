import { gql } from '@apollo/client'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { WebSocket, WebSocketServer, type WebSocket as ServerSocket } from 'ws'
import '../../tests/cableHarness'
import { createApolloClient, type ConnectionStatus, type DuoChatApolloClient } from './createApolloClient'
import { DuoChatError } from './errors'

const SUBSCRIPTION = gql`
  subscription Answer($userId: UserID, $clientSubscriptionId: String) {
    aiCompletionResponse(userId: $userId, clientSubscriptionId: $clientSubscriptionId) {
      id
      content
    }
  }
`

interface Frame {
  command?: string
  identifier?: string
}

/** An ActionCable server whose every frame the test writes by hand. */
class ScriptedCable {
  readonly server: WebSocketServer
  readonly frames: Frame[] = []
  sockets: ServerSocket[] = []
  private listeners: (() => void)[] = []
  /** Whether a new socket gets a welcome at once. */
  welcome = true

  constructor() {
    this.server = new WebSocketServer({ port: 0, handleProtocols: (protocols) => (protocols.has('actioncable-v1-json') ? 'actioncable-v1-json' : false) })
    this.server.on('connection', (socket) => {
      this.sockets.push(socket)
      socket.on('message', (data) => {
        this.frames.push(JSON.parse(data.toString()) as Frame)
        this.changed()
      })
      if (this.welcome) this.send({ type: 'welcome' }, socket)
      this.changed()
    })
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  get socket(): ServerSocket {
    return this.sockets.at(-1)!
  }

  send(frame: unknown, socket = this.socket): void {
    socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame))
  }

  /** Resolves when `check` holds, re-checked on every frame and connection. */
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

  subscribes(count: number): Promise<Frame[]> {
    return this.until(() => {
      const found = this.frames.filter((frame) => frame.command === 'subscribe')
      return found.length >= count && found
    })
  }

  close(): Promise<void> {
    for (const socket of this.server.clients) socket.terminate()
    return new Promise((resolve) => this.server.close(() => resolve()))
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener()
  }
}

let cable: ScriptedCable
let apollo: DuoChatApolloClient | null
const statuses: ConnectionStatus[] = []

function connect(options: { nonce?: () => string } = {}) {
  apollo = createApolloClient({
    transport: 'actioncable',
    graphqlUrl: 'http://127.0.0.1:1/api/graphql',
    cableUrl: cable.url,
    webSocketImpl: WebSocket,
    retryBaseMs: 5,
    onConnectionStatus: (status) => statuses.push(status),
    ...(options.nonce ? { cableNonce: options.nonce } : {}),
  })
  return apollo
}

/** Subscribes and records what arrives. */
function listen(client: DuoChatApolloClient, variables: Record<string, unknown> = { userId: 'gid://gitlab/User/1', clientSubscriptionId: 'c1' }) {
  const seen = { data: [] as unknown[], errors: [] as unknown[], completed: false }
  // Apollo would share one link request between identical operations: each listener gets its own here.
  const subscription = client.client.subscribe({ query: SUBSCRIPTION, variables, context: { queryDeduplication: false } }).subscribe({
    next: (result) => (result.error ? seen.errors.push(result.error) : seen.data.push(result.data)),
    error: (error: unknown) => seen.errors.push(error),
    complete: () => (seen.completed = true),
  })
  return { seen, subscription }
}

function result(identifier: string, content: string, more = true) {
  return { identifier, message: { result: { data: { aiCompletionResponse: { __typename: 'AiMessage', id: content, content } } }, more } }
}

beforeEach(() => {
  cable = new ScriptedCable()
  statuses.length = 0
})
afterEach(async () => {
  await apollo?.dispose()
  apollo = null
  await cable.close()
})

describe('the ActionCable link', () => {
  it('subscribes on GraphqlChannel with the printed query, variables, name and a nonce; confirm, results, more: false', async () => {
    const client = connect()
    const { seen } = listen(client)
    const [subscribe] = await cable.subscribes(1)
    const identifier = JSON.parse(subscribe!.identifier!) as Record<string, unknown>
    expect(identifier).toMatchObject({ channel: 'GraphqlChannel', operationName: 'Answer', variables: { userId: 'gid://gitlab/User/1', clientSubscriptionId: 'c1' } })
    expect(identifier.query).toContain('subscription Answer(')
    expect(identifier.query).not.toContain('\n')
    expect(identifier.nonce).toMatch(/^[0-9a-f-]{36}$/)

    let connected = false
    void client.whenConnected().then(() => (connected = true))
    cable.send({ identifier: subscribe!.identifier, type: 'confirm_subscription' })
    await client.whenConnected()
    expect(connected).toBe(true)

    cable.send({ type: 'ping', message: 1_700_000_000 })
    cable.send(result(subscribe!.identifier!, 'Hello'))
    // A result without data (graphql-ruby's acknowledgement of a subscription) reaches nobody.
    cable.send({ identifier: subscribe!.identifier, message: { result: { data: null }, more: true } })
    cable.send(result(subscribe!.identifier!, 'world', false))
    await vi.waitFor(() => expect(seen.completed).toBe(true))
    expect(seen.data).toEqual([{ aiCompletionResponse: { __typename: 'AiMessage', id: 'Hello', content: 'Hello' } }, { aiCompletionResponse: { __typename: 'AiMessage', id: 'world', content: 'world' } }])
    expect(seen.errors).toEqual([])
    expect(statuses).toEqual(['connecting', 'connected'])
  })

  it('sends unsubscribe when the subscriber stops listening, and nothing more reaches it', async () => {
    const client = connect()
    const { seen, subscription } = listen(client)
    const [subscribe] = await cable.subscribes(1)
    cable.send({ identifier: subscribe!.identifier, type: 'confirm_subscription' })
    subscription.unsubscribe()
    const unsubscribe = await cable.until(() => cable.frames.find((frame) => frame.command === 'unsubscribe'))
    expect(unsubscribe.identifier).toBe(subscribe!.identifier)
    cable.send(result(subscribe!.identifier!, 'late'))
    // A later subscription's frame proves the late result was processed (and dropped) first.
    const second = listen(client, { userId: 'gid://gitlab/User/1', clientSubscriptionId: 'c2' })
    const [, next] = await cable.subscribes(2)
    cable.send(result(next!.identifier!, 'fresh'))
    await vi.waitFor(() => expect(second.seen.data).toHaveLength(1))
    expect(seen.data).toEqual([])
  })

  it('keeps two identical subscriptions apart by their nonces, even when the generator repeats itself', async () => {
    const nonces = ['same', 'same', 'other']
    const client = connect({ nonce: () => nonces.shift() ?? 'spare' })
    const first = listen(client)
    const second = listen(client)
    const frames = await cable.subscribes(2)
    const [a, b] = frames.map((frame) => frame.identifier!)
    for (const identifier of [a, b]) cable.send({ identifier, type: 'confirm_subscription' })
    expect(a).not.toBe(b)
    expect(JSON.parse(a!).nonce).toBe('same')
    expect(JSON.parse(b!).nonce).toBe('other')
    cable.send(result(a!, 'for the first'))
    cable.send(result(b!, 'for the second'))
    await vi.waitFor(() => expect(second.seen.data).toHaveLength(1))
    expect(first.seen.data).toEqual([{ aiCompletionResponse: expect.objectContaining({ content: 'for the first' }) }])
    expect(second.seen.data).toEqual([{ aiCompletionResponse: expect.objectContaining({ content: 'for the second' }) }])
  })

  it('a rejected subscription errors with a DuoChatError of the 3000 series', async () => {
    const client = connect()
    const { seen } = listen(client)
    const [subscribe] = await cable.subscribes(1)
    cable.send({ identifier: subscribe!.identifier, type: 'reject_subscription' })
    await vi.waitFor(() => expect(seen.errors).toHaveLength(1))
    const error = seen.errors[0] as DuoChatError
    expect(error).toBeInstanceOf(DuoChatError)
    expect(error.code).toBe('M3003')
    await client.whenConnected() // a refused subscription is settled: nothing waits for it
  })

  it('an errors message ends the subscription with a DuoChatError carrying the code', async () => {
    const client = connect()
    const { seen } = listen(client)
    const [subscribe] = await cable.subscribes(1)
    cable.send({ identifier: subscribe!.identifier, message: { errors: [{ message: 'Too many open subscriptions on this connection. Error code: M1011' }] } })
    await vi.waitFor(() => expect(seen.errors).toHaveLength(1))
    expect(seen.errors[0]).toMatchObject({ name: 'DuoChatError', kind: 'graphql', code: 'M1011' })
  })

  it('a result with GraphQL errors reaches the subscriber as an error result', async () => {
    const client = connect()
    const { seen } = listen(client)
    const [subscribe] = await cable.subscribes(1)
    cable.send({ identifier: subscribe!.identifier, message: { result: { errors: [{ message: 'You can only subscribe to AI responses for your own user id.' }] }, more: false } })
    await vi.waitFor(() => expect(seen.errors).toHaveLength(1))
    expect(String((seen.errors[0] as Error).message)).toContain('your own user id')
  })

  it('drops a malformed frame with a warning and keeps listening', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const client = connect()
    const { seen } = listen(client)
    const [subscribe] = await cable.subscribes(1)
    cable.send('{not json')
    cable.send({ identifier: subscribe!.identifier, message: 'not an object' })
    cable.send(result(subscribe!.identifier!, 'still here'))
    await vi.waitFor(() => expect(seen.data).toHaveLength(1))
    expect(warn).toHaveBeenCalledTimes(2)
    warn.mockRestore()
  })

  it('reconnects after the socket drops and, on the next welcome, subscribes again with the same identifier', async () => {
    const client = connect()
    const { seen } = listen(client)
    const [subscribe] = await cable.subscribes(1)
    cable.send({ identifier: subscribe!.identifier, type: 'confirm_subscription' })
    await client.whenConnected()
    const firstSocket = cable.socket
    cable.welcome = false
    firstSocket.terminate()
    await cable.until(() => cable.sockets.length === 2)
    expect(statuses).toContain('reconnecting')
    let resubscribed = false
    void client.whenConnected().then(() => (resubscribed = true))
    cable.send({ type: 'welcome' })
    const frames = await cable.subscribes(2)
    expect(frames[1]!.identifier).toBe(subscribe!.identifier)
    expect(resubscribed).toBe(false) // waits for the confirmation of the subscription sent again
    cable.send({ identifier: subscribe!.identifier, type: 'confirm_subscription' })
    await client.whenConnected()
    cable.send(result(subscribe!.identifier!, 'after the reconnect'))
    await vi.waitFor(() => expect(seen.data).toHaveLength(1))
    expect(statuses.slice(-2)).toEqual(['reconnecting', 'connected'])
  })

  it('a server disconnect that allows reconnecting is followed by a new socket', async () => {
    const client = connect()
    listen(client)
    await cable.subscribes(1)
    cable.send({ type: 'disconnect', reason: 'server_restart', reconnect: true })
    await cable.until(() => cable.sockets.length === 2)
    await cable.subscribes(2)
    expect(statuses).toContain('reconnecting')
  })

  it('a server disconnect without reconnect ends every subscription and opens no new socket', async () => {
    const client = connect()
    const { seen } = listen(client)
    const [subscribe] = await cable.subscribes(1)
    cable.send({ identifier: subscribe!.identifier, type: 'confirm_subscription' })
    cable.send({ type: 'disconnect', reason: 'unauthorized', reconnect: false })
    await vi.waitFor(() => expect(seen.errors).toHaveLength(1))
    expect(seen.errors[0]).toMatchObject({ name: 'DuoChatError', kind: 'server' })
    expect(statuses.at(-1)).toBe('idle')
    expect(cable.sockets).toHaveLength(1)
  })
})
