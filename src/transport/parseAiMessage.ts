import type { AiMessage, AiMessageRole } from './types'

const ROLES: readonly AiMessageRole[] = ['ASSISTANT', 'SYSTEM', 'USER']

/**
 * Accepts a message from the server only if it has the shape the store relies on. A malformed
 * message is dropped with a warning instead of breaking the conversation.
 */
export function parseAiMessage(value: unknown): AiMessage | null {
  const problem = findProblem(value)
  if (problem) {
    console.warn(`[duo-chat-drawer]: dropped a malformed message from the server: ${problem}.`, value)
    return null
  }
  return value as AiMessage
}

function findProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return `expected an object, got ${value === null ? 'null' : typeof value}`
  const message = value as Record<string, unknown>
  if (!ROLES.includes(message.role as AiMessageRole)) return `"role" must be one of ${ROLES.join(', ')}, got ${JSON.stringify(message.role)}`
  if (message.content != null && typeof message.content !== 'string') return `"content" must be a string, got ${typeof message.content}`
  if (message.requestId != null && typeof message.requestId !== 'string') return `"requestId" must be a string`
  if (message.chunkId != null && !(Number.isInteger(message.chunkId) && (message.chunkId as number) > 0)) {
    return `"chunkId" must be a positive integer, got ${JSON.stringify(message.chunkId)}`
  }
  if (message.errors != null && !(Array.isArray(message.errors) && message.errors.every((e) => typeof e === 'string'))) {
    return '"errors" must be a list of strings'
  }
  if (message.chunkId != null && message.requestId == null) return 'a chunk must carry a "requestId"'
  return null
}
