/**
 * What the drawer tells its host (`createDuoChat({ onEvent })`, and the `duo-chat-event` DOM event
 * of `<duo-chat-drawer>`): one event per thing a user does or sees happen, with timings, for the
 * host's own analytics. Events carry ids, counts, codes and durations; message text only when the
 * host opts in with `includeTextInEvents`.
 */

/** What every event has. */
interface EventBase {
  /** When it happened: milliseconds since the epoch. */
  at: number
}

/** The gateway took a question (or refused it: `requestId` null, an `error` event follows). */
export interface QuestionEvent extends EventBase {
  type: 'question'
  requestId: string | null
  threadId: string | null
  /** The resource the question is about, e.g. `gid://gitlab/Issue/1`; null for none. */
  resourceId: string | null
  /** Context items sent with it. */
  contextCount: number
  /** The W3C trace id sent in `traceparent`: the gateway's spans of this request share it. */
  traceId: string | null
  /** Milliseconds from Send to the gateway's answer to `aiAction`. */
  ms: number
  /** The question, only with `includeTextInEvents`. */
  text?: string
}

/** The first streamed chunk of an answer arrived. */
export interface FirstChunkEvent extends EventBase {
  type: 'first_chunk'
  requestId: string | null
  /** Milliseconds from Send to the first chunk: time to first token as the user saw it. */
  ms: number
}

/** An answer completed. */
export interface AnswerEvent extends EventBase {
  type: 'answer'
  requestId: string
  /** Milliseconds from Send to the complete answer. */
  ms: number
  /** Streamed chunks received (duplicates not counted); 0 for an answer that came whole. */
  chunks: number
  /** Length of the final answer. */
  characters: number
  /** The answer, only with `includeTextInEvents`. */
  text?: string
}

/** A request ended with an error. */
export interface ErrorEvent extends EventBase {
  type: 'error'
  requestId: string | null
  /** GitLab's code (`M1001` for a timeout, `M3003`, ...); null when the error had none. */
  code: string | null
  /** Milliseconds from Send to the error. */
  ms: number
}

/** The user (or a removed command) stopped an answer. */
export interface StopEvent extends EventBase {
  type: 'stop'
  requestId: string | null
  /** Milliseconds from Send to Stop. */
  ms: number
}

/** The user asked a failed question again. */
export interface RetryEvent extends EventBase {
  type: 'retry'
  /** The request that failed. */
  requestId: string | null
  /** Its error code. */
  code: string | null
}

/** The subscription socket came back after a drop. */
export interface ReconnectEvent extends EventBase {
  type: 'reconnect'
  /** Milliseconds it was down. */
  ms: number
}

/** The user rated an answer. */
export interface FeedbackEvent extends EventBase {
  type: 'feedback'
  messageId: string
  requestId: string | null
  helpful: boolean
  /** What the user wrote, only with `includeTextInEvents`. */
  details?: string
}

/** A host command (`sendDuoChatCommand`) was queued, started or settled. */
export interface CommandEvent extends EventBase {
  type: 'command'
  phase: 'queued' | 'started' | 'settled'
  /** The queue's id of the command, e.g. `command-3`. */
  commandId: string
  resourceId: string
  /** How it settled (phase `settled` only). */
  outcome?: 'answered' | 'error' | 'cancelled'
  /** Milliseconds since it was queued (phases `started` and `settled`). */
  ms?: number
  /** The command's question, only with `includeTextInEvents`. */
  text?: string
}

/** Every event the drawer emits; switch on `type`. */
export type DuoChatEvent =
  | QuestionEvent
  | FirstChunkEvent
  | AnswerEvent
  | ErrorEvent
  | StopEvent
  | RetryEvent
  | ReconnectEvent
  | FeedbackEvent
  | CommandEvent

/** The `type` of each event. */
export type DuoChatEventType = DuoChatEvent['type']

/** Receives the drawer's events; must be quick (it runs on the chunk path's neighbours). */
export type DuoChatEventHandler = (event: DuoChatEvent) => void
