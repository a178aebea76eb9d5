/**
 * What every streaming transport does with one operation, whatever frames carry it (graphql-ws
 * today, ActionCable's `GraphqlChannel` next): validate the document through the shared cache
 * (graphql's rules and the query limits), take a subscription slot (per connection and per user,
 * no duplicate `clientSubscriptionId`), run it through the shared fan-out, and free the slot when
 * it ends. A transport only maps its frames onto `prepare`, `subscribe` and `release`.
 */
import { getOperationAST, Kind, type DocumentNode, type ExecutionArgs, type GraphQLError } from 'graphql'
import type { Gateway, GatewayContext } from '../gateway/index'
import { createSharedSubscribe, isErrorList, type DocumentCache } from '../fanout'
import type { SubscriptionConnection, SubscriptionRegistry } from './subscriptionLimits'

/** One operation as a client sends it. */
export interface OperationPayload {
  query: unknown
  operationName?: string | null
  variables?: Record<string, unknown> | null
}

export function createOperations(gateway: Gateway, documents: DocumentCache, subscriptions: SubscriptionRegistry) {
  return {
    /**
     * The execution arguments of an operation (without `contextValue`, which the transport adds
     * for its viewer), or the errors that refuse it. `key` identifies the slot taken until
     * {@link release}; `operationId` is the transport's id (graphql-ws's message id, a cable
     * identifier). A null connection (not signed in) takes no slot: the resolvers refuse it.
     */
    prepare(connection: SubscriptionConnection | null, key: object, operationId: string, payload: OperationPayload): ExecutionArgs | readonly GraphQLError[] {
      const document = documents.get(payload.query)
      if (isErrorList(document)) return document
      if (connection) {
        const clientSubscriptionId = clientSubscriptionIdOf(document, payload.operationName, payload.variables)
        const refused = subscriptions.admit(connection, key, operationId, clientSubscriptionId)
        if (refused) return [refused]
      }
      return { schema: gateway.schema, document, operationName: payload.operationName, variableValues: payload.variables }
    },

    /** graphql's `subscribe`, with one execution per event shared by a user's identical subscriptions. */
    subscribe: createSharedSubscribe((contextValue) => (contextValue as GatewayContext | undefined)?.viewer?.id ?? null),

    /** Frees the slot of an operation that ended. */
    release(connection: SubscriptionConnection, key: object): void {
      subscriptions.release(connection, key)
    },
  }
}

/**
 * The `clientSubscriptionId` argument of the operation's root field, whether written inline or
 * passed in a variable of any name (a subscription has exactly one root field).
 */
export function clientSubscriptionIdOf(document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> | null | undefined): unknown {
  const operation = getOperationAST(document, operationName ?? undefined)
  for (const selection of operation?.selectionSet.selections ?? []) {
    if (selection.kind !== Kind.FIELD) continue
    const argument = selection.arguments?.find((candidate) => candidate.name.value === 'clientSubscriptionId')
    if (!argument) continue
    if (argument.value.kind === Kind.VARIABLE) return variables?.[argument.value.name.value]
    if (argument.value.kind === Kind.STRING) return argument.value.value
  }
  return null
}
