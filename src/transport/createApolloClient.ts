import { ApolloClient, ApolloLink, InMemoryCache } from '@apollo/client'
import { HttpLink } from '@apollo/client/link/http'
import { GraphQLWsLink } from '@apollo/client/link/subscriptions'
import { OperationTypeNode } from 'graphql'
import { createClient, type Client } from 'graphql-ws'
import { from, mergeMap } from 'rxjs'
import type { CableConsumer } from './actionCableConsumer'
import type { ActionCableLink } from './actionCableLink'
import { cableLoadError } from './errors'
import { retryDelay, shouldRetryConnection } from './connectionRetry'

export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting'

/** How subscriptions travel: graphql-ws (the mock gateway, API clients) or GitLab's ActionCable. */
export type DuoChatTransport = 'graphql-ws' | 'actioncable'

export interface CreateApolloClientOptions {
  /**
   * HTTP endpoint for queries and mutations, e.g. `http://127.0.0.1:4000/graphql`.
   * @default '/api/graphql' on the page's origin with transport 'actioncable'
   */
  graphqlUrl?: string
  /** graphql-transport-ws endpoint. @default graphqlUrl with http(s) replaced by ws(s) */
  wsUrl?: string
  /** Bearer token, or a function returning the current one (read on every request and reconnect). */
  token?: string | (() => string | undefined)
  /** @default 'graphql-ws' */
  transport?: DuoChatTransport
  /** ActionCable endpoint (transport 'actioncable'). @default '/-/cable' on the page's origin */
  cableUrl?: string
  /**
   * CSRF token sent as `X-CSRF-Token` with every HTTP request of transport 'actioncable' (GitLab
   * refuses a cookie-session mutation without it), or a function returning it.
   * @default the content of the page's `<meta name="csrf-token">`, read on every request
   */
  csrfToken?: string | (() => string | undefined)
  /** Makes the nonce of each cable subscription (tests script collisions with it). @default crypto.randomUUID */
  cableNonce?: () => string
  /** WebSocket implementation, for environments without a global one. @default globalThis.WebSocket */
  webSocketImpl?: unknown
  /** First reconnect delay in ms; later ones double, with jitter, up to 15 s. @default 500 */
  retryBaseMs?: number
  /** Called whenever the subscription socket changes state. */
  onConnectionStatus?: (status: ConnectionStatus) => void
}

export interface DuoChatApolloClient {
  client: ApolloClient
  /** The graphql-ws client (transport 'graphql-ws' only). */
  ws?: Client
  /** Resolves when the subscription socket is connected and acknowledged. */
  whenConnected(): Promise<void>
  dispose(): Promise<void>
}

/**
 * One split link: subscriptions over graphql-ws (or GitLab's ActionCable), everything else over
 * HTTP with the bearer token (or the page's session cookie and CSRF token).
 */
export function createApolloClient(options: CreateApolloClientOptions): DuoChatApolloClient {
  if (options.transport === 'actioncable') return createActionCableApolloClient(options)
  if (options.transport !== undefined && options.transport !== 'graphql-ws') {
    throw new TypeError(`[duo-chat-drawer]: transport must be 'graphql-ws' or 'actioncable', got ${JSON.stringify(options.transport)}.`)
  }
  const { graphqlUrl, token, webSocketImpl, onConnectionStatus, retryBaseMs = 500 } = options
  if (!graphqlUrl) throw new TypeError('[duo-chat-drawer]: the graphql-ws transport needs a graphqlUrl.')
  const { wsUrl = graphqlUrl.replace(/^http/, 'ws') } = options
  const authorization = authorizationOf(token)

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

  const http = httpLink(graphqlUrl, { Authorization: authorization })
  const client = apolloClient(new GraphQLWsLink(ws), http)

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

/**
 * GitLab's own frontend transport: subscriptions on the `GraphqlChannel` of ActionCable, queries
 * and mutations on `/api/graphql` with the session cookie and the CSRF token. `@rails/actioncable`
 * is imported only here, on first use, so that graphql-ws hosts never download it.
 */
function createActionCableApolloClient(options: CreateApolloClientOptions): DuoChatApolloClient {
  const { graphqlUrl = '/api/graphql', cableUrl = '/-/cable', token, csrfToken, webSocketImpl, onConnectionStatus, retryBaseMs = 500 } = options
  let welcomed = false
  let waiting: (() => void)[] = []
  let cable: CableConsumer | null = null
  let disposed = false
  let loading: Promise<CableConsumer> | null = null
  const load = () =>
    (loading ??= import('./actionCableTransport').then(({ loadCableConsumer }) => loadCableConsumer({
      url: cableUrl,
      webSocketImpl,
      retryBaseMs,
      onConnectionStatus: (status) => {
        if (status !== 'connected') welcomed = false
        onConnectionStatus?.(status)
      },
      onWelcome: () => {
        welcomed = true
        for (const resolve of waiting) resolve()
        waiting = []
      },
    })).then((loaded) => {
      cable = loaded
      if (disposed) loaded.dispose()
      return loaded
    }))
  const consumer = {
    // A thenable that starts loading only when the link first needs the consumer.
    then: <T, E>(onLoaded: (value: CableConsumer['consumer']) => T, onFailed?: (error: unknown) => E) => load().then((loaded) => loaded.consumer).then(onLoaded, onFailed),
  } as Promise<CableConsumer['consumer']>
  // The link's code loads on first use, as @rails/actioncable does: graphql-ws hosts never load it.
  let linkLoading: Promise<ActionCableLink> | null = null
  const loadLink = () =>
    (linkLoading ??= import('./actionCableTransport').then(
      ({ ActionCableLink }) => new ActionCableLink({ consumer, ...(options.cableNonce ? { nonce: options.cableNonce } : {}) }),
      (error: unknown) => {
        linkLoading = null
        throw cableLoadError(error)
      },
    ))
  const cableLink = new ApolloLink((operation) => from(loadLink()).pipe(mergeMap((link) => link.request(operation))))

  const http = httpLink(resolveOnPage(graphqlUrl), { Authorization: authorizationOf(token), 'X-CSRF-Token': () => valueOf(csrfToken) ?? csrfTokenOfPage() }, 'same-origin')
  const client = apolloClient(cableLink, http)
  const whenWelcomed = () => (welcomed ? Promise.resolve() : new Promise<void>((resolve) => waiting.push(resolve)))

  return {
    client,
    // Connected means subscribed here: every subscription sent so far is confirmed by the server.
    whenConnected: async () => {
      await whenWelcomed()
      await (await loadLink()).whenConfirmed()
    },
    async dispose() {
      disposed = true
      client.stop()
      cable?.dispose()
    },
  }
}

type HeaderValue = () => string | undefined

function httpLink(uri: string, headers: Record<string, HeaderValue>, credentials?: RequestCredentials): HttpLink {
  return new HttpLink({
    uri,
    ...(credentials ? { credentials } : {}),
    fetch: (input, init) => {
      const merged = new Headers(init?.headers)
      for (const [name, read] of Object.entries(headers)) {
        const value = read()
        if (value) merged.set(name, value)
      }
      return fetch(input, { ...init, headers: merged })
    },
  })
}

function apolloClient(subscriptions: ApolloLink, http: ApolloLink): ApolloClient {
  return new ApolloClient({
    link: ApolloLink.split((op) => op.operationType === OperationTypeNode.SUBSCRIPTION, subscriptions, http),
    cache: new InMemoryCache(),
    // Chat messages are a stream, not an entity graph: caching every chunk would only cost time.
    defaultOptions: {
      query: { fetchPolicy: 'no-cache' },
      watchQuery: { fetchPolicy: 'no-cache' },
      mutate: { fetchPolicy: 'no-cache' },
    },
  })
}

function valueOf(value: string | (() => string | undefined) | undefined): string | undefined {
  return typeof value === 'function' ? value() : value
}

function authorizationOf(token: CreateApolloClientOptions['token']): HeaderValue {
  return () => {
    const value = valueOf(token)
    return value ? `Bearer ${value}` : undefined
  }
}

/** The CSRF token a Rails page carries in its head (GitLab's does). */
export function csrfTokenOfPage(): string | undefined {
  if (typeof document === 'undefined') return undefined
  return document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content || undefined
}

/** A relative URL resolved against the page, so that fetch outside a browser gets a full one too. */
function resolveOnPage(url: string): string {
  if (typeof location === 'undefined' || /^[a-z][a-z\d+.-]*:/i.test(url)) return url
  return new URL(url, location.href).href
}
