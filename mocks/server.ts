import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { pathToFileURL } from 'node:url'
import { useServer } from 'graphql-ws/use/ws'
import { WebSocketServer, type WebSocket } from 'ws'
import { combineObservers, createGateway, createJsonLineLogger, type Gateway, type GatewayOptions } from './gateway/index'
import { gatewayOptionsFromEnv, timingFromEnv } from './gatewayEnv'
import { executeHttpBody, httpError, serializeReply, type HttpReply } from './executionResults'
import { BodyError, bodyTooLarge, MAX_BODY_BYTES, parseJsonBody } from './transport/bodyLimit'
import { demoOrigins, loopbackHosts, originsOf, type ControlAccess } from './transport/controlAccess'
import { createControlRoutes } from './transport/controlRoutes'
import { createGatewayObservability, openSubscriptions } from './observability/index'
import { createDocumentCache } from './transport/documents'
import { createGraphqlWsOptions } from './transport/graphqlWsOptions'
import { CABLE_PROTOCOLS, createActionCable } from './transport/actionCable'
import { CSRF_REFUSAL, csrfAccepted, signIn } from './transport/gitlabSession'
import type { SubscriptionLimits } from './transport/subscriptionLimits'

export { MAX_BODY_BYTES } from './transport/bodyLimit'
export { gatewayOptionsFromEnv, timingFromEnv } from './gatewayEnv'
export type { SubscriptionLimits } from './transport/subscriptionLimits'
export { DEFAULT_SUBSCRIPTION_LIMITS } from './transport/subscriptionLimits'

export interface GatewayServerOptions extends GatewayOptions {
  /** @default 4000 (or GATEWAY_PORT); 0 picks a free port */
  port?: number
  /** @default '127.0.0.1' */
  host?: string
  /** Serve `POST /__mock/scenario` and `POST /__mock/reset`. @default NODE_ENV !== 'production' */
  scenarioControl?: boolean
  /**
   * Origins, besides the gateway's own, whose pages may call the control routes; requests from any
   * other `Origin` are refused with 403 (M3100). Requests without `Origin` (scripts, tests) pass.
   * @default the demo's: `http://127.0.0.1:<DEMO_PORT>` and `http://localhost:<DEMO_PORT>` (5173)
   */
  controlOrigins?: readonly string[]
  /**
   * `Host` values, besides `127.0.0.1`, `localhost` and `[::1]` with the port (and `host` itself),
   * that the control routes accept (M3101 otherwise): names a proxy forwards under. @default none
   */
  controlHosts?: readonly string[]
  /** Interval of the ActionCable pings at `/-/cable`. @default 3000, as Rails */
  cablePingMs?: number
  /** Open subscriptions per socket and per user. @default DEFAULT_SUBSCRIPTION_LIMITS (50, 200) */
  subscriptionLimits?: Partial<SubscriptionLimits>
  /** Print one line per HTTP request, and the audit trail as JSON lines on stdout. @default false */
  log?: boolean
  /**
   * Where GATEWAY_* settings come from (model providers, breaker, rate limit, audit log; see
   * {@link gatewayOptionsFromEnv}); explicit options win. `false` ignores the environment.
   * @default process.env
   */
  env?: Record<string, string | undefined> | false
}

export interface GatewayServer {
  /** `http://host:port/graphql` */
  url: string
  /** `ws://host:port/graphql` */
  wsUrl: string
  /** `ws://host:port/-/cable`: GitLab's ActionCable endpoint */
  cableUrl: string
  /** The base URL, e.g. for `/__mock/scenario`. */
  origin: string
  gateway: Gateway
  close(): Promise<void>
}

/** A body this much over the limit is not drained but cut off. */
const MAX_DRAIN_BYTES = 16 * MAX_BODY_BYTES

const INTERNAL_ERROR = httpError(500, 'Internal server error', 'INTERNAL_SERVER_ERROR')

/**
 * The Node transport of the mock gateway: GraphQL over HTTP POST and graphql-transport-ws on the
 * same `/graphql` path, plus the control routes in dev and test mode. What a request means is
 * decided in `./transport/` and `./executionResults.ts`; this file only speaks Node's HTTP and ws.
 */
export async function startGatewayServer(options: GatewayServerOptions = {}): Promise<GatewayServer> {
  const {
    port = Number(process.env.GATEWAY_PORT ?? 4000),
    host = '127.0.0.1',
    scenarioControl = process.env.NODE_ENV !== 'production',
    controlOrigins = demoOrigins(Number(process.env.DEMO_PORT ?? 5173)),
    controlHosts = [],
    subscriptionLimits,
    cablePingMs,
    log = false,
    env = process.env,
    ...explicit
  } = options
  const fromEnv = env ? gatewayOptionsFromEnv(env) : {}
  const auditToStdout = log || (env && env.GATEWAY_AUDIT_LOG === '1')
  const gatewayOptions: GatewayOptions = {
    ...explicit,
    providers: explicit.providers ?? (explicit.model ? undefined : fromEnv.providers),
    breaker: explicit.breaker ?? fromEnv.breaker,
    pipeline: explicit.pipeline ?? fromEnv.pipeline,
    transcriber: explicit.transcriber ?? fromEnv.transcriber,
    limits: { ...fromEnv.limits, ...explicit.limits },
    audit: explicit.audit ?? (auditToStdout ? createJsonLineLogger((line) => process.stdout.write(line)) : undefined),
  }
  // Metrics always; traces kept in memory in dev and test mode, sent over OTLP when OTEL_* says where.
  const observability = createGatewayObservability({ env: env || {}, keepInMemory: scenarioControl })
  gatewayOptions.observer = combineObservers(explicit.observer, observability.observer)
  const gateway = createGateway(gatewayOptions)
  if (fromEnv.providers && gatewayOptions.providers === fromEnv.providers) {
    console.log(`[gateway] model providers: ${fromEnv.providers.map((provider) => provider.name).join(' → ')}`)
  }
  if (fromEnv.transcriber && gatewayOptions.transcriber === fromEnv.transcriber) console.log(`[gateway] transcription: ${fromEnv.transcriber.name}`)
  const documents = createDocumentCache(gateway)
  // Known once the server listens (port 0 picks one); no request arrives before.
  let access: ControlAccess = { origins: [], hosts: [] }
  const control = createControlRoutes(gateway, () => access, { traces: (requestId) => observability.tracing.trace(requestId) })

  const server = createServer((request, response) => {
    handleHttp(request, response).catch((error: unknown) => {
      if (error instanceof BodyError) {
        request.resume()
        send(response, error.reply)
        return
      }
      console.error('[gateway] request failed', error)
      if (!response.headersSent) send(response, INTERNAL_ERROR)
      else response.end()
    })
    if (log) response.on('finish', () => console.log(`[gateway] ${request.method} ${request.url} ${response.statusCode}`))
  })

  async function handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname
    if (scenarioControl && control.handles(path)) {
      const reply = await control.handle({
        method: request.method ?? 'GET',
        path,
        header: (name) => headerOf(request, name),
        json: async () => parseJsonBody(await readBody(request), { allowEmpty: true }),
      })
      request.resume() // a refused request's body is not read: let it drain
      send(response, reply, reply.headers)
      return
    }
    setCors(request, response)
    if (request.method === 'OPTIONS') {
      response.writeHead(204).end()
      return
    }
    const graphqlPath = path === '/graphql' || path === '/api/graphql'
    if (graphqlPath && request.method === 'POST') {
      // Bearer token (API clients, the graphql-ws demo) or GitLab's session cookie (same-origin pages).
      const signedIn = signIn(gateway, { authorization: headerOf(request, 'authorization'), cookie: headerOf(request, 'cookie') })
      if (!signedIn) {
        gateway.audit({ time: new Date().toISOString(), level: 'warn', event: 'auth_failed', transport: 'http', userId: null })
        request.resume()
        send(response, httpError(401, 'Invalid or missing bearer token', 'UNAUTHENTICATED'))
        return
      }
      if (!csrfAccepted(signedIn, headerOf(request, 'x-csrf-token'))) {
        request.resume()
        send(response, CSRF_REFUSAL)
        return
      }
      const traceparent = headerOf(request, 'traceparent')
      send(response, await executeHttpBody(gateway, documents, parseJsonBody(await readBody(request)), signedIn.viewer, { traceparent }))
      return
    }
    if (graphqlPath) {
      response.setHeader('Allow', 'POST, OPTIONS')
      send(response, httpError(405, 'Send GraphQL queries and mutations with POST, subscriptions over WebSocket.', 'METHOD_NOT_ALLOWED'))
      return
    }
    if (path === '/metrics' && request.method === 'GET') {
      const { contentType, text } = await observability.metrics.scrape()
      response.writeHead(200, { 'Content-Type': contentType }).end(text)
      return
    }
    if (path === '/health') {
      send(response, { status: 200, body: { ok: true } })
      return
    }
    send(response, { status: 404, body: { error: `No route for ${request.method} ${path}` } })
  }

  // A WebSocket message over the limit closes the socket with 1009 (message too big).
  const wsServer = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY_BYTES })
  const ws = createGraphqlWsOptions<{ socket: WebSocket; request: IncomingMessage }>({
    gateway,
    documents,
    subscriptionLimits,
    // A scripted dropped connection: terminate, as a network failure would, without a close frame.
    drop: (extra) => extra.socket.terminate(),
  })
  // isProd: a failure that closes a socket (4500) says "Internal server error", never its own text.
  const wsDisposable = useServer({ ...ws.options, isProd: true }, wsServer)

  // GitLab's ActionCable at /-/cable: signed in by the session cookie (or a bearer token) of the upgrade request.
  const cableServer = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_BODY_BYTES,
    handleProtocols: (protocols) => (protocols.has(CABLE_PROTOCOLS[0]) ? CABLE_PROTOCOLS[0] : false),
  })
  const cable = createActionCable({ gateway, documents, subscriptionLimits, pingIntervalMs: cablePingMs })
  // Saturation over both transports: graphql-ws at /graphql and ActionCable at /-/cable.
  observability.bind({
    activeSubscriptions: () => openSubscriptions(ws.subscriptions) + openSubscriptions(cable.subscriptions),
    providers: () => gateway.providerStatus(),
  })
  cableServer.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    const signedIn = signIn(gateway, { authorization: headerOf(request, 'authorization'), cookie: headerOf(request, 'cookie') })
    // A browser sends the cookie with a socket opened by any page: as Rails' allowed_request_origins,
    // a cookie session counts only from the page's own origin, the demo's or the gateway's.
    const origin = headerOf(request, 'origin')
    const trusted = !signedIn?.session || origin === null || origin === `http://${request.headers.host ?? ''}` || access.origins.includes(origin)
    const handle = cable.connect(
      { send: (text) => socket.readyState === socket.OPEN && socket.send(text), close: () => socket.close(), terminate: () => socket.terminate() },
      trusted ? (signedIn?.viewer ?? null) : null,
    )
    socket.on('message', (data, isBinary) => {
      if (!isBinary) handle.receive(data.toString())
    })
    socket.on('close', () => handle.closed())
  })

  server.on('upgrade', (request, socket, head) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname
    const target = path === '/graphql' ? wsServer : path === '/-/cable' ? cableServer : null
    if (!target) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n')
      return
    }
    target.handleUpgrade(request, socket, head, (client) => target.emit('connection', client, request))
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  const address = server.address() as AddressInfo
  const hostInUrl = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host
  const origin = `http://${hostInUrl}:${address.port}`
  const ownHosts = [...loopbackHosts(address.port, host), ...controlHosts.map((name) => name.toLowerCase())]
  access = { origins: [...originsOf(ownHosts), ...controlOrigins], hosts: ownHosts }

  return {
    url: `${origin}/graphql`,
    wsUrl: `ws://${hostInUrl}:${address.port}/graphql`,
    cableUrl: `ws://${hostInUrl}:${address.port}/-/cable`,
    origin,
    gateway,
    async close() {
      ws.dispose()
      cable.closeAll()
      cable.dispose()
      gateway.dispose()
      for (const client of wsServer.clients) client.terminate()
      for (const client of cableServer.clients) client.terminate()
      await wsDisposable.dispose()
      await new Promise<void>((resolve) => wsServer.close(() => resolve()))
      await new Promise<void>((resolve) => cableServer.close(() => resolve()))
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await observability.shutdown()
    },
  }
}

function headerOf(request: IncomingMessage, name: string): string | null {
  const value = request.headers[name.toLowerCase()]
  return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value
}

/** Writes a reply, serialized before the headers go out (see {@link serializeReply}). */
function send(response: ServerResponse, reply: HttpReply, headers: Record<string, string> = {}): void {
  if (reply.body === undefined) {
    response.writeHead(reply.status, headers).end()
    return
  }
  const { status, text } = serializeReply(reply)
  response.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8' })
  response.end(text)
}

function setCors(request: IncomingMessage, response: ServerResponse): void {
  // The demo and Storybook are served from other ports, and GraphQL requests carry a bearer token,
  // not a cookie. The control routes never come here: they answer with their own headers.
  response.setHeader('Access-Control-Allow-Origin', request.headers.origin ?? '*')
  response.setHeader('Vary', 'Origin')
  response.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS')
  response.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-CSRF-Token, traceparent')
  response.setHeader('Access-Control-Max-Age', '600')
}

/**
 * The body's bytes. A body over {@link MAX_BODY_BYTES} is read to its end and dropped, so that the
 * client gets its 413 rather than a reset connection; one far over it is cut off.
 */
function readBody(request: IncomingMessage): Promise<Buffer> {
  const declared = Number(request.headers['content-length'])
  if (Number.isFinite(declared) && declared > MAX_DRAIN_BYTES) {
    request.destroy()
    return Promise.reject(bodyTooLarge())
  }
  return new Promise<Buffer>((resolve, reject) => {
    let size = 0
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_BODY_BYTES) chunks.push(chunk)
      else chunks.length = 0
      if (size > MAX_DRAIN_BYTES) {
        reject(bodyTooLarge())
        request.destroy()
      }
    })
    request.on('end', () => (size > MAX_BODY_BYTES ? reject(bodyTooLarge()) : resolve(Buffer.concat(chunks))))
    request.on('error', () => reject(new BodyError(httpError(400, 'The request body could not be read.'))))
  })
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const running = await startGatewayServer({ timing: timingFromEnv(), log: true })
  console.log(`Mock AI gateway on ${running.url} (ws: ${running.wsUrl}, ActionCable: ${running.cableUrl})`)
  const shutdown = () => void running.close().then(() => process.exit(0))
  process.once('SIGINT', shutdown)
  process.once('SIGTERM', shutdown)
}

