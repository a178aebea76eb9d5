import { ApolloClient, ApolloLink, InMemoryCache } from '@apollo/client'
import { HttpLink } from '@apollo/client/link/http'
import { GraphQLWsLink } from '@apollo/client/link/subscriptions'
import { OperationTypeNode } from 'graphql'
import { createClient, type Client } from 'graphql-ws'
import { retryDelay, shouldRetryConnection } from './connectionRetry'

export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting'

export interface CreateApolloClientOptions {
  /** HTTP endpoint for queries and mutations, e.g. `http://127.0.0.1:4000/graphql`. */
  graphqlUrl: string
  /** graphql-transport-ws endpoint. @default graphqlUrl with http(s) replaced by ws(s) */
  wsUrl?: string
  /** Bearer token, or a function returning the current one (read on every request and reconnect). */
  token?: string | (() => string | undefined)
  /** WebSocket implementation, for environments without a global one. @default globalThis.WebSocket */
  webSocketImpl?: unknown
  /** First reconnect delay in ms; later ones double, with jitter, up to 15 s. @default 500 */
  retryBaseMs?: number
  /** Called whenever the subscription socket changes state. */
  onConnectionStatus?: (status: ConnectionStatus) => void
}

export interface DuoChatApolloClient {
  client: ApolloClient
  ws: Client
  /** Resolves when the subscription socket is connected and acknowledged. */
  whenConnected(): Promise<void>
  dispose(): Promise<void>
}

/** One split link: subscriptions over graphql-ws, everything else over HTTP with the bearer token. */
export function createApolloClient(options: CreateApolloClientOptions): DuoChatApolloClient {
  const { graphqlUrl, wsUrl = graphqlUrl.replace(/^http/, 'ws'), token, webSocketImpl, onConnectionStatus, retryBaseMs = 500 } = options
  const currentToken = () => (typeof token === 'function' ? token() : token)
  const authorization = () => {
    const value = currentToken()
    return value ? `Bearer ${value}` : undefined
  }

  let connectedBefore = false
  let connected = false
  let waiting: (() => void)[] = []
  const ws = createClient({
    url: wsUrl,
    webSocketImpl,
    lazy: true,
    keepAlive: 15_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: shouldRetryConnection,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, retryDelay(retries, retryBaseMs))),
    connectionParams: () => {
      const value = authorization()
      return value ? { authorization: value } : {}
    },
    on: {
      connecting: () => onConnectionStatus?.(connectedBefore ? 'reconnecting' : 'connecting'),
      connected: () => {
        connectedBefore = true
        connected = true
        for (const resolve of waiting) resolve()
        waiting = []
        onConnectionStatus?.('connected')
      },
      closed: () => {
        connected = false
        onConnectionStatus?.(connectedBefore ? 'reconnecting' : 'idle')
      },
    },
  })

  const http = new HttpLink({
    uri: graphqlUrl,
    fetch: (input, init) => {
      const headers = new Headers(init?.headers)
      const value = authorization()
      if (value) headers.set('Authorization', value)
      return fetch(input, { ...init, headers })
    },
  })

  const client = new ApolloClient({
    link: ApolloLink.split((op) => op.operationType === OperationTypeNode.SUBSCRIPTION, new GraphQLWsLink(ws), http),
    cache: new InMemoryCache(),
    // Chat messages are a stream, not an entity graph: caching every chunk would only cost time.
    defaultOptions: {
      query: { fetchPolicy: 'no-cache' },
      watchQuery: { fetchPolicy: 'no-cache' },
      mutate: { fetchPolicy: 'no-cache' },
    },
  })

  return {
    client,
    ws,
    whenConnected: () => (connected ? Promise.resolve() : new Promise<void>((resolve) => waiting.push(resolve))),
    async dispose() {
      client.stop()
      await ws.dispose()
    },
  }
}
