import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors'

/** GitLab's error code format: a series letter and four digits, e.g. "A1001". */
const ERROR_CODE = /\b([MGA]\d{4})\b/

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

/** Maps whatever Apollo or graphql-ws threw onto a DuoChatError. */
export function toDuoChatError(error: unknown): DuoChatError {
  if (error instanceof DuoChatError) return error
  if (CombinedGraphQLErrors.is(error)) {
    const messages = error.errors.map((e) => e.message)
    return new DuoChatError(messages.join('; '), { kind: 'graphql', code: extractErrorCode(...messages), cause: error })
  }
  if (ServerError.is(error)) {
    const code = error.statusCode === 401 || error.statusCode === 403 ? 'M3004' : 'A1001'
    return new DuoChatError(`The gateway answered HTTP ${error.statusCode}.`, { kind: 'server', code, cause: error })
  }
  // fetch rejects with a TypeError when the host is unreachable; graphql-ws reports close events.
  const message = error instanceof Error ? error.message : String(error)
  return new DuoChatError(message || 'The gateway could not be reached.', { kind: 'network', code: 'A1000', cause: error })
}
