import type { DuoChatEvent, DuoChatEventHandler } from './types'

/** Where the store sends events: the host's handler, its text preference and the clock. */
export interface EventSink {
  /** Whether events may carry message text. */
  readonly includeText: boolean
  /** Milliseconds since the epoch; tests pass a fake. */
  now(): number
  /** Hands an event to the host; a throwing handler is reported once and never breaks the drawer. */
  emit(event: DuoChatEvent): void
}

/** Options of {@link createEventSink}. */
export interface EventSinkOptions {
  onEvent?: DuoChatEventHandler
  /** @default false */
  includeText?: boolean
  /** @default Date.now */
  now?: () => number
}

/** An event sink, or null when nobody listens (so the chunk path does nothing at all). */
export function createEventSink({ onEvent, includeText = false, now }: EventSinkOptions): EventSink | null {
  if (!onEvent) return null
  let warned = false
  return {
    includeText,
    now: now ?? (() => Date.now()),
    emit(event) {
      try {
        onEvent(event)
      } catch (error) {
        if (!warned) console.warn('[duo-chat-drawer]: the onEvent handler threw; later errors are not reported.', error)
        warned = true
      }
    },
  }
}
