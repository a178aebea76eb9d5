import { messageLength, type AiMessageRecord } from './messages'

/** The conversation types GitLab knows (`AiConversationsThreadsConversationType`). */
export type ConversationType = 'DUO_CHAT' | 'DUO_CHAT_LEGACY' | 'DUO_CODE_REVIEW' | 'DUO_QUICK_CHAT'

/** `AiConversationsThread`, plus its owner. */
export interface ThreadRecord {
  id: string
  conversationType: ConversationType
  createdAt: string
  lastUpdatedAt: string
  title: string | null
  ownerId: string
}

/** Titles are the first question, cut so that thread lists stay one line. */
const TITLE_LENGTH = 80

interface ThreadState {
  thread: ThreadRecord
  messages: AiMessageRecord[]
  /** The sum of {@link messageLength} over the messages: what the thread size limit counts. */
  length: number
  /** Orders threads updated within the same millisecond. */
  touched: number
}

/**
 * Conversation threads and their complete messages, kept in memory per user. Every lookup takes
 * the owner's id, so no code path can reach another user's thread by id alone.
 */
export class ChatHistory {
  private readonly threads = new Map<string, ThreadState>()
  private touchCounter = 0

  /** Starts a thread titled after its first question. */
  createThread(ownerId: string, conversationType: ConversationType, firstQuestion: string): ThreadRecord {
    const now = new Date().toISOString()
    const thread: ThreadRecord = {
      // Random, not counted: a counter shared by all users told each of them how many threads
      // the others had started. A client holding an old id after a reset still gets "not found".
      id: `gid://gitlab/Ai::Conversation::Thread/${globalThis.crypto.randomUUID()}`,
      conversationType,
      createdAt: now,
      lastUpdatedAt: now,
      title: titleFrom(firstQuestion),
      ownerId,
    }
    this.threads.set(thread.id, { thread, messages: [], length: 0, touched: ++this.touchCounter })
    return thread
  }

  /** The owner's thread with this id; undefined for unknown ids and for other users' threads alike. */
  findThread(ownerId: string, threadId: string): ThreadRecord | undefined {
    return this.state(ownerId, threadId)?.thread
  }

  /** The owner's threads, most recently updated first. */
  listThreads(ownerId: string, conversationType?: ConversationType | null): ThreadRecord[] {
    return [...this.threads.values()]
      .filter((state) => state.thread.ownerId === ownerId && (!conversationType || state.thread.conversationType === conversationType))
      .sort((left, right) => right.touched - left.touched)
      .map((state) => state.thread)
  }

  /** Adds a complete message to the owner's thread; false when the thread is gone (deleted meanwhile). */
  append(ownerId: string, message: AiMessageRecord): boolean {
    const state = this.state(ownerId, message.threadId)
    if (!state) return false
    state.messages.push(message)
    state.length += messageLength(message)
    state.thread.lastUpdatedAt = message.timestamp
    state.touched = ++this.touchCounter
    return true
  }

  /** The owner's messages in a thread, oldest first. */
  messages(ownerId: string, threadId: string): AiMessageRecord[] {
    return [...(this.state(ownerId, threadId)?.messages ?? [])]
  }

  /** How many messages the owner's thread holds and their {@link messageLength} in all; undefined for unknown and foreign threads. */
  size(ownerId: string, threadId: string): { messages: number; length: number } | undefined {
    const state = this.state(ownerId, threadId)
    return state && { messages: state.messages.length, length: state.length }
  }

  /** The owner's messages of these requests, in any of their threads, oldest first. */
  messagesOfRequests(ownerId: string, requestIds: readonly string[]): AiMessageRecord[] {
    const wanted = new Set(requestIds)
    const found: AiMessageRecord[] = []
    for (const state of this.threads.values()) {
      if (state.thread.ownerId !== ownerId) continue
      for (const message of state.messages) if (wanted.has(message.requestId)) found.push(message)
    }
    return found
  }

  /** One of the owner's messages by id, in any thread. */
  findMessage(ownerId: string, messageId: string): AiMessageRecord | undefined {
    for (const state of this.threads.values()) {
      if (state.thread.ownerId !== ownerId) continue
      const message = state.messages.find((candidate) => candidate.id === messageId)
      if (message) return message
    }
    return undefined
  }

  /** Whether the owner has any message of this request (i.e. the request was theirs). */
  hasRequest(ownerId: string, requestId: string): boolean {
    for (const state of this.threads.values()) {
      if (state.thread.ownerId === ownerId && state.messages.some((message) => message.requestId === requestId)) return true
    }
    return false
  }

  /** Deletes the owner's thread; false when there is no such thread of theirs. */
  deleteThread(ownerId: string, threadId: string): boolean {
    return this.state(ownerId, threadId) !== undefined && this.threads.delete(threadId)
  }

  /** Forgets all threads and messages. */
  clear(): void {
    this.threads.clear()
  }

  private state(ownerId: string, threadId: string): ThreadState | undefined {
    const state = this.threads.get(threadId)
    return state?.thread.ownerId === ownerId ? state : undefined
  }
}

function titleFrom(question: string): string | null {
  const flat = question.replace(/\s+/g, ' ').trim()
  if (!flat) return null
  return flat.length <= TITLE_LENGTH ? flat : `${flat.slice(0, TITLE_LENGTH - 1).trimEnd()}…`
}
