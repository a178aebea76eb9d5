import type {
  AiAdditionalContextCategory,
  AiConversationThread,
  AiMessage,
  ContextSearchResult,
  ContextStatus,
  DuoChatApi,
  FeedbackInput,
  SendChatInput,
  SubscribeHandlers,
} from 'duo-chat-drawer'

/** A transport of the host's own (here: answers from memory), as `createDuoChat({ api })` takes it. */
export class OfflineApi implements DuoChatApi {
  private readonly listeners = new Set<SubscribeHandlers>()
  private count = 0

  async sendChat(input: SendChatInput): Promise<{ requestId: string; threadId: string | null }> {
    this.count += 1
    const requestId = `request-${this.count}`
    const answer: AiMessage = { requestId, role: 'ASSISTANT', content: `You asked: ${input.question}`, timestamp: new Date().toISOString(), chunkId: null }
    queueMicrotask(() => this.listeners.forEach((listener) => listener.next(answer)))
    return { requestId, threadId: input.threadId ?? null }
  }

  subscribe(_variables: Parameters<DuoChatApi['subscribe']>[0], handlers: SubscribeHandlers): () => void {
    this.listeners.add(handlers)
    return () => this.listeners.delete(handlers)
  }

  async whenSubscribed(): Promise<void> {}
  async loadMessages(): Promise<AiMessage[]> {
    return []
  }
  async loadThreads(): Promise<AiConversationThread[]> {
    return []
  }
  async searchContext(_query: string, _categories?: AiAdditionalContextCategory[]): Promise<ContextSearchResult[]> {
    return []
  }
  async contextStatus(ids: string[]): Promise<ContextStatus[]> {
    return ids.map((id) => ({ id, enabled: true, disabledReason: null }))
  }
  async cancel(): Promise<void> {}
  async deleteThread(): Promise<void> {}
  async sendFeedback(input: FeedbackInput): Promise<void> {
    if (!input.aiMessageId) throw new Error('feedback needs a message')
  }
}
