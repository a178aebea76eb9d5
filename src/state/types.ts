import type { VoiceInputOptions } from '../composables/useVoiceInput'
import type { SpeechSynthesisAdapter } from '../composables/useReadAloud'
import type { ImageAttachmentOptions } from '../composables/useImageAttachments'
import type { Ref } from 'vue'
import type { DuoChatApi } from '../transport/chatApi'
import type { KeyboardShortcut } from './shortcut'
import type { ConnectionStatus } from '../transport/createApolloClient'
import type { AiMessageExtras } from '../transport/types'
import type { ContextItem } from './contexts'
import type { ContextProviderNote } from '../context/types'
import type { EventSink } from '../events/eventSink'
import type { TraceparentSource } from '../events/traceparent'

export type ChatMessageStatus = 'pending' | 'streaming' | 'complete' | 'error' | 'stopped'

/** A message as the drawer shows it. */
export interface ChatMessage {
  /** Stable key for rendering; does not change when the server assigns ids. */
  key: string
  id: string | null
  requestId: string | null
  role: 'USER' | 'ASSISTANT'
  content: string
  errors: string[]
  status: ChatMessageStatus
  timestamp: string
  threadId: string | null
  extras: AiMessageExtras | null
  /** A question's chips under "Context used": what it was sent with. Empty for answers. */
  contexts: ContextItem[]
  /** Human names of the tools the agent used for this answer, in order ("Issue Reader"). */
  toolSteps: string[]
  /** A question's context providers that were skipped (they failed or took too long): a visible note each. */
  contextNotes?: ContextProviderNote[]
}

/** What a finished request resolves with. */
export interface ChatAnswer {
  requestId: string
  threadId: string | null
  content: string
  errors: string[]
}

/** How a request ended, as the store reports it. */
export interface ChatOutcome extends ChatAnswer {
  status: 'complete' | 'error' | 'stopped'
}

/** Configuration the plugin provides to the store. */
export interface DuoChatConfig {
  api: DuoChatApi
  /** The signed-in user's global id, e.g. `gid://gitlab/User/1`. */
  userId: string
  /** Longest prompt accepted, in characters. */
  maxPromptLength: number
  /** A request with no sign of life for this long ends with error M1001. */
  requestTimeoutMs: number
  /** Toggles the drawer from anywhere in the page; null when turned off. */
  shortcut: KeyboardShortcut | null
  /** State of the subscription socket, kept by the transport. */
  connectionStatus: Ref<ConnectionStatus>
  /** The host's `onEvent`; null or absent when it listens to none. */
  events?: EventSink | null
  /** Where each `aiAction`'s `traceparent` comes from. @default true (a new one per request) */
  traceparent?: TraceparentSource
  /** The host takes code from answers: code blocks get "Insert code". @default none */
  onInsertCode?: (code: string, language: string) => void
  /** Narrowest width the drawer can be resized to, in px. @default 320 */
  minWidth?: number
  /** Widest width the drawer can be resized to, in px (never wider than the window). @default 800 */
  maxWidth?: number
  /** Image attachments' options; false when they are off. Absent (a hand-made config) means on with the defaults. */
  images?: ImageAttachmentOptions | false
  /** false turns "Read aloud" off; an object brings its own synthesizer; absent uses the browser's. */
  readAloud?: false | { synthesis: SpeechSynthesisAdapter }
  /** Voice input's options; false turns it off. */
  speech?: VoiceInputOptions | false
}
