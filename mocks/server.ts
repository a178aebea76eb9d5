import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { pathToFileURL } from 'node:url'
import { useServer } from 'graphql-ws/use/ws'
import { WebSocketServer, type WebSocket } from 'ws'
import { createSharedSubscribe, DocumentCache, isErrorList } from './fanout'
import {
  createFlakyProvider,
  createGateway,
  createJsonLineLogger,
  createOpenAiProvider,
  createScriptedProvider,
  openAiOptionsFromEnv,
  type BreakerOptions,
  type Gateway,
  type GatewayContext,
  type GatewayLimits,
  type GatewayOptions,
  type ModelProvider,
  type Viewer,
} from './gateway/index'
import { executeHttpBody, formatResult, MAX_QUERY_TOKENS, maskUnexpectedErrors } from './executionResults'

export interface GatewayServerOptions extends GatewayOptions {
  /** @default 4000 (or GATEWAY_PORT); 0 picks a free port */
  port?: number
  /** @default '127.0.0.1' */
  host?: string
  /** Serve `POST /__mock/scenario` and `POST /__mock/reset`. @default NODE_ENV !== 'production' */
  scenarioControl?: boolean
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
  /** The base URL, e.g. for `/__mock/scenario`. */
  origin: string
  gateway: Gateway
  close(): Promise<void>
}

/** The largest HTTP body and WebSocket message accepted. */
export const MAX_BODY_BYTES = 1_000_000
/** A body this much over the limit is not drained but cut off. */
const MAX_DRAIN_BYTES = 16 * MAX_BODY_BYTES
/** More tokens than any real client operation has; a bigger document is refused before it is parsed. */

/** An HTTP error answered as `{ errors: [{ message, extensions: { code } }] }`. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code = 'BAD_REQUEST',
  ) {
    super(message)
  }
}

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
    env = process.env,
    ...explicit
  } = options
  const fromEnv = env ? gatewayOptionsFromEnv(env) : {}
  const auditToStdout = log || (env && env.GATEWAY_AUDIT_LOG === '1')
  const gatewayOptions: GatewayOptions = {
    ...explicit,
    providers: explicit.providers ?? (explicit.model ? undefined : fromEnv.providers),
    breaker: explicit.breaker ?? fromEnv.breaker,
    limits: { ...fromEnv.limits, ...explicit.limits },
    audit: explicit.audit ?? (auditToStdout ? createJsonLineLogger((line) => process.stdout.write(line)) : undefined),
  }
  const gateway = createGateway(gatewayOptions)
  if (fromEnv.providers && gatewayOptions.providers === fromEnv.providers) {
    console.log(`[gateway] model providers: ${fromEnv.providers.map((provider) => provider.name).join(' → ')}`)
  }
  const viewers = new WeakMap<WebSocket, Viewer>()
  const socketsByUser = new Map<string, Set<WebSocket>>()
  const documents = new DocumentCache(gateway.schema, MAX_QUERY_TOKENS)

  const server = createServer((request, response) => {
    handleHttp(request, response).catch((error: unknown) => {
      if (error instanceof HttpError) {
        sendError(response, error)
        return
      }
      console.error('[gateway] request failed', error)
      if (!response.headersSent) sendJson(response, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] })
      else response.end()
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
    if (path === '/graphql') {
      response.setHeader('Allow', 'POST, OPTIONS')
      throw new HttpError(405, 'Send GraphQL queries and mutations with POST, subscriptions over WebSocket.', 'METHOD_NOT_ALLOWED')
    }
    if (scenarioControl && request.method === 'POST' && path === '/__mock/scenario') {
      let body: unknown
      try {
        body = await readJson(request)
      } catch (error) {
        if (!(error instanceof HttpError)) throw error
        sendJson(response, error.status, { error: error.message })
        return
      }
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

  /**
   * GraphQL over HTTP. Whatever the body holds (no JSON, the wrong shapes, a huge or malformed
   * document, variables of the wrong types), the answer is a GraphQL error response, never a crash.
   */
  async function handleGraphql(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const viewer = gateway.authenticate(request.headers.authorization)
    if (!viewer) {
      gateway.audit({ time: new Date().toISOString(), level: 'warn', event: 'auth_failed', transport: 'http', userId: null })
      request.resume()
      throw new HttpError(401, 'Invalid or missing bearer token', 'UNAUTHENTICATED')
    }
    const reply = await executeHttpBody(gateway, documents, await readJson(request), viewer)
    sendJson(response, reply.status, reply.body)
  }

  // A WebSocket message over the limit closes the socket with 1009 (message too big).
  const wsServer = new WebSocketServer({ server, path: '/graphql', maxPayload: MAX_BODY_BYTES })
  const wsDisposable = useServer(
    {
      schema: gateway.schema,
      onConnect: (ctx) => {
        const params = ctx.connectionParams ?? {}
        const viewer = gateway.authenticate(typeof params.authorization === 'string' ? params.authorization : null)
        if (!viewer) {
          gateway.audit({ time: new Date().toISOString(), level: 'warn', event: 'auth_failed', transport: 'ws', userId: null })
          return false // graphql-ws closes with 4403 Forbidden
        }
        const socket = ctx.extra.socket
        viewers.set(socket, viewer)
        const sockets = socketsByUser.get(viewer.id) ?? new Set()
        sockets.add(socket)
        socketsByUser.set(viewer.id, sockets)
        socket.once('close', () => {
          sockets.delete(socket)
          if (sockets.size === 0 && socketsByUser.get(viewer.id) === sockets) socketsByUser.delete(viewer.id)
        })
        return true
      },
      // Parsed here so that a malformed or oversized document is answered with an `error` message
      // for that operation; graphql-ws would otherwise close the whole socket with 4500.
      onSubscribe: (_ctx, _id, payload) => {
        const document = documents.get(payload.query)
        if (isErrorList(document)) return document
        return { schema: gateway.schema, document, operationName: payload.operationName, variableValues: payload.variables }
      },
      // One execution per event for all of a user's subscriptions with the same operation.
      subscribe: createSharedSubscribe((contextValue) => (contextValue as GatewayContext | undefined)?.viewer?.id ?? null),
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? formatResult(maskUnexpectedErrors(result)) : undefined),
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

/** Options for the gateway from GATEWAY_* variables; see README.reliability.md. */
export function gatewayOptionsFromEnv(env: Record<string, string | undefined>): {
  providers?: ModelProvider[]
  breaker?: Partial<BreakerOptions>
  limits?: Partial<GatewayLimits>
} {
  const number = (key: string, { min = 0, integer = false } = {}): number | undefined => {
    const raw = env[key]?.trim()
    if (!raw) return undefined
    const value = Number(raw)
    if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
      throw new Error(`${key} must be ${integer ? 'an integer' : 'a number'} >= ${min}, got "${raw}".`)
    }
    return value
  }
  const result: ReturnType<typeof gatewayOptionsFromEnv> = {}

  const openAi = openAiOptionsFromEnv(env)
  const failureRate = number('GATEWAY_PROVIDER_FAILURE_RATE')
  if (failureRate !== undefined && failureRate > 1) throw new Error(`GATEWAY_PROVIDER_FAILURE_RATE must be from 0 to 1, got ${failureRate}.`)
  if (openAi || failureRate) {
    const fallback = env.GATEWAY_OPENAI_FALLBACK?.trim() || 'scripted'
    if (fallback !== 'scripted' && fallback !== 'none') throw new Error(`GATEWAY_OPENAI_FALLBACK must be "scripted" or "none", got "${fallback}".`)
    let primary: ModelProvider = openAi ? createOpenAiProvider(openAi) : createScriptedProvider('scripted-primary')
    if (failureRate) primary = createFlakyProvider(primary, { failureRate })
    result.providers = openAi && fallback === 'none' ? [primary] : [primary, createScriptedProvider()]
  }

  const breaker: Partial<BreakerOptions> = {}
  const failures = number('GATEWAY_BREAKER_FAILURES', { min: 1, integer: true })
  const windowMs = number('GATEWAY_BREAKER_WINDOW_MS')
  const cooldownMs = number('GATEWAY_BREAKER_COOLDOWN_MS')
  if (failures !== undefined) breaker.failureThreshold = failures
  if (windowMs !== undefined) breaker.windowMs = windowMs
  if (cooldownMs !== undefined) breaker.cooldownMs = cooldownMs
  if (Object.keys(breaker).length) result.breaker = breaker

  const limits: Partial<GatewayLimits> = {}
  if (env.GATEWAY_RATE_LIMIT?.trim() === 'off') {
    limits.rate = null
  } else {
    const perMinute = number('GATEWAY_RATE_LIMIT_PER_MINUTE', { min: 1 })
    const burst = number('GATEWAY_RATE_LIMIT_BURST', { min: 1, integer: true })
    if (perMinute !== undefined || burst !== undefined) {
      limits.rate = { perMinute: perMinute ?? 600, burst: burst ?? 1_000 }
    }
  }
  if (Object.keys(limits).length) result.limits = limits
  return result
}


function sendError(response: ServerResponse, error: HttpError): void {
  if (response.headersSent) {
    response.end()
    return
  }
  sendJson(response, error.status, { errors: [{ message: error.message, extensions: { code: error.code } }] })
}

function setCors(request: IncomingMessage, response: ServerResponse): void {
  // The demo and Storybook are served from other ports; the gateway is a local mock.
  response.setHeader('Access-Control-Allow-Origin', request.headers.origin ?? '*')
  response.setHeader('Vary', 'Origin')
  response.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS')
  response.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type')
  response.setHeader('Access-Control-Max-Age', '600')
}

/**
 * The body as JSON. A body over {@link MAX_BODY_BYTES} is read to its end and dropped, so that the
 * client gets its 413 rather than a reset connection; one far over it is cut off.
 */
async function readJson(request: IncomingMessage): Promise<unknown> {
  const text = await new Promise<string>((resolve, reject) => {
    let size = 0
    const chunks: Buffer[] = []
    const tooLarge = () => new HttpError(413, `The request body is larger than ${MAX_BODY_BYTES.toLocaleString('en-US')} bytes.`, 'PAYLOAD_TOO_LARGE')
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_BODY_BYTES) chunks.push(chunk)
      else chunks.length = 0
      if (size > MAX_DRAIN_BYTES) {
        reject(tooLarge())
        request.destroy()
      }
    })
    request.on('end', () => (size > MAX_BODY_BYTES ? reject(tooLarge()) : resolve(Buffer.concat(chunks).toString('utf8'))))
    request.on('error', () => reject(new HttpError(400, 'The request body could not be read.')))
  })
  if (!text.trim()) throw new HttpError(400, 'The request body is empty; send a JSON object with a "query" string.')
  try {
    return JSON.parse(text)
  } catch {
    throw new HttpError(400, 'The request body is not valid JSON.')
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
