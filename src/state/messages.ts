import { customRef, isRef, reactive, toRaw, type Ref } from 'vue'
import { fromAdditionalContext } from '../transport/additionalContext'
import type { AiMessage } from '../transport/types'
import type { ChatMessage } from './types'

/** A message as the drawer shows it; reactive, so the request in flight can fill it in place. */
export function createMessage(role: ChatMessage['role'], fields: Partial<ChatMessage> = {}): ChatMessage {
  const content = fields.content ?? ''
  return reactive({
    key: fields.key ?? `${role}:${globalThis.crypto.randomUUID()}`,
    id: null,
    requestId: null,
    role,
    errors: [],
    status: 'complete',
    timestamp: new Date().toISOString(),
    threadId: null,
    extras: null,
    contexts: [],
    toolSteps: [],
    ...fields,
    // An answer's text can stream: see streamedContent.
    content: role === 'ASSISTANT' ? streamedContent(content) : content,
  }) as ChatMessage
}

type ContentListener = (text: string) => void
const FRAME_MS = 17
const contentListeners = new WeakMap<Ref<string>, Set<ContentListener>>()

/**
 * An answer's text, which a stream sets once per chunk (200 times a second or more). Reading it
 * always gives the latest text: the store stays the source of truth. But re-rendering through
 * Vue on every chunk costs more than rendering the chunk itself, so its watchers hear of a change
 * at most once a frame (17 ms; at once when the text starts or empties, which decides what the
 * message shows; the end of a stream comes with a status change, which they hear at once), while
 * {@link onContent} listeners (the markdown view) get every chunk at once, outside reactivity.
 */
function streamedContent(initial: string): Ref<string> {
  let value = initial
  let cancel: (() => void) | null = null
  const listeners = new Set<ContentListener>()
  const text = customRef<string>((track, trigger) => ({
    get() {
      track()
      return value
    },
    set(next) {
      if (next === value) return
      const startsOrEmpties = value === '' || next === ''
      value = next
      for (const listener of listeners) listener(next)
      if (startsOrEmpties) {
        cancel?.()
        cancel = null
        trigger()
      } else {
        cancel ??= nextFrame(() => {
          cancel = null
          trigger()
        })
      }
    },
  }))
  contentListeners.set(text, listeners)
  return text
}

/**
 * About a frame later, on a timer rather than in the frame: the frame's own work (rendering the
 * chunk) stays the renderer's, and Vue's watchers run between frames.
 */
function nextFrame(callback: () => void): () => void {
  const id = setTimeout(callback, FRAME_MS)
  return () => clearTimeout(id)
}

/**
 * Calls `listener` with a message's new text on every change, in the task that made it, without
 * going through Vue (a streamed chunk reaches the renderer without re-rendering the message).
 * Returns a function that stops listening; null for a message whose text never streams.
 */
export function onContent(message: { readonly content: string }, listener: ContentListener): (() => void) | null {
  const ref = (toRaw(message) as unknown as Record<string, unknown>).content
  const listeners = isRef(ref) ? contentListeners.get(ref as Ref<string>) : undefined
  if (!listeners) return null
  listeners.add(listener)
  return () => listeners.delete(listener)
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
