/**
 * The one size limit of both transports, for HTTP bodies and WebSocket messages, and the reading
 * of a body as JSON. A transport reads the bytes its own way (a Node stream, a fetch `Request`)
 * and hands them here.
 */
import { httpError, type HttpReply } from '../executionResults'

/** The largest HTTP body and WebSocket message accepted, in bytes. */
export const MAX_BODY_BYTES = 1_000_000

/** A body that is refused: the reply says why. */
export class BodyError extends Error {
  constructor(readonly reply: HttpReply) {
    super('refused body')
  }
}

export function bodyTooLarge(): BodyError {
  return new BodyError(httpError(413, `The request body is larger than ${MAX_BODY_BYTES.toLocaleString('en-US')} bytes.`, 'PAYLOAD_TOO_LARGE'))
}

/**
 * The body as JSON. `allowEmpty` gives `undefined` for an empty body (a control route with
 * nothing to say); otherwise an empty body is an error.
 */
export function parseJsonBody(bytes: Uint8Array | string, { allowEmpty = false } = {}): unknown {
  const size = typeof bytes === 'string' ? new TextEncoder().encode(bytes).byteLength : bytes.byteLength
  if (size > MAX_BODY_BYTES) throw bodyTooLarge()
  const text = typeof bytes === 'string' ? bytes : new TextDecoder().decode(bytes)
  if (!text.trim()) {
    if (allowEmpty) return undefined
    throw new BodyError(httpError(400, 'The request body is empty; send a JSON object with a "query" string.'))
  }
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new BodyError(httpError(400, 'The request body is not valid JSON.'))
  }
}

/** A fetch `Request`'s body as JSON, refusing an oversized one by its `Content-Length` before reading it. */
export async function readRequestJson(request: Request, options?: { allowEmpty?: boolean }): Promise<unknown> {
  const declared = Number(request.headers.get('content-length'))
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) throw bodyTooLarge()
  return parseJsonBody(new Uint8Array(await request.arrayBuffer()), options)
}
