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
 * - `POST <origin>/__mock/scenario` and `POST <origin>/__mock/reset`, as on the Node server.
 *
 * The handlers are plain msw handlers: pass them to `setupWorker()` (browser) or `setupServer()`
 * (Node), whichever the caller runs. This module imports neither, so it loads in both.
 */
import { CloseCode, handleProtocols, makeServer } from 'graphql-ws'
import { http, HttpResponse, ws, type JsonBodyType, type RequestHandler, type WebSocketHandler } from 'msw'
import type { Gateway, Viewer } from './gateway/index'
import { executeHttpBody, formatResult, MAX_QUERY_TOKENS, maskUnexpectedErrors } from './executionResults'
import { DocumentCache, isErrorList } from './fanout'

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
  /** Serve `POST <origin>/__mock/scenario` and `POST <origin>/__mock/reset`. @default true */
  scenarioControl?: boolean
}

/** The msw side of a gateway: handlers to install and a way to take them down. */
export interface GatewayHandlers {
  /** The handlers, for `setupWorker(...handlers)`, `setupServer(...handlers)` or `.use(...handlers)`. */
  handlers: Array<RequestHandler | WebSocketHandler>
  graphqlUrl: string
  wsUrl: string
  /** How many graphql-ws sockets are open, per user id (only authenticated ones count). */
  openSockets(): Map<string, number>
  /** Closes every open socket with 1001 (going away) and stops listening to the gateway. */
  dispose(): void
}

/** The largest HTTP body and WebSocket message accepted, as on the Node server. */
const MAX_BODY_CHARS = 1_000_000

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
  viewer: Viewer | null
  closed: boolean
}

/**
 * The msw handlers that serve `gateway` at `graphqlUrl` (HTTP) and `wsUrl` (graphql-transport-ws).
 * Scripted dropped connections (`dropConnectionAfterChunk`) close the user's sockets with 1006, as
 * a network failure would.
 */
export function createGatewayHandlers(gateway: Gateway, options: GatewayHandlersOptions = {}): GatewayHandlers {
  const { authenticate = (authorization) => gateway.authenticate(authorization), scenarioControl = true } = options
  const graphqlUrl = absoluteUrl(options.graphqlUrl ?? DEFAULT_MOCK_GRAPHQL_URL, 'graphqlUrl')
  const wsUrl = options.wsUrl ?? graphqlUrl.replace(/^http/, 'ws')
  if (!/^wss?:\/\//.test(wsUrl)) {
    throw new TypeError(`[duo-chat-drawer/mocks]: wsUrl must be an absolute ws:// or wss:// URL, got "${wsUrl}".`)
  }
  const sockets = new Set<MockSocket>()

  const documents = new DocumentCache(gateway.schema, MAX_QUERY_TOKENS)
  const wsServer = makeServer<Record<string, unknown> | undefined, SocketExtra>({
    schema: gateway.schema,
    onConnect: (ctx) => {
      const authorization = ctx.connectionParams?.authorization
      const viewer = authenticate(typeof authorization === 'string' ? authorization : null)
      if (!viewer) {
        gateway.audit({ time: new Date().toISOString(), level: 'warn', event: 'auth_failed', transport: 'ws', userId: null })
        return false // graphql-ws closes with 4403 Forbidden
      }
      ctx.extra.socket.viewer = viewer
      return true
    },
    // Parsed here so that a malformed document is answered with an `error` message for that
    // operation rather than a 4500 close of the whole socket.
    onSubscribe: (_ctx, _id, payload) => {
      const document = documents.get(payload.query)
      if (isErrorList(document)) return document
      return { schema: gateway.schema, document, operationName: payload.operationName, variableValues: payload.variables }
    },
    onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? formatResult(maskUnexpectedErrors(result)) : undefined),
    context: (ctx) => gateway.context(ctx.extra.socket.viewer),
  })

  const wsHandler = ws.link(wsUrl).addEventListener('connection', ({ client, info }) => {
    let listener: ((data: string) => Promise<void>) | null = null
    const protocol = handleProtocols(info.protocols ?? []) || ''
    const socket: MockSocket = {
      protocol,
      viewer: null,
      closed: false,
      send: (data) => {
        if (!socket.closed) client.send(data)
      },
      close: (code, reason) => {
        if (socket.closed) return
        socket.closed = true
        sockets.delete(socket)
        client.close(code, reason)
      },
      onMessage: (callback) => {
        listener = callback
      },
    }
    sockets.add(socket)
    const closed = wsServer.opened(socket, { socket })
    client.addEventListener('message', (event) => {
      const data = typeof event.data === 'string' ? event.data : null
      if (data === null || data.length > MAX_BODY_CHARS) {
        socket.close(data === null ? CloseCode.BadRequest : 1009, data === null ? 'Binary messages are not supported' : 'Message too big')
        return
      }
      listener?.(data).catch((error: unknown) => {
        console.error('[mock gateway] a WebSocket message failed', error)
        socket.close(CloseCode.InternalServerError, 'Internal server error')
      })
    })
    client.addEventListener('close', (event) => {
      socket.closed = true
      sockets.delete(socket)
      void closed(event.code, event.reason)
    })
  })

  // A scripted dropped connection: close as a network failure would (1006), no protocol goodbye.
  const stopDropListener = gateway.onConnectionDrop((userId) => {
    for (const socket of [...sockets]) if (socket.viewer?.id === userId) socket.close(1006, 'Connection dropped (scripted)')
  })

  const graphqlHandler = http.post(graphqlUrl, async ({ request }) => {
    const viewer = authenticate(request.headers.get('authorization'))
    if (!viewer) {
      gateway.audit({ time: new Date().toISOString(), level: 'warn', event: 'auth_failed', transport: 'http', userId: null })
      return errorResponse(401, 'Invalid or missing bearer token', 'UNAUTHENTICATED')
    }
    const body = await readJson(request)
    if (body instanceof Response) return body
    const reply = await executeHttpBody(gateway, documents, body, viewer)
    return HttpResponse.json(reply.body as JsonBodyType, { status: reply.status })
  })

  const handlers: Array<RequestHandler | WebSocketHandler> = [graphqlHandler, wsHandler]

  if (scenarioControl) {
    const origin = new URL(graphqlUrl).origin
    handlers.push(
      http.post(`${origin}/__mock/scenario`, async ({ request }) => {
        const body = await readJson(request)
        if (body instanceof Response) {
          const problem = ((await body.json()) as { errors: { message: string }[] }).errors[0]?.message
          return HttpResponse.json({ error: problem }, { status: body.status })
        }
        try {
          gateway.scenario(gateway.parseScenario(body))
        } catch (error) {
          return HttpResponse.json({ error: error instanceof Error ? error.message : String(error) }, { status: 400 })
        }
        return HttpResponse.json({ ok: true })
      }),
      http.post(`${origin}/__mock/reset`, () => {
        gateway.reset()
        return HttpResponse.json({ ok: true })
      }),
    )
  }

  return {
    handlers,
    graphqlUrl,
    wsUrl,
    openSockets() {
      const counts = new Map<string, number>()
      for (const socket of sockets) if (socket.viewer) counts.set(socket.viewer.id, (counts.get(socket.viewer.id) ?? 0) + 1)
      return counts
    },
    dispose() {
      stopDropListener()
      for (const socket of [...sockets]) socket.close(1001, 'Going away')
    },
  }
}

/** The URL made absolute against the page (a relative one only works in a browser). */
function absoluteUrl(url: string, name: string): string {
  try {
    return new URL(url, globalThis.location?.href).href
  } catch {
    throw new TypeError(`[duo-chat-drawer/mocks]: ${name} must be an absolute http(s) URL outside a browser page, got "${url}".`)
  }
}

/** The document, or the GraphQL errors that say why there is none. */
function errorResponse(status: number, message: string, code = 'BAD_REQUEST'): Response {
  return HttpResponse.json({ errors: [{ message, extensions: { code } }] }, { status })
}

/** The body as JSON, or the error response that says why it is not. */
async function readJson(request: Request): Promise<unknown> {
  const text = await request.text()
  if (text.length > MAX_BODY_CHARS) {
    return errorResponse(413, `The request body is larger than ${MAX_BODY_CHARS.toLocaleString('en-US')} bytes.`, 'PAYLOAD_TOO_LARGE')
  }
  if (!text.trim()) return errorResponse(400, 'The request body is empty; send a JSON object with a "query" string.')
  try {
    return JSON.parse(text) as unknown
  } catch {
    return errorResponse(400, 'The request body is not valid JSON.')
  }
}
