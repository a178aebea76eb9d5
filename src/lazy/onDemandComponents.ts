// Components that appear only on demand (a panel opened by a click, the slash-command menu, what
// a message carries beside its text, an answer's actions once it is complete, queued commands), loaded on first render and prefetched when the page
// is idle (./prefetch.ts): the page's first load carries none of their code. The drawer's
// always-visible parts (its buttons, the prompt, the message list) stay in the first load.
import { lazyComponent, preloadComponent } from './components'

const bundle = () => import('./onDemandBundle')

export const ChatContextSources = lazyComponent(() => bundle().then((m) => ({ default: m.ChatContextSources })))
export const ChatThreadList = lazyComponent(() => bundle().then((m) => ({ default: m.ChatThreadList })))
export const ChatPromptMenu = lazyComponent(() => bundle().then((m) => ({ default: m.ChatPromptMenu })))
export const ChatContextUsed = lazyComponent(() => bundle().then((m) => ({ default: m.ChatContextUsed })))
export const ChatSources = lazyComponent(() => bundle().then((m) => ({ default: m.ChatSources })))
export const ChatImageThumbnails = lazyComponent(() => bundle().then((m) => ({ default: m.ChatImageThumbnails })))
export const ChatAnswerActions = lazyComponent(() => bundle().then((m) => ({ default: m.ChatAnswerActions })))
export const ChatQueuedPrompts = lazyComponent(() => bundle().then((m) => ({ default: m.ChatQueuedPrompts })))

/** Loads every on-demand component now. */
export function loadOnDemandComponents(): Promise<void> {
  return Promise.all([ChatContextSources, ChatThreadList, ChatPromptMenu, ChatContextUsed, ChatSources, ChatImageThumbnails, ChatAnswerActions, ChatQueuedPrompts].map(preloadComponent)).then(() => undefined)
}
