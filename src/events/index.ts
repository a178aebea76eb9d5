/** The drawer's events for its host: types, and what the plugin wires up. */
export type {
  AnswerEvent,
  CommandEvent,
  DuoChatEvent,
  DuoChatEventHandler,
  DuoChatEventType,
  ErrorEvent,
  FeedbackEvent,
  FirstChunkEvent,
  QuestionEvent,
  ReconnectEvent,
  RetryEvent,
  StopEvent,
} from './types'
export type { TraceparentSource } from './traceparent'
export { createEventSink, type EventSink, type EventSinkOptions } from './eventSink'
export { observeCommands } from './commandEvents'
