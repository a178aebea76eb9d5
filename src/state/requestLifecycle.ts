import { shallowRef } from 'vue'
import type { DuoChatApi } from '../transport/chatApi'
import { CLIENT_ERROR_CODES, DuoChatError, toDuoChatError } from '../transport/errors'
import type { AiMessage } from '../transport/types'
import { ChunkAssembler } from './chunkAssembler'
import { mergeInto } from './messages'
import type { ChatMessage, ChatOutcome } from './types'

export interface RequestLifecycleOptions {
  api: Pick<DuoChatApi, 'subscribe' | 'whenSubscribed' | 'cancel' | 'loadMessages'>
  userId: string
  /** A request with no sign of life for this long ends with error M1001. */
  timeoutMs: number
  /** A complete message of no request of ours: another tab's. The store places it in the conversation. */
  onOtherMessage(message: AiMessage): void
}

/** How far the server's clock may be behind this page's when history is matched to a request in flight. */
const CLOCK_SKEW_MS = 60_000

/** What starting a request takes: its two messages, filled in place, and how to send it. */
export interface RequestStart {
  question: ChatMessage
  answer: ChatMessage
  /** Sends the aiAction mutation; called once the request's own subscription is on the server. */
  send(clientSubscriptionId: string): Promise<{ requestId: string; threadId: string | null }>
  /** The gateway accepted the request while it is still in flight (not stopped meanwhile). */
  onAccepted?(accepted: { requestId: string; threadId: string | null }): void
  /** The streamed answer grew; `chunks` is how many chunks it holds now (events: time to first token). */
  onChunk?(chunks: number): void
  /** Sees each message on the request's own subscription first; returns true for one it handled (V2's request_context). */
  onMessage?(message: AiMessage): boolean
}

/** The request in flight. */
interface Request {
  clientSubscriptionId: string
  requestId: string | null
  question: ChatMessage
  answer: ChatMessage
  assembler: ChunkAssembler
  unsubscribe: () => void
  timer: ReturnType<typeof setTimeout> | undefined
  /** When the request last showed a sign of life (a chunk, a tool step); the timer checks it. */
  lastActivity: number
  /** When it started (this page's clock). */
  startedAt: number
  settle: (outcome: ChatOutcome) => void
  /** Stop was pressed before the mutation said which request to cancel. */
  stopRequested: boolean
  onChunk: RequestStart['onChunk']
  onMessage: RequestStart['onMessage']
}

/**
 * One request at a time, as in GitLab, from the question to a final state: complete, error,
 * stopped or timed out. It subscribes before sending, assembles chunks, shows tool steps, tells
 * its own messages from other tabs' when they race the mutation's response, times out on silence,
 * recovers a lost answer from history, and ignores anything that arrives for a stopped request.
 * A plain class: it needs a {@link DuoChatApi}, no Pinia and no component.
 */
export class RequestLifecycle {
  /** Reactive, so that `busy` and `currentToolStep` can back computed state. */
  private readonly current = shallowRef<Request | null>(null)
  /** GitLab's canceledRequestIds: anything that arrives for these is ignored. */
  private readonly canceledRequestIds = new Set<string>()
  /** Complete messages that arrived before the mutation told us their requestId. */
  private readonly early = new Map<string, AiMessage[]>()
  /** Requests stopped before the mutation told us their requestId; it is still on its way. */
  private readonly stoppedUnclaimed = new Set<Request>()

  constructor(private readonly options: RequestLifecycleOptions) {}

  /** Whether a request is in flight. */
  get busy(): boolean {
    return this.current.value !== null
  }

  /** The tool the agent is running for the request in flight, if any ("Issue Reader"). */
  get currentToolStep(): string | null {
    const answer = this.current.value?.answer
    return answer && answer.status === 'pending' ? (answer.toolSteps.at(-1) ?? null) : null
  }

  /**
   * Runs a request and resolves when its answer reached a final state, also while the mutation is
   * still on its way (Stop, a timeout): a hanging request never holds up the next one. It never
   * rejects: a failure is the answer's error, with its code. Refuses a second request while one is in flight.
   */
  start({ question, answer, send, onAccepted, onChunk, onMessage }: RequestStart): Promise<ChatOutcome> {
    if (this.current.value) return Promise.reject(new DuoChatError('Wait for the current answer, or stop it, before asking again.', { kind: 'validation' }))
    const { api, userId } = this.options
    const clientSubscriptionId = globalThis.crypto.randomUUID()
    let settle!: (outcome: ChatOutcome) => void
    const answered = new Promise<ChatOutcome>((resolve) => (settle = resolve))
    const request: Request = {
      clientSubscriptionId,
      requestId: null,
      question,
      answer,
      assembler: new ChunkAssembler(),
      unsubscribe: () => {},
      timer: undefined,
      lastActivity: Date.now(),
      startedAt: Date.now(),
      settle,
      stopRequested: false,
      onChunk,
      onMessage,
    }
    this.current.value = request
    // Subscribe before the mutation so that no chunk is published before anyone listens.
    request.unsubscribe = api.subscribe(
      { userId, clientSubscriptionId },
      { next: (message) => this.receiveForRequest(request, message), error: (e) => this.fail(request, e) },
    )
    this.armTimeout(request)
    void this.send(request, send, onAccepted)
    return answered
  }

  private async send(request: Request, send: RequestStart['send'], onAccepted: RequestStart['onAccepted']): Promise<void> {
    try {
      await this.options.api.whenSubscribed()
      if (this.current.value !== request) return
      const accepted = await send(request.clientSubscriptionId)
      // Stopped while the mutation was on its way: now we know which request the gateway should
      // stop (unless a history load told us first).
      if (this.current.value !== request && request.stopRequested && request.requestId === null) this.claim(request, accepted.requestId)
      if (this.current.value === request) {
        request.question.status = 'complete'
        onAccepted?.(accepted)
        if (request.requestId === null) this.claim(request, accepted.requestId)
      }
    } catch (e) {
      if (this.current.value !== request) return
      request.question.status = 'complete'
      this.fail(request, toDuoChatError(e))
    } finally {
      this.stoppedUnclaimed.delete(request)
    }
  }

  /** A complete message (chunkId null) from the user-wide subscription: ours, or another tab's. */
  receiveComplete(message: AiMessage): void {
    if (message.chunkId != null || message.role === 'SYSTEM' || !message.requestId) return
    const { requestId } = message
    if (this.canceledRequestIds.has(requestId)) return
    const request = this.current.value
    if (request && request.requestId === null) {
      if (message.role === 'USER' && message.content === request.question.content) {
        this.claim(request, requestId)
        mergeInto(request.question, message)
        return
      }
      // Possibly the answer to our request racing its mutation response: hold it until we know.
      this.early.set(requestId, [...(this.early.get(requestId) ?? []), message])
      return
    }
    if (request && request.requestId === requestId) {
      if (message.role === 'ASSISTANT') this.finish(request, message)
      else mergeInto(request.question, message)
      return
    }
    this.options.onOtherMessage(message)
  }

  /**
   * A message from a history load: whether it belongs to the request in flight, whose request id
   * the mutation has not told yet. The question is then claimed, as the same message on the
   * subscription would be, and the answer (if history has it complete) finishes the request, so
   * that the store does not show them a second time as earlier turns.
   */
  adoptFromHistory(message: AiMessage): boolean {
    if (!message.requestId || message.chunkId != null) return false
    // The same words asked earlier in the thread are an earlier turn: only a question the server
    // stored after this one started can be it (give or take a minute of clock skew).
    const storedAt = Date.parse(message.timestamp)
    const unclaimed = [this.current.value, ...this.stoppedUnclaimed].find(
      (r) => r && r.requestId === null && r.question.content === message.content && !(storedAt < r.startedAt - CLOCK_SKEW_MS),
    )
    if (unclaimed && message.role === 'USER' && !this.canceledRequestIds.has(message.requestId)) {
      // A stopped one is claimed as cancelled: the gateway is told to stop it now.
      this.claim(unclaimed, message.requestId)
      mergeInto(unclaimed.question, message)
      return true
    }
    const request = this.current.value
    if (!request || request.requestId !== message.requestId) return false
    if (message.role === 'ASSISTANT') this.finish(request, message)
    else mergeInto(request.question, message)
    return true
  }

  /** Ends the request in flight at once; whatever arrives for it later is ignored. */
  stop(): void {
    const request = this.current.value
    if (!request) return
    if (request.requestId) {
      this.canceledRequestIds.add(request.requestId)
      this.cancelOnGateway(request.requestId)
    } else {
      request.stopRequested = true
      this.stoppedUnclaimed.add(request)
    }
    request.assembler.finish(request.answer.content)
    request.answer.status = 'stopped'
    request.question.status = 'complete'
    this.settle(request)
  }

  /**
   * The socket came back: chunks and the final message sent while it was down are gone, but
   * history has the answer if it completed meanwhile.
   */
  reconnected(): void {
    const request = this.current.value
    if (!request?.requestId) return
    // Read history only once the resubscriptions are on the server: an answer that completes
    // after the read then reaches the subscription, and one that completed before is in history.
    void this.options.api.whenSubscribed().then(() => this.recoverFromHistory(request))
  }

  private claim(request: Request, requestId: string): void {
    this.stoppedUnclaimed.delete(request)
    request.requestId = requestId
    if (request.stopRequested) {
      this.canceledRequestIds.add(requestId)
      this.cancelOnGateway(requestId)
    }
    request.question.requestId = requestId
    request.answer.requestId = requestId
    // Held messages of other requests came from other tabs; now they can be placed too.
    const held = [...this.early.values()].flat()
    this.early.clear()
    for (const message of held) this.receiveComplete(message)
  }

  /** A message on the request's own subscription: tool steps and chunks. */
  private receiveForRequest(request: Request, message: AiMessage): void {
    if (this.current.value !== request) return
    // A sign of life; cheap, because it runs for every streamed chunk.
    request.lastActivity = Date.now()
    if (request.onMessage?.(message)) return
    if (message.role === 'SYSTEM' && message.type === 'TOOL') {
      const step = message.content ?? ''
      if (step && request.answer.toolSteps.at(-1) !== step) request.answer.toolSteps.push(step)
      return
    }
    if (message.chunkId == null) {
      this.receiveComplete(message)
      return
    }
    if (request.assembler.add(message.chunkId, message.content ?? '')) {
      request.answer.content = request.assembler.text
      request.answer.status = 'streaming'
      request.onChunk?.(request.assembler.chunks)
    }
  }

  private finish(request: Request, message: AiMessage): void {
    request.assembler.finish(message.content ?? '')
    const errors = message.errors ?? []
    Object.assign(request.answer, {
      id: message.id ?? null,
      content: request.assembler.text,
      errors,
      status: errors.length ? 'error' : 'complete',
      timestamp: message.timestamp,
      threadId: message.threadId ?? request.answer.threadId,
      extras: message.extras ?? null,
    })
    this.settle(request)
  }

  private fail(request: Request, failure: DuoChatError): void {
    if (this.current.value !== request) return
    request.assembler.finish(request.answer.content)
    // The code stays in the text (once): the drawer picks its sentence by the code.
    const coded = !failure.code || failure.message.includes(failure.code)
    request.answer.errors = [coded ? failure.message : `${failure.message} Error code: ${failure.code}`]
    request.answer.status = 'error'
    this.settle(request)
  }

  private settle(request: Request): void {
    clearTimeout(request.timer)
    request.unsubscribe()
    if (this.current.value === request) this.current.value = null
    const { answer } = request
    request.settle({
      requestId: request.requestId ?? '',
      threadId: answer.threadId,
      content: answer.content,
      errors: answer.errors,
      status: answer.status === 'stopped' ? 'stopped' : answer.errors.length ? 'error' : 'complete',
    })
  }

  /** One timer per request: when it fires early because of activity, it waits for the rest. */
  private armTimeout(request: Request, delayMs = this.options.timeoutMs): void {
    clearTimeout(request.timer)
    request.timer = setTimeout(() => {
      const quietFor = Date.now() - request.lastActivity
      if (quietFor < this.options.timeoutMs) this.armTimeout(request, this.options.timeoutMs - quietFor)
      else void this.recoverOrFail(request)
    }, delayMs)
  }

  /**
   * The answer may be complete on the server while its message never reached us (a dropped
   * socket): look in history before giving up with M1001.
   */
  private async recoverOrFail(request: Request): Promise<void> {
    if (this.current.value !== request || (await this.recoverFromHistory(request))) return
    this.fail(request, new DuoChatError('GitLab Duo did not answer in time.', { kind: 'timeout', code: CLIENT_ERROR_CODES.timeout }))
  }

  /** Finishes the request from history if its answer completed while we could not hear it. */
  private async recoverFromHistory(request: Request): Promise<boolean> {
    const requestId = request.requestId
    if (!requestId) return false
    const found = await this.options.api.loadMessages({ requestIds: [requestId] }).catch(() => [])
    const answer = found.find((m) => m.role === 'ASSISTANT' && m.requestId === requestId && m.chunkId == null)
    if (!answer || this.current.value !== request) return false
    this.finish(request, answer)
    return true
  }

  /** The gateway stops the agent so that no model time is spent on an answer nobody reads. */
  private cancelOnGateway(requestId: string): void {
    this.options.api.cancel(requestId).catch((e: unknown) => console.warn('[duo-chat-drawer]: the gateway could not stop the request.', e))
  }
}
