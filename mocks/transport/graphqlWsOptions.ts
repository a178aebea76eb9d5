/**
 * The graphql-ws server options of every WebSocket transport (Node's `ws`, msw's interception):
 * sign-in from `connectionParams.authorization`, documents parsed and validated once through the
 * shared cache, subscription limits, the shared fan-out, masked unexpected errors, and scripted
 * dropped connections. A transport adapts its socket to graphql-ws and says how to drop one.
 */
import type { ServerOptions } from 'graphql-ws'
import type { Gateway, Viewer } from '../gateway/index'
import type { DocumentCache } from '../fanout'
import { formatResult, maskUnexpectedErrors } from '../executionResults'
import { createOperations } from './operations'
import { SubscriptionRegistry, type SubscriptionConnection, type SubscriptionLimits } from './subscriptionLimits'

export interface GraphqlWsOptionsInput<Extra> {
  gateway: Gateway
  documents: DocumentCache
  /** The user of a `connectionParams.authorization` value. @default gateway.authenticate */
  authenticate?: (authorization: string | null) => Viewer | null
  /** Subscription limits; see {@link SubscriptionLimits}. */
  subscriptionLimits?: Partial<SubscriptionLimits>
  /** Ends a socket as a network failure would (no close handshake): scripted dropped connections. */
  drop(extra: Extra): void
}

/** What the builder gives a transport: the options for graphql-ws and a view of who is connected. */
export interface GraphqlWsSetup<Extra> {
  options: ServerOptions<Record<string, unknown> | undefined, Extra>
  subscriptions: SubscriptionRegistry
  /** Open, signed-in sockets per user id. */
  openSockets(): Map<string, number>
  /** Stops listening to the gateway's dropped-connection events. */
  dispose(): void
}

interface Connected<Extra> {
  viewer: Viewer
  connection: SubscriptionConnection
  extra: Extra
}

export function createGraphqlWsOptions<Extra>(input: GraphqlWsOptionsInput<Extra>): GraphqlWsSetup<Extra> {
  const { gateway, documents, authenticate = (authorization) => gateway.authenticate(authorization) } = input
  const subscriptions = new SubscriptionRegistry(input.subscriptionLimits)
  const operations = createOperations(gateway, documents, subscriptions)
  // graphql-ws keeps one context object per socket for its whole life.
  const connected = new WeakMap<object, Connected<Extra>>()
  const byConnection = new Map<SubscriptionConnection, Connected<Extra>>()

  const options: GraphqlWsSetup<Extra>['options'] = {
    schema: gateway.schema,
    onConnect: (ctx) => {
      const authorization = ctx.connectionParams?.authorization
      const viewer = authenticate(typeof authorization === 'string' ? authorization : null)
      if (!viewer) {
        gateway.audit({ time: new Date().toISOString(), level: 'warn', event: 'auth_failed', transport: 'ws', userId: null })
        return false // graphql-ws closes with 4403 Forbidden
      }
      const connection = subscriptions.open(viewer.id, (id) => id in ctx.subscriptions)
      const entry = { viewer, connection, extra: ctx.extra }
      connected.set(ctx, entry)
      byConnection.set(connection, entry)
      return true
    },
    onClose: (ctx) => {
      const entry = connected.get(ctx)
      if (!entry) return
      connected.delete(ctx)
      byConnection.delete(entry.connection)
      subscriptions.close(entry.connection)
    },
    // Parsed here so that a malformed or oversized document is answered with an `error` message
    // for that operation; graphql-ws would otherwise close the whole socket with 4500.
    onSubscribe: (ctx, id, payload) => {
      const entry = connected.get(ctx)
      return operations.prepare(entry?.connection ?? null, payload, id, payload)
    },
    onComplete: (ctx, _id, payload) => {
      const entry = connected.get(ctx)
      if (entry) operations.release(entry.connection, payload)
    },
    subscribe: operations.subscribe,
    onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? formatResult(maskUnexpectedErrors(result)) : undefined),
    // An iterator that threw (say a RangeError) reaches the client through here: mask it.
    onError: (_ctx, _id, _payload, errors) => formatResult(maskUnexpectedErrors({ errors })).errors,
    context: (ctx) => gateway.context(connected.get(ctx)?.viewer ?? null),
  }

  const stopDropListener = gateway.onConnectionDrop((userId) => {
    for (const connection of subscriptions.connectionsOf(userId)) {
      const entry = byConnection.get(connection)
      if (entry) input.drop(entry.extra)
    }
  })

  return {
    options,
    subscriptions,
    openSockets: () => subscriptions.connectionCounts(),
    dispose: stopDropListener,
  }
}

