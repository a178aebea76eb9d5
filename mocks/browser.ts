/**
 * The msw transport of the mock gateway: the same engine as `mocks/server.ts`, served through msw
 * request handlers instead of a Node server, so that Storybook (msw's service worker), vitest
 * (msw/node) and host apps' tests talk to it with the drawer's real Apollo client.
 *
 * - `POST graphqlUrl`: queries and mutations, executed with graphql's `execute()`; the user comes
 *   from the `Authorization` header.
 * - `wsUrl`: graphql-transport-ws over msw's WebSocket interception. graphql-ws's transport-agnostic
 *   `makeServer` speaks the protocol; this file only adapts msw's client connection to its socket
 *   interface. `connectionParams.authorization` picks the user; a refused token closes with 4403.
 * - `cableUrl` (default `<origin>/-/cable`): GitLab's ActionCable (`./transport/actionCable.ts`);
 *   the user comes from the page's `_gitlab_session` cookie (a page's socket carries no header),
 *   and `POST <origin>/api/graphql` serves GraphQL with the cookie and its CSRF token, or a bearer.
 * - `POST <origin>/__mock/scenario` and `POST <origin>/__mock/reset`, as on the Node server.
 *
 * The handlers are plain msw handlers: pass them to `setupWorker()` (browser) or `setupServer()`
 * (Node), whichever the caller runs. This module imports neither, so it loads in both.
 */
import { CloseCode, handleProtocols, makeServer } from 'graphql-ws'
import { http, HttpResponse, ws, type RequestHandler, type WebSocketHandler } from 'msw'
import type { Gateway, Viewer } from './gateway/index'
import { executeHttpBody, httpError, serializeReply, type HttpReply } from './executionResults'
import { BodyError, MAX_BODY_BYTES, readRequestJson } from './transport/bodyLimit'
import { createControlRoutes } from './transport/controlRoutes'
import { createDocumentCache } from './transport/documents'
import { createGraphqlWsOptions } from './transport/graphqlWsOptions'
import { createActionCable, type CableConnectionHandle } from './transport/actionCable'
import { CSRF_REFUSAL, csrfAccepted, signIn, type SignIn } from './transport/gitlabSession'
import type { SubscriptionLimits } from './transport/subscriptionLimits'

/** Where the msw handlers answer unless told otherwise: a reserved `.test` host that never resolves. */
export const DEFAULT_MOCK_GRAPHQL_URL = 'https://duo-gateway.test/graphql'

/** Options of {@link createGatewayHandlers}. */
export interface GatewayHandlersOptions {
  /** The GraphQL endpoint the drawer is configured with (`createDuoChat({ graphqlUrl })`); relative only in a browser page. @default DEFAULT_MOCK_GRAPHQL_URL */
  graphqlUrl?: string
  /** The graphql-transport-ws endpoint. @default graphqlUrl with http(s) replaced by ws(s) */
  wsUrl?: string
  /**
   * The user of an `Authorization` value, over HTTP and in `connectionParams.authorization`.
   * @default gateway.authenticate
   */
  authenticate?: (authorization: string | null | undefined) => Viewer | null
  /** GitLab's ActionCable endpoint. @default `<graphqlUrl's origin>/-/cable` with ws(s):// */
  cableUrl?: string
  /**
   * The `Cookie` header a page's requests and sockets carry (msw sees no cookie header of a
   * socket). @default `document.cookie` in a browser, none elsewhere
   */
  cookie?: () => string | null
  /** Serve `POST <origin>/__mock/scenario` and `POST <origin>/__mock/reset`. @default true */
  scenarioControl?: boolean
  /**
   * Origins, besides the endpoint's own and the page's (`location.origin`), allowed to call the
   * control routes; a request with another `Origin` gets 403 (M3100). @default none
   */
  controlOrigins?: readonly string[]
  /** Open subscriptions per socket and per user. @default 50 and 200 */
  subscriptionLimits?: Partial<SubscriptionLimits>
}

/** The msw side of a gateway: handlers to install and a way to take them down. */
export interface GatewayHandlers {
  /** The handlers, for `setupWorker(...handlers)`, `setupServer(...handlers)` or `.use(...handlers)`. */
  handlers: Array<RequestHandler | WebSocketHandler>
  graphqlUrl: string
  wsUrl: string
  cableUrl: string
  /** How many graphql-ws sockets are open, per user id (only authenticated ones count). */
  openSockets(): Map<string, number>
  /** Closes every open socket with 1001 (going away) and stops listening to the gateway. */
  dispose(): void
}

/** What graphql-ws hands to `context()` and the other hooks for each socket. */
interface SocketExtra {
  socket: MockSocket
}

/** The adapter between one msw client connection and graphql-ws's `WebSocket` interface. */
interface MockSocket {
  readonly protocol: string
  send(data: string): void
  close(code?: number, reason?: string): void
  onMessage(callback: (data: string) => Promise<void>): void
  closed: boolean
}

/**
 * The msw handlers that serve `gateway` at `graphqlUrl` (HTTP) and `wsUrl` (graphql-transport-ws).
 * Scripted dropped connections (`dropConnectionAfterChunk`) close the user's sockets with 1006, as
 * a network failure would. What a request means is decided in `./transport/` and
 * `./executionResults.ts`; this file only adapts msw's requests and connections.
 */
export function createGatewayHandlers(gateway: Gateway, options: GatewayHandlersOptions = {}): GatewayHandlers {
  const { authenticate = (authorization) => gateway.authenticate(authorization), scenarioControl = true } = options
  const graphqlUrl = absoluteUrl(options.graphqlUrl ?? DEFAULT_MOCK_GRAPHQL_URL, 'graphqlUrl')
  const wsUrl = options.wsUrl ?? graphqlUrl.replace(/^http/, 'ws')
  if (!/^wss?:\/\//.test(wsUrl)) {
    throw new TypeError(`[duo-chat-drawer/mocks]: wsUrl must be an absolute ws:// or wss:// URL, got "${wsUrl}".`)
  }
  const sockets = new Set<MockSocket>()
  const documents = createDocumentCache(gateway)
  const setup = createGraphqlWsOptions<SocketExtra>({
    gateway,
    documents,
    authenticate,
    subscriptionLimits: options.subscriptionLimits,
    // A scripted dropped connection: close as a network failure would (1006), no protocol goodbye.
    drop: (extra) => extra.socket.close(1006, 'Connection dropped (scripted)'),
  })
  const wsServer = makeServer(setup.options)
  const cableUrl = options.cableUrl ?? `${new URL(graphqlUrl).origin.replace(/^http/, 'ws')}/-/cable`
  const cookie = options.cookie ?? (() => globalThis.document?.cookie ?? null)
  const signInOf = (authorization: string | null, cookieHeader: string | null): SignIn | null => {
    if (authorization) {
      const viewer = authenticate(authorization)
      return viewer ? { viewer, session: null } : null
    }
    return signIn(gateway, { authorization: null, cookie: cookieHeader ?? cookie() })
  }
  const cable = createActionCable({ gateway, documents, subscriptionLimits: options.subscriptionLimits })
  const cableSockets = new Set<{ close(): void }>()
  const cableHandler = ws.link(cableUrl).addEventListener('connection', ({ client }) => {
    let open = true
    let handle: CableConnectionHandle | null = null
    const socket = {
      send: (text: string) => open && client.send(text),
      close: () => {
        if (!open) return
        open = false
        client.close()
        handle?.closed()
      },
      // A scripted dropped connection: 1006, as a network failure.
      terminate: () => {
        if (!open) return
        open = false
        client.close(1006, 'Connection dropped (scripted)')
        handle?.closed()
      },
    }
    cableSockets.add(socket)
    const connected = cable.connect(socket, signInOf(null, null)?.viewer ?? null)
    handle = connected
    client.addEventListener('message', (event) => {
      if (typeof event.data === 'string' && new TextEncoder().encode(event.data).byteLength <= MAX_BODY_BYTES) connected.receive(event.data)
    })
    client.addEventListener('close', () => {
      cableSockets.delete(socket)
      if (!open) return
      open = false
      connected.closed()
    })
  })

  const wsHandler = ws.link(wsUrl).addEventListener('connection', ({ client, info }) => {
    let listener: ((data: string) => Promise<void>) | null = null
    const protocol = handleProtocols(info.protocols ?? []) || ''
    const socket: MockSocket = {
      protocol,
      closed: false,
      send: (data) => {
        if (!socket.closed) client.send(data)
      },
      close: (code, reason) => {
        if (socket.closed) return
        socket.closed = true
        sockets.delete(socket)
        client.close(code, reason)
        void closed(code ?? 1000, reason ?? '')
      },
      onMessage: (callback) => {
        listener = callback
      },
    }
    sockets.add(socket)
    const closed = wsServer.opened(socket, { socket })
    client.addEventListener('message', (event) => {
      const data = typeof event.data === 'string' ? event.data : null
      if (data === null || new TextEncoder().encode(data).byteLength > MAX_BODY_BYTES) {
        socket.close(data === null ? CloseCode.BadRequest : 1009, data === null ? 'Binary messages are not supported' : 'Message too big')
        return
      }
      listener?.(data).catch((error: unknown) => {
        console.error('[mock gateway] a WebSocket message failed', error)
        socket.close(CloseCode.InternalServerError, 'Internal server error')
      })
    })
    client.addEventListener('close', (event) => {
      if (socket.closed) return
      socket.closed = true
      sockets.delete(socket)
      void closed(event.code, event.reason)
    })
  })

  const serveGraphql = async ({ request }: { request: Request }) => {
    const signedIn = signInOf(request.headers.get('authorization'), request.headers.get('cookie'))
    if (!signedIn) {
      gateway.audit({ time: new Date().toISOString(), level: 'warn', event: 'auth_failed', transport: 'http', userId: null })
      return reply(httpError(401, 'Invalid or missing bearer token', 'UNAUTHENTICATED'))
    }
    if (!csrfAccepted(signedIn, request.headers.get('x-csrf-token'))) return reply(CSRF_REFUSAL)
    const viewer = signedIn.viewer
    try {
      const traceparent = request.headers.get('traceparent')
      return reply(await executeHttpBody(gateway, documents, await readRequestJson(request), viewer, { traceparent }))
    } catch (error) {
      if (error instanceof BodyError) return reply(error.reply)
      throw error
    }
  }
  const apiGraphqlUrl = `${new URL(graphqlUrl).origin}/api/graphql`
  const handlers: Array<RequestHandler | WebSocketHandler> = [http.post(graphqlUrl, serveGraphql), wsHandler, cableHandler]
  // GitLab's path, for hosts configured as inside GitLab (transport 'actioncable').
  if (apiGraphqlUrl !== graphqlUrl) handlers.push(http.post(apiGraphqlUrl, serveGraphql))

  if (scenarioControl) {
    const origin = new URL(graphqlUrl).origin
    const pageOrigin = globalThis.location?.origin
    const origins = [origin, ...(pageOrigin && pageOrigin !== 'null' ? [pageOrigin] : []), ...(options.controlOrigins ?? [])]
    // msw only sees the page's own requests, and the URL matched already: no Host to check.
    const control = createControlRoutes(gateway, () => ({ origins, hosts: null }))
    for (const path of control.paths) {
      handlers.push(
        http.all(`${origin}${path}`, async ({ request }) => {
          const answer = await control.handle({
            method: request.method,
            path,
            header: (name) => request.headers.get(name),
            json: () => readRequestJson(request, { allowEmpty: true }),
          })
          return reply(answer, answer.headers)
        }),
      )
    }
  }

  return {
    handlers,
    graphqlUrl,
    wsUrl,
    cableUrl,
    openSockets: setup.openSockets,
    dispose() {
      setup.dispose()
      cable.dispose()
      for (const socket of [...sockets]) socket.close(1001, 'Going away')
      for (const socket of [...cableSockets]) socket.close()
    },
  }
}

/** A reply as a Response, serialized first so that a body that cannot be is a 500 with a code, not a crash. */
function reply(answer: HttpReply, headers: Record<string, string> = {}): Response {
  if (answer.body === undefined) return new HttpResponse(null, { status: answer.status, headers })
  const { status, text } = serializeReply(answer)
  return new HttpResponse(text, { status, headers: { ...headers, 'Content-Type': 'application/json' } })
}

/** The URL made absolute against the page (a relative one only works in a browser). */
function absoluteUrl(url: string, name: string): string {
  try {
    return new URL(url, globalThis.location?.href).href
  } catch {
    throw new TypeError(`[duo-chat-drawer/mocks]: ${name} must be an absolute http(s) URL outside a browser page, got "${url}".`)
  }
}
