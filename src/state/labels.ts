import { inject, type InjectionKey } from 'vue'
import { defaultRendererLabels } from '../render/labels'
import type { AiAdditionalContextCategory } from '../transport/types'
import { CATEGORY_LABELS, defaultResourceName } from './contexts'
import { defaultErrorMessage } from './errorMessages'
import { SLASH_COMMANDS } from './slashCommands'

/** The kind of resource the page shows, which picks the prompts an empty conversation offers. */
export type PredefinedPromptsKind = 'issue' | 'mergeRequest' | 'other'

/** The kind of the page's resource (`gid://gitlab/MergeRequest/1` → 'mergeRequest'). */
export function predefinedPromptsKind(resourceId: string | null): PredefinedPromptsKind {
  if (resourceId?.includes('/MergeRequest/')) return 'mergeRequest'
  if (resourceId?.includes('/Issue/') || resourceId?.includes('/Epic/')) return 'issue'
  return 'other'
}

const PREDEFINED_PROMPTS: Record<PredefinedPromptsKind, readonly string[]> = {
  mergeRequest: ['Summarize this merge request', 'What changed in this merge request?', 'What are the risks of this change?', 'How do I review a merge request?'],
  issue: ['Summarize this issue', 'What are the next steps?', 'What do the comments say?', 'How do I create an issue template?'],
  other: ['What is GitLab Duo Chat?', 'How do I configure a CI/CD pipeline?', 'How do I create a merge request?', 'How do I use issue boards?'],
}

/**
 * Every string the drawer shows or announces, in English, the markdown renderer's included.
 * Override any of them with the `labels` option of `createDuoChat`; the accessibility names
 * follow. Labels with an argument are functions.
 */
export const defaultLabels = {
  // The renderer's strings (code blocks, links). `copy` and `copied` serve the answer's Copy button too.
  ...defaultRendererLabels,
  drawer: 'Duo Chat',
  title: 'GitLab Duo Chat',
  close: 'Close',
  newChat: 'New chat',
  chatHistory: 'Chat history',
  /** Name of the drawer's inner edge, a separator that resizes it by pointer and arrow keys. */
  resizeDrawer: 'Resize Duo Chat',
  messages: 'Chat messages',
  you: 'You',
  duo: 'GitLab Duo',
  prompt: 'Chat prompt',
  promptPlaceholder: 'Ask a question. Type / for commands. Enter sends, Shift+Enter adds a line.',
  send: 'Send',
  stop: 'Stop',
  stopped: 'Stopped.',
  thinking: 'GitLab Duo is thinking…',
  responding: 'GitLab Duo is responding',
  answerReady: 'Answer ready',
  newConversationStarted: 'New conversation started',
  loadingConversation: 'Loading the conversation…',
  emptyTitle: 'Ask GitLab Duo',
  emptyDescription: 'Questions about the issue, merge request or docs you are looking at. Type / for commands.',
  reconnecting: 'Reconnecting…',
  unreachable: (detail: string) => `GitLab Duo could not be reached (${detail}).`,
  retry: 'Retry',
  errorCode: (code: string) => `Error code: ${code}`,
  /** The sentence for a failed answer with GitLab error `code` (null: the error had none). */
  errorMessage: (code: string | null) => defaultErrorMessage(code),
  emptyPrompt: 'Type a question first.',
  promptTooLong: (length: number, limit: number) =>
    `Your message is ${length.toLocaleString('en-US')} characters long; the limit is ${limit.toLocaleString('en-US')}. Shorten it and send again.`,
  notAvailable: 'Not available',
  /** Name of a source the answer gave without a title or address (`index` counts from 1). */
  source: (index: number) => `Source ${index}`,
  /** Name of the page's resource on its chip when the host gave no title: type "MergeRequest", id "1" → "Merge request 1". */
  resourceName: (type: string, id: string) => defaultResourceName(type, id),
  /** Name of a context category, e.g. "Merge request". */
  category: (category: AiAdditionalContextCategory) => CATEGORY_LABELS[category] ?? category,
  /** What a slash command does, in the "/" menu and in the answer to /help (`command` e.g. "/explain"). */
  commandDescription: (command: string) => SLASH_COMMANDS.find((c) => c.name === command)?.description ?? '',
  commandsHeading: 'Commands:',
  /** The prompt buttons of an empty conversation: the `index`th (0–3) for the page's kind of resource. */
  predefinedPrompt: (kind: PredefinedPromptsKind, index: number) => PREDEFINED_PROMPTS[kind][index] ?? '',
  steps: 'Steps',
  sources: 'Sources',
  copyBlocked: 'Copying is blocked in this page. Select the text and copy it instead.',
  helpful: 'Helpful',
  notHelpful: 'Not helpful',
  feedbackDetails: 'What could be better? (optional)',
  sendFeedback: 'Send feedback',
  feedbackThanks: 'Thank you for your feedback.',
  feedbackFailed: (detail: string) => `Your feedback was not sent: ${detail}`,
  attachedContext: 'Attached context',
  contextUsed: 'Context used',
  remove: (title: string) => `Remove ${title}`,
  removeButton: 'Remove',
  more: (count: number) => `+${count} more`,
  fewer: 'Show fewer',
  contextDetails: (title: string) => `Details of ${title}`,
  contextWillBeSent: 'Sent to GitLab Duo with your next question.',
  contextNotSent: (reason: string) => `Not sent: ${reason}`,
  queuedPrompts: 'Queued prompts',
  queuedContext: (question: string) => `Context for ${question}`,
  slashCommands: 'Slash commands',
  contextToInclude: 'Context to include',
  searching: 'Searching…',
  nothingFound: 'Nothing found',
  includeHint: 'Type to search issues, merge requests and files',
  noSuchCommand: 'No such command',
  chats: 'Chats',
  noChats: 'No chats yet.',
  loadingChats: 'Loading chats…',
  untitledChat: 'Untitled chat',
  deleteChat: (title: string) => `Delete ${title}`,
  deleteChatQuestion: 'Delete this chat?',
  delete: 'Delete',
  cancel: 'Cancel',
  jumpToLatest: 'Jump to latest',
  // Context providers (src/context/): "Context sources" and what reached the model.
  contextSources: 'Context sources',
  contextSourcesHint: 'Turn off a source and GitLab Duo will not use it for your questions.',
  loadingContextSources: 'Loading context sources…',
  noContextSources: 'No context sources.',
  contextSourcesUnavailable: (detail: string) => `The gateway's sources could not be listed (${detail}).`,
  /** Where a provider lives: 'gateway' (GitLab's own) or 'host' (this page's). */
  contextSourceOrigin: (origin: 'gateway' | 'host') => (origin === 'gateway' ? 'GitLab' : 'This page'),
  /** When a provider is used: 'proactive' (every question) or 'reactive' (when GitLab Duo asks). */
  contextSourceMode: (mode: 'proactive' | 'reactive') => (mode === 'proactive' ? 'with every question' : 'when GitLab Duo asks'),
  /** A provider was skipped for a question: it failed ('error') or took too long ('timeout'). */
  contextProviderSkipped: (title: string, reason: 'error' | 'timeout') =>
    reason === 'timeout' ? `${title} took too long and was left out.` : `${title} failed and was left out.`,
  /** Where an item of "Context used" came from, e.g. "from Selected text". */
  contextFrom: (source: string) => `from ${source}`,
  /**
   * Titles of the gateway's own context providers (its retrievers), by name: they are not
   * registered on the page, and an answer's steps may name its tools instead.
   */
  gatewayProviderTitles: {
    gitlabResourceProvider: 'Current page',
    gitlabReferencesProvider: 'Referenced issues, merge requests and epics',
    documentationProvider: 'GitLab documentation',
    chatHistoryProvider: 'Conversation history',
  } as Readonly<Record<string, string>>,
  /** Where an entry the answer reports came from: the user's attachment, a provider or retriever (`source`, its title), or the conversation. */
  contextOrigin: (origin: 'ATTACHED' | 'PROACTIVE' | 'REACTIVE' | 'RETRIEVER' | 'HISTORY', source: string) =>
    origin === 'ATTACHED' ? 'attached' : origin === 'HISTORY' ? 'from this conversation' : `from ${source}`,
  /** What a step read, e.g. "read gid://gitlab/Issue/1". */
  stepReads: (reads: string) => `read ${reads}`,
  /** A step that did not end well: excluded, denied, empty, timeout or error. */
  stepStatus: (status: string) =>
    ({ excluded: 'turned off', denied: 'not allowed', empty: 'found nothing', timeout: 'took too long', error: 'failed' })[status] ?? status,
  /** Earlier turns of the conversation the model saw. */
  historyTurns: (count: number) => (count === 1 ? '1 earlier message' : `${count} earlier messages`),
  // Images as context (docs/guide/multimodal.md).
  /** The button that opens the file picker for an image. */
  attachImage: 'Attach image',
  /** The button that captures one frame of a screen, window or tab. */
  shareScreen: 'Share screen',
  /** A thumbnail's text alternative; `name` is the file name. */
  imageAlt: (name: string) => `Image ${name}`,
  /** Announced when an image chip is added. */
  imageAttached: (name: string) => `${name} attached.`,
  /** A file that is not PNG, JPEG, WebP or GIF (by its bytes, SVG included). */
  imageNotSupported: (name: string) => `${name} is not a PNG, JPEG, WebP or GIF image, so it cannot be attached.`,
  /** A file over the size limit (`limit` is e.g. "5 MB"). */
  imageTooLarge: (name: string, limit: string) => `${name} is larger than ${limit}. Attach a smaller image.`,
  /** One more image would take the question's images over their total limit (`limit` is e.g. "684 KB"). */
  imagesTooLargeTogether: (name: string, limit: string) => `${name} would take this question's images over ${limit} together. Send it with a question of its own, or remove an image.`,
  /** An image the browser could not decode. */
  imageUnreadable: (name: string) => `${name} could not be read as an image.`,
  /** The screen capture was refused or is not available. */
  screenShareFailed: 'The screen could not be captured.',
  /** The name given to a captured frame. */
  screenshotName: 'Screenshot.png',
  /** The answer action that speaks the answer (speech synthesis). */
  readAloud: 'Read aloud',
  /** The same button while that answer is speaking. */
  stopReading: 'Stop reading',
  /** Said in place of each code block when an answer is read aloud. */
  codeBlockSkipped: 'Code block skipped.',
  // Voice input (docs/guide/multimodal.md).
  /** The toggle beside the prompt (aria-pressed while it listens). */
  voiceInput: 'Voice input',
  /** Announced while the browser's recognition or the recorder listens. */
  listening: 'Listening…',
  /** Announced while the recording is transcribed. */
  transcribing: 'Transcribing…',
  /** The user or the browser refused the microphone. */
  microphoneDenied: 'The microphone is blocked. Allow it in the browser to use voice input.',
  /** No microphone was found. */
  noMicrophone: 'No microphone was found. Connect one to use voice input.',
  /** The recognition heard nothing. */
  noSpeech: 'Nothing was heard. Try again, closer to the microphone.',
  /** Listening stopped at the time limit. */
  voiceTooLong: (seconds: number) => `Voice input stops after ${seconds} seconds; what was said so far is in the box.`,
  /** The recording could not be transcribed; `message` is the gateway's sentence. */
  transcriptionFailed: (message: string) => message,
  /** Any other failure of voice input. */
  voiceFailed: 'Voice input stopped because of an error. Type your question instead.',
  /** How long a step took. */
  stepDuration: (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`),
}

export type DuoChatLabels = typeof defaultLabels

export const duoChatLabelsKey: InjectionKey<DuoChatLabels> = Symbol('duo-chat-labels')

/** The labels in force: the plugin's, or the English defaults (e.g. in a component test). */
export function useLabels(): DuoChatLabels {
  return inject(duoChatLabelsKey, defaultLabels)
}
