// The on-demand components in one module, so that they make one lazy chunk rather than one each:
// a chunk costs its own request and its own gzip dictionary.
export { default as ChatContextSources } from '../components/ChatContextSources.vue'
export { default as ChatThreadList } from '../components/ChatThreadList.vue'
export { default as ChatPromptMenu } from '../components/ChatPromptMenu.vue'
export { default as ChatContextUsed } from '../components/ChatContextUsed.vue'
export { default as ChatSources } from '../components/ChatSources.vue'
export { default as ChatImageThumbnails } from '../components/ChatImageThumbnails.vue'
export { default as ChatAnswerActions } from '../components/ChatAnswerActions.vue'
export { default as ChatQueuedPrompts } from '../components/ChatQueuedPrompts.vue'
