import { inject, type InjectionKey } from 'vue'

/**
 * Every string the drawer shows or announces, in English. Override any of them with the
 * `labels` option of `createDuoChat`; the accessibility names follow.
 */
export const defaultLabels = {
  drawer: 'Duo Chat',
  title: 'GitLab Duo Chat',
  close: 'Close',
  newChat: 'New chat',
  chatHistory: 'Chat history',
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
  steps: 'Steps',
  sources: 'Sources',
  copy: 'Copy',
  copied: 'Copied',
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
}

export type DuoChatLabels = typeof defaultLabels

export const duoChatLabelsKey: InjectionKey<DuoChatLabels> = Symbol('duo-chat-labels')

/** The labels in force: the plugin's, or the English defaults (e.g. in a component test). */
export function useLabels(): DuoChatLabels {
  return inject(duoChatLabelsKey, defaultLabels)
}
