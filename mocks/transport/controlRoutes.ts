/**
 * The control routes, once for every transport: `POST /__mock/scenario` scripts a user's next
 * answer, `POST /__mock/settings` picks a user's pipeline, `POST /__mock/reset` restores fixtures, `GET /__mock/traces/:requestId` (when the
 * transport keeps traces) shows a request's spans. A transport hands over the method, the path,
 * a header reader and a body reader, and writes back the reply it gets; see `./controlAccess.ts`
 * for who may call them.
 */
import type { Gateway } from '../gateway/index'
import type { HttpReply } from '../executionResults'
import { BodyError } from './bodyLimit'
import { checkControlAccess, normalizeOrigin, type ControlAccess } from './controlAccess'

/** One control request, whatever carried it. */
export interface ControlRequest {
  method: string
  /** The URL's path, e.g. `/__mock/scenario`. */
  path: string
  header(name: string): string | null
  /** The body as JSON (`undefined` when empty), within the shared size limit; throws {@link BodyError}. */
  json(): Promise<unknown>
}

/** A control reply: status, JSON body and the headers to add. */
export interface ControlReply extends HttpReply {
  headers: Record<string, string>
}

/** A route's own fields of its reply, beside `ok: true`. */
type Route = (body: unknown) => void | Record<string, unknown>

/** Read-only control routes a transport may add. */
export interface ControlExtras {
  /** The spans of a request's trace, or null when none are kept: `GET /__mock/traces/:requestId`. */
  traces?: (requestId: string) => unknown[] | null
}

const TRACES_PREFIX = '/__mock/traces/'

/** The control routes of a gateway; `access` is read per request (a server knows its port late). */
export function createControlRoutes(gateway: Gateway, access: () => ControlAccess, extras: ControlExtras = {}) {
  const routes: Record<string, Route> = {
    '/__mock/scenario': (body) => gateway.scenario(gateway.parseScenario(body)),
    '/__mock/reset': () => gateway.reset(),
    '/__mock/settings': (body) => gateway.settings(gateway.parseSettings(body)),
    '/__mock/release': (body) => ({ released: gateway.release(readReleaseUser(body)) }),
  }

  return {
    paths: Object.keys(routes),

    /** Whether `path` is a control route (served or refused here, never by another handler). */
    handles(path: string): boolean {
      return Object.hasOwn(routes, path) || (extras.traces !== undefined && path.startsWith(TRACES_PREFIX))
    },

    async handle(request: ControlRequest): Promise<ControlReply> {
      const allowed = access()
      const refused = checkControlAccess(allowed, (name) => request.header(name))
      if (refused) return { status: refused.status, headers: { Vary: 'Origin' }, body: { error: refused.message, code: refused.code } }

      // Never the request's Origin: an allowed caller gets its configured origin back, as written in
      // the options; anyone else gets no CORS header at all.
      const origin = request.header('origin')
      const configured = origin === null ? undefined : allowed.origins.find((candidate) => normalizeOrigin(candidate) === normalizeOrigin(origin))
      const headers: Record<string, string> = { Vary: 'Origin' }
      if (configured) headers['Access-Control-Allow-Origin'] = normalizeOrigin(configured)

      if (extras.traces && request.path.startsWith(TRACES_PREFIX)) return readTrace(request, headers, extras.traces)
      if (request.method === 'OPTIONS') {
        if (configured) {
          headers['Access-Control-Allow-Methods'] = 'POST, OPTIONS'
          headers['Access-Control-Allow-Headers'] = 'Content-Type'
        }
        return { status: 204, headers, body: undefined }
      }
      if (request.method !== 'POST') {
        return { status: 405, headers: { ...headers, Allow: 'POST, OPTIONS' }, body: { error: `${request.path} takes POST.` } }
      }
      let body: unknown
      try {
        body = await request.json()
      } catch (error) {
        if (!(error instanceof BodyError)) throw error
        const reply = error.reply.body as { errors: { message: string; extensions: { code: string } }[] }
        return { status: error.reply.status, headers, body: { error: reply.errors[0]?.message, code: reply.errors[0]?.extensions.code } }
      }
      let fields: void | Record<string, unknown>
      try {
        fields = routes[request.path]!(body)
      } catch (error) {
        return { status: 400, headers, body: { error: error instanceof Error ? error.message : String(error) } }
      }
      return { status: 200, headers, body: { ok: true, ...fields } }
    },
  }
}

export type ControlRoutes = ReturnType<typeof createControlRoutes>

/** `POST /__mock/release { user }`: whose held streams go on. */
function readReleaseUser(body: unknown): string {
  const user = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).user : undefined
  if (typeof user !== 'string') throw new Error(`Invalid release: expected { "user": "alice" }, got ${JSON.stringify(body) ?? String(body)}.`)
  return user
}

/** `GET /__mock/traces/:requestId`: the request's spans, parents before children. */
function readTrace(request: ControlRequest, headers: Record<string, string>, traces: NonNullable<ControlExtras['traces']>): ControlReply {
  if (request.method === 'OPTIONS') {
    if (headers['Access-Control-Allow-Origin']) headers['Access-Control-Allow-Methods'] = 'GET, OPTIONS'
    return { status: 204, headers, body: undefined }
  }
  if (request.method !== 'GET') return { status: 405, headers: { ...headers, Allow: 'GET, OPTIONS' }, body: { error: 'Traces are read with GET.' } }
  let requestId: string
  try {
    requestId = decodeURIComponent(request.path.slice(TRACES_PREFIX.length))
  } catch {
    return { status: 400, headers, body: { error: 'The request id in the path is not valid URL encoding.' } }
  }
  const spans = requestId ? traces(requestId) : null
  if (!spans) return { status: 404, headers, body: { error: 'No trace is kept for this request id (unknown, or forgotten after 500 newer traces).' } }
  return { status: 200, headers, body: { requestId, spans } }
}
