// The package's entry for Vue hosts. Re-exports only: values first, then every type a host needs
// to configure the drawer, call it, or stand in for its transport.
export { createDuoChat } from './plugin'
export { default as DuoChatDrawer } from './components/DuoChatDrawer.vue'
export { duoChatGlobalState, focusChatInput } from './state/globalState'
export { sendDuoChatCommand } from './state/sendDuoChatCommand'
export { useDuoChatStore } from './state/chatStore'
export { defaultLabels } from './state/labels'
export { DuoChatError } from './transport/errors'
export { registerContextProvider } from './context/registry'
export { whenLazyPartsReady } from './lazy/prefetch'

export type { DuoChatCommonOptions, DuoChatOptions } from './plugin'
export type { DuoChatDrawerProps } from './components/DuoChatDrawer.vue'
export type { DuoChatGlobalState } from './state/globalState'
export type { DuoChatCommand, QueuedCommand } from './state/commandQueue'
export type { DuoChatStore, SendQuestionOptions } from './state/chatStore'
export type { DuoChatLabels } from './state/labels'
export type { ContextItem } from './state/contexts'
export type { ContextProviderDefinition, ContextProviderMode, ContextProviderRequest } from './context/types'
export type { ChatAnswer, ChatMessage, ChatMessageStatus } from './state/types'
export type { DuoChatErrorKind } from './transport/errors'
export type { DuoChatApi, FeedbackInput, SendChatInput, SubscribeHandlers } from './transport/chatApi'
export type { ConnectionStatus, DuoChatTransport } from './transport/createApolloClient'
export type { DuoChatEvent, DuoChatEventHandler, DuoChatEventType, TraceparentSource } from './events/index'
export type { ImageAttachmentOptions } from './composables/useImageAttachments'
export type { SpeechSynthesisAdapter } from './composables/useReadAloud'
export type { VoiceInputOptions } from './composables/useVoiceInput'
export type {
  AiAdditionalContext,
  AiAdditionalContextCategory,
  AiConversationThread,
  AiMessage,
  AiMessageExtras,
  AiMessageRole,
  AiMessageSource,
  ContextSearchResult,
  ContextStatus,
} from './transport/types'
