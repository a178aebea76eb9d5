import type { DuoChatApi, SendChatInput, SubscribeHandlers } from '../src/transport/chatApi'
import type { GatewayContextProvider, ProvideContextInput } from '../src/transport/duoChatV2'
import type { AiMessage, ContextSearchResult } from '../src/transport/types'

interface FakeSubscription {
  variables: { userId: string; aiAction?: 'CHAT'; clientSubscriptionId?: string }
  handlers: SubscribeHandlers
  active: boolean
}

/**
 * A stand-in for the Apollo transport: records what the store sends and lets a test push
 * messages to the subscriptions exactly as the gateway would route them.
 */
export class FakeChatApi implements DuoChatApi {
  readonly sent: SendChatInput[] = []
  readonly subscriptions: FakeSubscription[] = []
  history: AiMessage[] = []
  private nextRequest = 1
  /** Replaces the default mutation behaviour (resolve with a new requestId). */
  onSend: ((input: SendChatInput) => Promise<{ requestId: string; threadId: string | null }>) | null = null

  async sendChat(input: SendChatInput) {
    this.sent.push(input)
    if (this.onSend) return this.onSend(input)
    return { requestId: `request-${this.nextRequest++}`, threadId: 'gid://gitlab/Ai::Conversation::Thread/1' }
  }

  subscribe(variables: FakeSubscription['variables'], handlers: SubscribeHandlers) {
    const subscription = { variables, handlers, active: true }
    this.subscriptions.push(subscription)
    return () => {
      subscription.active = false
      // Forget closed subscriptions, so that the fake retains nothing a real client would not.
      const at = this.subscriptions.indexOf(subscription)
      if (at >= 0) this.subscriptions.splice(at, 1)
    }
  }

  async whenSubscribed() {}

  readonly cancelled: string[] = []
  readonly deletedThreads: string[] = []
  readonly feedback: { aiMessageId: string; helpful: boolean; details?: string }[] = []
  threads: { id: string; title: string | null; conversationType: string; createdAt: string; lastUpdatedAt: string }[] = []

  async cancel(requestId: string) {
    this.cancelled.push(requestId)
  }

  async deleteThread(threadId: string) {
    this.deletedThreads.push(threadId)
    this.threads = this.threads.filter((t) => t.id !== threadId)
  }

  async sendFeedback(input: { aiMessageId: string; helpful: boolean; details?: string }) {
    this.feedback.push(input)
  }

  async loadMessages(filter: { threadId?: string | null; requestIds?: string[] }) {
    return this.history.filter(
      (m) => (!filter.requestIds || filter.requestIds.includes(m.requestId ?? '')) && (!filter.threadId || !m.threadId || m.threadId === filter.threadId),
    )
  }

  async loadThreads() {
    return this.threads
  }

  /** What the /include search answers, and which ids are unavailable (id → reason). */
  searchResults: ContextSearchResult[] = []
  unavailable: Record<string, string> = {}

  async searchContext(query: string) {
    return this.searchResults.filter((r) => r.title.toLowerCase().includes(query.toLowerCase()))
  }

  async contextStatus(ids: string[]) {
    return ids.map((id) => ({ id, enabled: !this.unavailable[id], disabledReason: this.unavailable[id] ?? null }))
  }

  /** Duo Chat V2: the gateway's providers, and the answers to its context requests. */
  gatewayProviders: GatewayContextProvider[] = []
  readonly providedContexts: ProvideContextInput[] = []

  async loadContextProviders() {
    return this.gatewayProviders
  }

  async provideContext(input: ProvideContextInput) {
    this.providedContexts.push(input)
    return { accepted: input.providedContexts.length }
  }

  /** The clientSubscriptionId of the latest request. */
  get lastClientSubscriptionId(): string {
    const last = this.sent.at(-1)
    if (!last) throw new Error('nothing was sent')
    return last.clientSubscriptionId
  }

  /** Delivers a chunk or tool step to the request's own subscription. */
  toRequest(clientSubscriptionId: string, message: Partial<AiMessage>): void {
    for (const s of [...this.subscriptions]) {
      if (s.active && s.variables.clientSubscriptionId === clientSubscriptionId) s.handlers.next(complete(message))
    }
  }

  /** Broadcasts a complete message to every user-wide subscription. */
  broadcast(message: Partial<AiMessage>): void {
    for (const s of [...this.subscriptions]) {
      if (s.active && s.variables.aiAction === 'CHAT') s.handlers.next(complete(message))
    }
  }

  get activeSubscriptions(): number {
    return this.subscriptions.filter((s) => s.active).length
  }
}

const EPOCH = new Date(0).toISOString()

function complete(message: Partial<AiMessage>): AiMessage {
  return { role: 'ASSISTANT', timestamp: EPOCH, chunkId: null, errors: [], ...message }
}
