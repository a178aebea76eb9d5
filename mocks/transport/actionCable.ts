/**
 * GitLab's ActionCable variant of GraphQL subscriptions, over any socket: a welcome, a ping every
 * 3 s, `subscribe` / `unsubscribe` commands on the `GraphqlChannel` whose identifier carries the
 * query, its variables, operation name and a nonce, `confirm_subscription` or
 * `reject_subscription`, then `{ result, more }` messages, `more: false` last. Every operation goes
 * through the shared path (`operations.ts`): the same validation, slots and fan-out as graphql-ws.
 * The Node transport (`../server.ts`) and msw (`../browser.ts`) adapt their sockets to
 * {@link CableSocket}.
 */
import { getOperationAST, Kind, type DocumentNode, type ExecutionResult } from 'graphql'
import type { Gateway, Viewer } from '../gateway/index'
import type { DocumentCache } from '../fanout'
import { isErrorList } from '../fanout'
import { formatResult, maskUnexpectedErrors } from '../executionResults'
import { createOperations } from './operations'
import { SubscriptionRegistry, type SubscriptionConnection, type SubscriptionLimits } from './subscriptionLimits'

/** The subprotocols an ActionCable client offers; the server picks the first. */
export const CABLE_PROTOCOLS = ['actioncable-v1-json', 'actioncable-unsupported'] as const
export const CABLE_CHANNEL = 'GraphqlChannel'
/** Rails pings every 3 seconds; the client calls a socket stale after two missed pings. */
export const CABLE_PING_INTERVAL_MS = 3000

/** A socket as the cable needs it. */
export interface CableSocket {
  send(text: string): void
  /** Closes with a close handshake. */
  close(): void
  /** Ends the socket as a network failure would (a scripted dropped connection). */
  terminate(): void
}

export interface ActionCableOptions {
  gateway: Gateway
  documents: DocumentCache
  subscriptionLimits?: Partial<SubscriptionLimits>
  /** @default 3000 */
  pingIntervalMs?: number
}

/** One open socket, fed by its transport. */
export interface CableConnectionHandle {
  /** A text frame from the client. */
  receive(text: string): void
  /** The socket closed: end its subscriptions and free their slots. */
  closed(): void
}

interface Running {
  iterator: AsyncIterator<ExecutionResult> | null
  ended: boolean
}

export function createActionCable(options: ActionCableOptions) {
  const { gateway, documents, pingIntervalMs = CABLE_PING_INTERVAL_MS } = options
  const subscriptions = new SubscriptionRegistry(options.subscriptionLimits)
  const operations = createOperations(gateway, documents, subscriptions)
  const sockets = new Map<SubscriptionConnection, CableSocket>()

  const stopDropListener = gateway.onConnectionDrop((userId) => {
    for (const connection of subscriptions.connectionsOf(userId)) sockets.get(connection)?.terminate()
  })

  /** Starts the cable protocol on a socket whose request signed in as `viewer` (null: refused). */
  function connect(socket: CableSocket, viewer: Viewer | null): CableConnectionHandle {
    const send = (frame: unknown) => socket.send(JSON.stringify(frame))
    if (!viewer) {
      gateway.audit({ time: new Date().toISOString(), level: 'warn', event: 'auth_failed', transport: 'ws', userId: null })
      // What ActionCable's server sends when `connect` rejects the connection.
      send({ type: 'disconnect', reason: 'unauthorized', reconnect: false })
      socket.close()
      return { receive: () => {}, closed: () => {} }
    }
    const running = new Map<string, Running>()
    const connection = subscriptions.open(viewer.id, (identifier) => running.has(identifier))
    sockets.set(connection, socket)
    send({ type: 'welcome' })
    const pinger = setInterval(() => send({ type: 'ping', message: Math.floor(Date.now() / 1000) }), pingIntervalMs)

    const stop = (identifier: string) => {
      const entry = running.get(identifier)
      if (!entry) return
      entry.ended = true
      running.delete(identifier)
      operations.release(connection, entry)
      void entry.iterator?.return?.()
    }

    async function subscribe(identifier: string): Promise<void> {
      let params: Record<string, unknown>
      try {
        const parsed: unknown = JSON.parse(identifier)
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new TypeError('not an object')
        params = parsed as Record<string, unknown>
      } catch {
        send({ identifier, type: 'reject_subscription' })
        return
      }
      if (params.channel !== CABLE_CHANNEL) {
        send({ identifier, type: 'reject_subscription' })
        return
      }
      // The client's subscription guarantor repeats `subscribe` until confirmed: confirm again, run once.
      if (running.has(identifier)) {
        send({ identifier, type: 'confirm_subscription' })
        return
      }
      const variables = isRecord(params.variables) ? params.variables : null
      const operationName = typeof params.operationName === 'string' ? params.operationName : null
      const document = documents.get(params.query)
      // GitLab refuses a subscription to another user's answers outright: nothing is confirmed or sent.
      if (!isErrorList(document) && userIdOf(document, operationName, variables) !== viewer!.id && hasUserIdArgument(document, operationName)) {
        gateway.audit({ time: new Date().toISOString(), level: 'warn', event: 'auth_failed', transport: 'ws', userId: viewer!.id })
        send({ identifier, type: 'reject_subscription' })
        return
      }
      const entry: Running = { iterator: null, ended: false }
      const prepared = operations.prepare(connection, entry, identifier, { query: params.query, operationName, variables })
      send({ identifier, type: 'confirm_subscription' })
      if (isErrorList(prepared)) {
        send({ identifier, message: { result: { errors: prepared.map((error) => error.toJSON()) }, more: false } })
        return
      }
      running.set(identifier, entry)
      const outcome = await operations.subscribe({ ...prepared, contextValue: gateway.context(viewer) })
      if (entry.ended) {
        if (Symbol.asyncIterator in outcome) void outcome.return?.()
        return
      }
      if (!(Symbol.asyncIterator in outcome)) {
        stop(identifier)
        send({ identifier, message: { result: formatResult(maskUnexpectedErrors(outcome)), more: false } })
        return
      }
      entry.iterator = outcome
      // Every frame repeats the identifier (the whole query): escape it once, not once per chunk.
      const framePrefix = `{"identifier":${JSON.stringify(identifier)},"message":{"result":`
      try {
        for (;;) {
          const next = await outcome.next()
          if (entry.ended) return
          if (next.done) break
          socket.send(`${framePrefix}${JSON.stringify(formatResult(maskUnexpectedErrors(next.value)))},"more":true}}`)
        }
      } catch (error) {
        if (entry.ended) return
        console.error('[mock gateway] a cable subscription failed', error)
        stop(identifier)
        send({ identifier, message: { result: { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }, more: false } })
        return
      }
      stop(identifier)
      send({ identifier, message: { result: { data: null }, more: false } })
    }

    return {
      receive(text) {
        let frame: unknown
        try {
          frame = JSON.parse(text)
        } catch {
          console.warn('[mock gateway] dropped a cable frame that is not JSON')
          return
        }
        if (!isRecord(frame) || typeof frame.identifier !== 'string') {
          console.warn('[mock gateway] dropped a cable frame without an identifier')
          return
        }
        if (frame.command === 'subscribe') {
          subscribe(frame.identifier).catch((error: unknown) => console.error('[mock gateway] a cable subscribe failed', error))
        } else if (frame.command === 'unsubscribe') {
          stop(frame.identifier)
        } else {
          // `message` (a channel action) has no meaning on GraphqlChannel here.
          console.warn(`[mock gateway] dropped a cable command ${JSON.stringify(frame.command)}`)
        }
      },
      closed() {
        clearInterval(pinger)
        for (const identifier of [...running.keys()]) stop(identifier)
        sockets.delete(connection)
        subscriptions.close(connection)
      },
    }
  }

  return {
    connect,
    subscriptions,
    /** Tells every client the server goes away and may come back (`server_restart`), then closes. */
    closeAll(reconnect = true): void {
      for (const socket of sockets.values()) {
        socket.send(JSON.stringify({ type: 'disconnect', reason: 'server_restart', reconnect }))
        socket.close()
      }
    },
    dispose: stopDropListener,
  }
}

export type ActionCableServer = ReturnType<typeof createActionCable>

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function rootArgument(document: DocumentNode, operationName: string | null, name: string) {
  const operation = getOperationAST(document, operationName ?? undefined)
  for (const selection of operation?.selectionSet.selections ?? []) {
    if (selection.kind !== Kind.FIELD) continue
    const argument = selection.arguments?.find((candidate) => candidate.name.value === name)
    if (argument) return argument
  }
  return null
}

function hasUserIdArgument(document: DocumentNode, operationName: string | null): boolean {
  return rootArgument(document, operationName, 'userId') !== null
}

/** The root field's `userId` argument, inline or from a variable. */
function userIdOf(document: DocumentNode, operationName: string | null, variables: Record<string, unknown> | null): unknown {
  const argument = rootArgument(document, operationName, 'userId')
  if (!argument) return null
  if (argument.value.kind === Kind.VARIABLE) return variables?.[argument.value.name.value]
  if (argument.value.kind === Kind.STRING) return argument.value.value
  return null
}
