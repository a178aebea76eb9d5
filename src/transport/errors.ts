import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors'

/** GitLab's error code format: a series letter and four digits, e.g. "A1001". */
const ERROR_CODE = /\b([MGA]\d{4})\b/

/**
 * The codes the client gives its own failures. The client only ever talks to GitLab (GraphQL over
 * HTTP, graphql-ws or ActionCable), so they carry the monolith's letter M; the table of every code
 * is docs/guide/errors.md.
 */
export const CLIENT_ERROR_CODES = {
  /** GitLab could not be reached, or the connection to it dropped. */
  unreachable: 'M1000',
  /** No sign of life within `requestTimeoutMs` (and no answer in history either). */
  timeout: 'M1001',
  /** GitLab answered an HTTP error, or answered without what the request needs (no request id). */
  badResponse: 'M1002',
  /** The prompt is longer than `maxPromptLength`: refused before sending, as the monolith would. */
  tooLong: 'M1005',
} as const

/** The ActionCable client's code (loaded on first use) did not load: the gateway is as good as unreachable. */
export function cableLoadError(error: unknown): DuoChatError {
  return new DuoChatError(`The ActionCable client could not be loaded: ${error instanceof Error ? error.message : String(error)}`, { kind: 'network', code: CLIENT_ERROR_CODES.unreachable, cause: error })
}

export type DuoChatErrorKind = 'network' | 'graphql' | 'server' | 'timeout' | 'validation'

/**
 * The one error type the transport and the store hand to the UI. `code` is GitLab's code when the
 * server gave one (or one we assign for the same series), so the drawer can pick its sentence.
 */
export class DuoChatError extends Error {
  override readonly name = 'DuoChatError'
  readonly kind: DuoChatErrorKind
  readonly code: string | null

  constructor(message: string, options: { kind: DuoChatErrorKind; code?: string | null; cause?: unknown }) {
    super(message, { cause: options.cause })
    this.kind = options.kind
    this.code = options.code ?? extractErrorCode(message)
  }
}

/** The first GitLab error code found in any of the messages, or null. */
export function extractErrorCode(...messages: (string | null | undefined)[]): string | null {
  for (const message of messages) {
    const match = message ? ERROR_CODE.exec(message) : null
    if (match?.[1]) return match[1]
  }
  return null
}

/** Runs a network call; whatever it throws reaches the caller as a DuoChatError ({@link toDuoChatError}). */
export async function orDuoChatError<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    throw toDuoChatError(error)
  }
}

/** Maps whatever Apollo or graphql-ws threw onto a DuoChatError. */
export function toDuoChatError(error: unknown): DuoChatError {
  if (error instanceof DuoChatError) return error
  if (CombinedGraphQLErrors.is(error)) {
    const messages = error.errors.map((e) => e.message)
    // A refused subscription (another user's userId) carries no code of its own: it is the
    // monolith's access refusal, as ActionCable's reject_subscription is (see actionCableLink.ts).
    const forbidden = error.errors.some((e) => e.extensions?.code === 'FORBIDDEN')
    return new DuoChatError(messages.join('; '), { kind: 'graphql', code: extractErrorCode(...messages) ?? (forbidden ? 'M3003' : null), cause: error })
  }
  if (ServerError.is(error)) {
    if (error.statusCode === 401 || error.statusCode === 403) {
      return new DuoChatError(`The gateway refused your credentials (HTTP ${error.statusCode}). Sign in again.`, { kind: 'server', code: null, cause: error })
    }
    return new DuoChatError(`The gateway answered HTTP ${error.statusCode}.`, { kind: 'server', code: CLIENT_ERROR_CODES.badResponse, cause: error })
  }
  if (isCloseEvent(error)) {
    // graphql-ws closes with 4401/4403 when the connection's credentials are refused.
    if (error.code === 4401 || error.code === 4403) {
      return new DuoChatError(`The gateway refused your credentials (${error.code} ${error.reason || 'Forbidden'}). Sign in again.`, { kind: 'server', code: null, cause: error })
    }
    return new DuoChatError(`The connection to the gateway closed (${error.code}${error.reason ? ` ${error.reason}` : ''}).`, { kind: 'network', code: CLIENT_ERROR_CODES.unreachable, cause: error })
  }
  // GraphQLWsLink turns a close event into an Error with this message.
  const closed = error instanceof Error ? /^Socket closed with event (\d+)\s*(.*)$/.exec(error.message) : null
  if (closed) return toDuoChatError({ code: Number(closed[1]), reason: closed[2] ?? '' })
  // fetch rejects with a TypeError when the host is unreachable; graphql-ws reports close events.
  const message = error instanceof Error ? error.message : String(error)
  return new DuoChatError(message || 'The gateway could not be reached.', { kind: 'network', code: CLIENT_ERROR_CODES.unreachable, cause: error })
}

function isCloseEvent(value: unknown): value is { code: number; reason: string } {
  return typeof value === 'object' && value !== null && 'code' in value && typeof value.code === 'number' && 'reason' in value
}
