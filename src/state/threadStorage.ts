/** What is remembered after "New chat", before the first question makes a thread. */
export const NEW_CHAT = 'new'

/**
 * The active thread, remembered per user so that it survives a reload; so does a new, still empty
 * chat ({@link NEW_CHAT}).
 */
export class ThreadStorage {
  private readonly key: string

  constructor(userId: string) {
    this.key = `duo-chat-drawer:thread:${userId}`
  }

  remember(threadId: string | null): void {
    try {
      globalThis.localStorage?.setItem(this.key, threadId ?? NEW_CHAT)
    } catch {
      // Storage may be off (private mode, sandboxed frames): the thread is then kept for the page's life only.
    }
  }

  /** The remembered thread id, {@link NEW_CHAT}, or null when nothing is remembered. */
  recall(): string | null {
    try {
      return globalThis.localStorage?.getItem(this.key) ?? null
    } catch {
      return null
    }
  }
}
