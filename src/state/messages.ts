import { reactive } from 'vue'
import { fromAdditionalContext } from '../transport/additionalContext'
import type { AiMessage } from '../transport/types'
import type { ChatMessage } from './types'

/** A message as the drawer shows it; reactive, so the request in flight can fill it in place. */
export function createMessage(role: ChatMessage['role'], fields: Partial<ChatMessage> = {}): ChatMessage {
  return reactive({
    key: fields.key ?? `${role}:${globalThis.crypto.randomUUID()}`,
    id: null,
    requestId: null,
    role,
    content: '',
    errors: [],
    status: 'complete',
    timestamp: new Date().toISOString(),
    threadId: null,
    extras: null,
    contexts: [],
    toolSteps: [],
    ...fields,
  }) as ChatMessage
}

/** A complete message from the server (history, or another tab). */
export function fromServer(message: AiMessage): ChatMessage {
  const errors = message.errors ?? []
  const role = message.role === 'USER' ? 'USER' : 'ASSISTANT'
  return createMessage(role, {
    key: `${message.role}:${message.requestId ?? message.id ?? globalThis.crypto.randomUUID()}`,
    id: message.id ?? null,
    requestId: message.requestId ?? null,
    content: message.content ?? '',
    errors,
    status: errors.length ? 'error' : 'complete',
    timestamp: message.timestamp,
    threadId: message.threadId ?? null,
    extras: message.extras ?? null,
    contexts: role === 'USER' ? fromAdditionalContext(message.extras?.additionalContext) : [],
  })
}

/**
 * The server's copy of a message we already show: it brings the id, time and thread. Chips the
 * question already has stay, since they may name its resource, which the server's copy lacks.
 */
export function mergeInto(target: ChatMessage, message: AiMessage): void {
  target.id = message.id ?? target.id
  target.timestamp = message.timestamp
  target.threadId = message.threadId ?? target.threadId
  if (message.extras) target.extras = message.extras
  if (target.role === 'USER' && !target.contexts.length) target.contexts = fromAdditionalContext(message.extras?.additionalContext)
}
