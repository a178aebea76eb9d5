import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { pathToFileURL } from 'node:url'
import { execute, GraphQLError, parse, validate, type DocumentNode } from 'graphql'
import { useServer } from 'graphql-ws/use/ws'
import { WebSocketServer, type WebSocket } from 'ws'
import { createGateway, type Gateway, type GatewayOptions, type Viewer } from './gateway/index'

export interface GatewayServerOptions extends GatewayOptions {
  /** @default 4000 (or GATEWAY_PORT); 0 picks a free port */
  port?: number
  /** @default '127.0.0.1' */
  host?: string
  /** Serve `POST /__mock/scenario` and `POST /__mock/reset`. @default NODE_ENV !== 'production' */
  scenarioControl?: boolean
  /** Print one line per HTTP request. @default false */
  log?: boolean
}

export interface GatewayServer {
  /** `http://host:port/graphql` */
  url: string
  /** `ws://host:port/graphql` */
  wsUrl: string
  /** The base URL, e.g. for `/__mock/scenario`. */
  origin: string
  gateway: Gateway
  close(): Promise<void>
}

const MAX_BODY_BYTES = 1_000_000

/**
 * The Node transport of the mock gateway: GraphQL over HTTP POST and graphql-transport-ws on the
 * same `/graphql` path, plus the scenario control API in dev and test mode.
 */
export async function startGatewayServer(options: GatewayServerOptions = {}): Promise<GatewayServer> {
  const {
    port = Number(process.env.GATEWAY_PORT ?? 4000),
    host = '127.0.0.1',
    scenarioControl = process.env.NODE_ENV !== 'production',
    log = false,
    ...gatewayOptions
  } = options
  const gateway = createGateway(gatewayOptions)
  const viewers = new WeakMap<WebSocket, Viewer>()
  const socketsByUser = new Map<string, Set<WebSocket>>()

  const server = createServer((request, response) => {
    handleHttp(request, response).catch((error: unknown) => {
      console.error('[gateway] request failed', error)
      if (!response.headersSent) sendJson(response, 500, { errors: [{ message: 'Internal server error' }] })
    })
    if (log) response.on('finish', () => console.log(`[gateway] ${request.method} ${request.url} ${response.statusCode}`))
  })

  async function handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    setCors(request, response)
    const path = new URL(request.url ?? '/', 'http://localhost').pathname
    if (request.method === 'OPTIONS') {
      response.writeHead(204).end()
      return
    }
    if (path === '/graphql' && request.method === 'POST') {
      await handleGraphql(request, response)
      return
    }
    if (scenarioControl && request.method === 'POST' && path === '/__mock/scenario') {
      const body = await readJson(request)
      try {
        gateway.scenario(gateway.parseScenario(body))
      } catch (error) {
        sendJson(response, 400, { error: error instanceof Error ? error.message : String(error) })
        return
      }
      sendJson(response, 200, { ok: true })
      return
    }
    if (scenarioControl && request.method === 'POST' && path === '/__mock/reset') {
      gateway.reset()
      sendJson(response, 200, { ok: true })
      return
    }
    if (path === '/health') {
      sendJson(response, 200, { ok: true })
      return
    }
    sendJson(response, 404, { error: `No route for ${request.method} ${path}` })
  }

  async function handleGraphql(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const viewer = gateway.authenticate(request.headers.authorization)
    if (!viewer) {
      sendJson(response, 401, { errors: [{ message: 'Invalid or missing bearer token', extensions: { code: 'UNAUTHENTICATED' } }] })
      return
    }
    let body: unknown
    try {
      body = await readJson(request)
    } catch (error) {
      sendJson(response, 400, { errors: [{ message: error instanceof Error ? error.message : String(error) }] })
      return
    }
    const { query, variables, operationName } = (body ?? {}) as Record<string, unknown>
    if (typeof query !== 'string') {
      sendJson(response, 400, { errors: [{ message: 'The request body must have a "query" string.' }] })
      return
    }
    let document: DocumentNode
    try {
      document = parse(query)
    } catch (error) {
      sendJson(response, 400, { errors: [error instanceof GraphQLError ? error.toJSON() : { message: String(error) }] })
      return
    }
    const validationErrors = validate(gateway.schema, document)
    if (validationErrors.length) {
      sendJson(response, 400, { errors: validationErrors.map((e) => e.toJSON()) })
      return
    }
    const result = await execute({
      schema: gateway.schema,
      document,
      variableValues: (variables ?? undefined) as Record<string, unknown> | undefined,
      operationName: typeof operationName === 'string' ? operationName : undefined,
      contextValue: gateway.context(viewer),
    })
    sendJson(response, 200, result)
  }

  const wsServer = new WebSocketServer({ server, path: '/graphql' })
  const wsDisposable = useServer(
    {
      schema: gateway.schema,
      onConnect: (ctx) => {
        const params = ctx.connectionParams ?? {}
        const viewer = gateway.authenticate(typeof params.authorization === 'string' ? params.authorization : null)
        if (!viewer) return false // graphql-ws closes with 4403 Forbidden
        const socket = ctx.extra.socket
        viewers.set(socket, viewer)
        const sockets = socketsByUser.get(viewer.id) ?? new Set()
        sockets.add(socket)
        socketsByUser.set(viewer.id, sockets)
        socket.once('close', () => sockets.delete(socket))
        return true
      },
      context: (ctx) => gateway.context(viewers.get(ctx.extra.socket) ?? null),
    },
    wsServer,
  )

  // A scripted dropped connection: terminate, as a network failure would, without a close frame.
  const stopDropListener = gateway.onConnectionDrop((userId) => {
    for (const socket of socketsByUser.get(userId) ?? []) socket.terminate()
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  const address = server.address() as AddressInfo
  const origin = `http://${host}:${address.port}`

  return {
    url: `${origin}/graphql`,
    wsUrl: `ws://${host}:${address.port}/graphql`,
    origin,
    gateway,
    async close() {
      stopDropListener()
      gateway.dispose()
      for (const client of wsServer.clients) client.terminate()
      await wsDisposable.dispose()
      await new Promise<void>((resolve) => wsServer.close(() => resolve()))
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

function setCors(request: IncomingMessage, response: ServerResponse): void {
  // The demo and Storybook are served from other ports; the gateway is a local mock.
  response.setHeader('Access-Control-Allow-Origin', request.headers.origin ?? '*')
  response.setHeader('Vary', 'Origin')
  response.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS')
  response.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type')
  response.setHeader('Access-Control-Max-Age', '600')
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  let size = 0
  const chunks: Buffer[] = []
  for await (const chunk of request) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) throw new Error(`The request body is larger than ${MAX_BODY_BYTES} bytes.`)
    chunks.push(chunk as Buffer)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  if (!text) return {}
  try {
    return JSON.parse(text)
  } catch {
    throw new Error('The request body is not valid JSON.')
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' })
  response.end(JSON.stringify(body))
}

function timingFromEnv(): GatewayOptions['timing'] {
  const read = (name: string) => (process.env[name] === undefined ? undefined : Number(process.env[name]))
  const timing = { toolMs: read('GATEWAY_TOOL_MS'), chunkDelayMs: read('GATEWAY_CHUNK_DELAY_MS'), chunkSize: read('GATEWAY_CHUNK_SIZE') }
  return Object.fromEntries(Object.entries(timing).filter(([, value]) => value !== undefined && Number.isFinite(value)))
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const running = await startGatewayServer({ timing: timingFromEnv(), log: true })
  console.log(`Mock AI gateway on ${running.url} (ws: ${running.wsUrl})`)
  const shutdown = () => void running.close().then(() => process.exit(0))
  process.once('SIGINT', shutdown)
  process.once('SIGTERM', shutdown)
}

export { timingFromEnv }
