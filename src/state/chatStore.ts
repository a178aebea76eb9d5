import { defineStore } from 'pinia'
import { computed, reactive, ref, shallowRef, watch } from 'vue'
import { DuoChatError } from '../transport/errors'
import type { AiAdditionalContext, AiConversationThread, AiMessage } from '../transport/types'
import { ChunkAssembler } from './chunkAssembler'
import { RESOURCE_CHIP_PREFIX, resourceChip, toAdditionalContext, type ContextItem } from './contexts'
import { injectDuoChatConfig } from './config'
import { duoChatGlobalState } from './globalState'
import type { ChatMessage, ChatOutcome } from './types'

/** What the thread storage holds after "New chat", before the first question makes a thread. */
const NEW_CHAT = 'new'

export interface SendQuestionOptions {
  resourceId?: string | null
  additionalContext?: AiAdditionalContext[]
  variables?: Record<string, unknown>
}

/** The request in flight: at most one at a time, as in GitLab. */
interface ActiveRequest {
  clientSubscriptionId: string
  requestId: string | null
  question: ChatMessage
  answer: ChatMessage
  assembler: ChunkAssembler
  unsubscribe: () => void
  timer: ReturnType<typeof setTimeout> | undefined
  /** When the request last showed a sign of life (a chunk, a tool step); the timer checks it. */
  lastActivity: number
  settle: (answer: ChatOutcome) => void
  /** Stop was pressed before the mutation said which request to cancel. */
  stopRequested?: boolean
}

/**
 * The conversation: messages, the request in flight and chunk assembly. It talks to the network
 * only through the configured {@link DuoChatApi}.
 */
export const useDuoChatStore = defineStore('duoChat', () => {
  const config = injectDuoChatConfig()

  const messages = ref<ChatMessage[]>([])
  const threadId = ref<string | null>(null)
  const historyStatus = ref<'idle' | 'loading' | 'loaded' | 'error'>('idle')
  const error = shallowRef<DuoChatError | null>(null)
  const active = shallowRef<ActiveRequest | null>(null)
  const connectionStatus = computed(() => config.connectionStatus.value)
  const isBusy = computed(() => active.value !== null)
  /** The tool the agent is running for the request in flight, if any. */
  const currentToolStep = computed(() => {
    const answer = active.value?.answer
    return answer && answer.status === 'pending' ? (answer.toolSteps.at(-1) ?? null) : null
  })

  /** The user took the page's resource chip off; it comes back when the page shows another resource. */
  const resourceDetached = ref(false)
  /** Reasons the gateway gave for context the user may not send, by id. */
  const unavailableContext = ref<Record<string, string>>({})

  watch(
    () => duoChatGlobalState.resourceId,
    () => (resourceDetached.value = false),
  )

  /** Every chip beside the prompt: the page's resource, then the host's context, with their availability. */
  const attachedContext = computed<ContextItem[]>(() => {
    const { resourceId, resourceTitle, contexts } = duoChatGlobalState
    const items = resourceId && !resourceDetached.value ? [resourceChip(resourceId, resourceTitle), ...contexts] : [...contexts]
    return items.map((item) => {
      const key = item.id.startsWith(RESOURCE_CHIP_PREFIX) ? item.id.slice(RESOURCE_CHIP_PREFIX.length) : item.id
      const reason = item.disabledReason ?? unavailableContext.value[key] ?? null
      return reason ? { ...item, disabledReason: reason } : item
    })
  })

  /** Takes a chip off: it is not sent with the next question. */
  function removeContext(id: string): void {
    if (id.startsWith(RESOURCE_CHIP_PREFIX)) {
      resourceDetached.value = true
      return
    }
    const index = duoChatGlobalState.contexts.findIndex((item) => item.id === id)
    if (index >= 0) duoChatGlobalState.contexts.splice(index, 1)
  }

  /** Adds context (from the /include menu); an item already attached is not added twice. */
  function attachContext(item: ContextItem): void {
    if (!duoChatGlobalState.contexts.some((existing) => existing.id === item.id)) duoChatGlobalState.contexts.push(item)
  }

  /** Asks the gateway which attached items the user may not send, so they show as disabled. */
  async function checkContext(): Promise<void> {
    // Only GitLab items have rights to check; files and snippets a host attaches are the user's own.
    const ids = [duoChatGlobalState.resourceId, ...duoChatGlobalState.contexts.map((c) => c.id)].filter(
      (id): id is string => !!id && id.startsWith('gid://'),
    )
    try {
      const statuses = await config.api.contextStatus(ids)
      unavailableContext.value = Object.fromEntries(statuses.filter((s) => !s.enabled).map((s) => [s.id, s.disabledReason ?? 'Not available']))
    } catch (e) {
      // Availability is advisory: the gateway checks every item again when the question arrives.
      console.warn('[duo-chat-drawer]: could not check the attached context.', e)
    }
  }

  /** GitLab's canceledRequestIds: anything that arrives for these is ignored. */
  const canceledRequestIds = new Set<string>()
  /** Complete messages that arrived before the mutation told us their requestId. */
  const early = new Map<string, AiMessage[]>()
  let stopUserSubscription: (() => void) | null = null

  function createMessage(role: ChatMessage['role'], fields: Partial<ChatMessage> = {}): ChatMessage {
    return reactive({
      key: fields.key ?? `${role}:${globalThis.crypto.randomUUID()}`,
      id: null,
      requestId: null,
      role,
      content: '',
      errors: [],
      status: 'complete',
      timestamp: new Date().toISOString(),
      threadId: threadId.value,
      extras: null,
      toolSteps: [],
      ...fields,
    }) as ChatMessage
  }

  function fromServer(message: AiMessage): ChatMessage {
    const errors = message.errors ?? []
    return createMessage(message.role === 'USER' ? 'USER' : 'ASSISTANT', {
      key: `${message.role}:${message.requestId ?? message.id ?? globalThis.crypto.randomUUID()}`,
      id: message.id ?? null,
      requestId: message.requestId ?? null,
      content: message.content ?? '',
      errors,
      status: errors.length ? 'error' : 'complete',
      timestamp: message.timestamp,
      threadId: message.threadId ?? null,
      extras: message.extras ?? null,
    })
  }

  function findMessage(requestId: string, role: ChatMessage['role']): ChatMessage | undefined {
    return messages.value.find((m) => m.requestId === requestId && m.role === role)
  }

  /** Opens the user-wide subscription that carries every complete message of this user. */
  function connect(): void {
    if (stopUserSubscription) return
    stopUserSubscription = config.api.subscribe(
      { userId: config.userId, aiAction: 'CHAT' },
      {
        next: receiveComplete,
        error: (e) => {
          error.value = e
          stopUserSubscription = null
        },
      },
    )
  }

  function disconnect(): void {
    stopUserSubscription?.()
    stopUserSubscription = null
  }

  /** A complete message (chunkId null) from the user-wide subscription: ours, or another tab's. */
  function receiveComplete(message: AiMessage): void {
    if (message.chunkId != null || message.role === 'SYSTEM' || !message.requestId) return
    const { requestId } = message
    if (canceledRequestIds.has(requestId)) return
    const request = active.value
    if (request && request.requestId === null) {
      if (message.role === 'USER' && message.content === request.question.content) {
        claim(request, requestId)
        mergeInto(request.question, message)
        return
      }
      // Possibly the answer to our request racing its mutation response: hold it until we know.
      early.set(requestId, [...(early.get(requestId) ?? []), message])
      return
    }
    if (request && request.requestId === requestId) {
      if (message.role === 'ASSISTANT') finish(request, message)
      else mergeInto(request.question, message)
      return
    }
    const existing = findMessage(requestId, message.role === 'USER' ? 'USER' : 'ASSISTANT')
    if (existing) mergeInto(existing, message)
    else messages.value.push(fromServer(message))
  }

  function mergeInto(target: ChatMessage, message: AiMessage): void {
    target.id = message.id ?? target.id
    target.timestamp = message.timestamp
    target.threadId = message.threadId ?? target.threadId
    if (message.extras) target.extras = message.extras
  }

  function claim(request: ActiveRequest, requestId: string): void {
    request.requestId = requestId
    if (request.stopRequested) {
      canceledRequestIds.add(requestId)
      cancelOnGateway(requestId)
    }
    request.question.requestId = requestId
    request.answer.requestId = requestId
    // Held messages of other requests came from other tabs; now they can be placed too.
    const held = [...early.values()].flat()
    early.clear()
    for (const message of held) receiveComplete(message)
  }

  /** A message on the request's own subscription: tool steps and chunks. */
  function receiveForRequest(request: ActiveRequest, message: AiMessage): void {
    if (active.value !== request) return
    touch(request)
    if (message.role === 'SYSTEM' && message.type === 'TOOL') {
      const step = message.content ?? ''
      if (step && request.answer.toolSteps.at(-1) !== step) request.answer.toolSteps.push(step)
      return
    }
    if (message.chunkId == null) {
      receiveComplete(message)
      return
    }
    if (request.assembler.add(message.chunkId, message.content ?? '')) {
      request.answer.content = request.assembler.text
      request.answer.status = 'streaming'
    }
  }

  function finish(request: ActiveRequest, message: AiMessage): void {
    request.assembler.finish(message.content ?? '')
    const errors = message.errors ?? []
    Object.assign(request.answer, {
      id: message.id ?? null,
      content: request.assembler.text,
      errors,
      status: errors.length ? 'error' : 'complete',
      timestamp: message.timestamp,
      threadId: message.threadId ?? threadId.value,
      extras: message.extras ?? null,
    })
    settle(request)
  }

  function fail(request: ActiveRequest, failure: DuoChatError): void {
    if (active.value !== request) return
    request.assembler.finish(request.answer.content)
    request.answer.errors = [failure.code ? `${failure.message} Error code: ${failure.code}` : failure.message]
    request.answer.status = 'error'
    settle(request)
  }

  function settle(request: ActiveRequest): void {
    clearTimeout(request.timer)
    request.unsubscribe()
    if (active.value === request) active.value = null
    request.settle({
      requestId: request.requestId ?? '',
      threadId: request.answer.threadId,
      content: request.answer.content,
      errors: request.answer.errors,
      status: request.answer.status === 'stopped' ? 'stopped' : request.answer.errors.length ? 'error' : 'complete',
    })
  }

  /** Notes a sign of life; cheap, because it runs for every streamed chunk. */
  function touch(request: ActiveRequest): void {
    request.lastActivity = Date.now()
  }

  /** One timer per request: when it fires early because of activity, it waits for the rest. */
  function armTimeout(request: ActiveRequest, delayMs = config.requestTimeoutMs): void {
    clearTimeout(request.timer)
    request.timer = setTimeout(() => {
      const quietFor = Date.now() - request.lastActivity
      if (quietFor < config.requestTimeoutMs) armTimeout(request, config.requestTimeoutMs - quietFor)
      else void recoverOrFail(request)
    }, delayMs)
  }

  /**
   * The answer may be complete on the server while its message never reached us (a dropped
   * socket): look in history before giving up with A1000.
   */
  async function recoverOrFail(request: ActiveRequest): Promise<void> {
    if (active.value !== request || (await recoverFromHistory(request))) return
    fail(request, new DuoChatError('GitLab Duo did not answer in time.', { kind: 'timeout', code: 'A1000' }))
  }

  /** Checks a prompt before sending; throws a DuoChatError the prompt shows beside the draft. */
  function validateQuestion(question: string): string {
    const trimmed = question.trim()
    if (!trimmed) throw new DuoChatError('Type a question first.', { kind: 'validation' })
    if (trimmed.length > config.maxPromptLength) {
      throw new DuoChatError(
        `Your message is ${trimmed.length.toLocaleString('en-US')} characters long; the limit is ${config.maxPromptLength.toLocaleString('en-US')}. Shorten it and send again.`,
        { kind: 'validation', code: 'A1005' },
      )
    }
    return trimmed
  }

  /**
   * Sends a question and resolves when its answer reached a final state: complete, error,
   * stopped or timed out. Refuses an invalid prompt, or a second one while a request is in flight.
   */
  async function sendQuestion(question: string, options: SendQuestionOptions = {}): Promise<ChatOutcome> {
    const content = validateQuestion(question)
    if (active.value) throw new DuoChatError('Wait for the current answer, or stop it, before asking again.', { kind: 'validation' })
    error.value = null
    connect()

    const clientSubscriptionId = globalThis.crypto.randomUUID()
    // A host command brings its own context; a typed question takes the chips beside the prompt.
    const fromChips = options.additionalContext === undefined
    const additionalContext = fromChips ? toAdditionalContext(attachedContext.value) : options.additionalContext
    const resourceId = options.resourceId !== undefined ? options.resourceId : resourceDetached.value ? null : duoChatGlobalState.resourceId
    const questionMessage = createMessage('USER', { content, status: 'pending', extras: additionalContext?.length ? { additionalContext } : null })
    const answerMessage = createMessage('ASSISTANT', { status: 'pending' })
    messages.value.push(questionMessage, answerMessage)

    let settleAnswer!: (answer: ChatOutcome) => void
    const answered = new Promise<ChatOutcome>((resolve) => (settleAnswer = resolve))
    const request: ActiveRequest = {
      clientSubscriptionId,
      requestId: null,
      question: questionMessage,
      answer: answerMessage,
      assembler: new ChunkAssembler(),
      unsubscribe: () => {},
      timer: undefined,
      lastActivity: Date.now(),
      settle: settleAnswer,
    }
    active.value = request
    // Subscribe before the mutation so that no chunk is published before anyone listens.
    request.unsubscribe = config.api.subscribe(
      { userId: config.userId, clientSubscriptionId },
      { next: (message) => receiveForRequest(request, message), error: (e) => fail(request, e) },
    )
    armTimeout(request)

    try {
      await config.api.whenSubscribed()
      if (active.value !== request) return await answered
      const sent = await config.api.sendChat({
        question: content,
        resourceId,
        threadId: threadId.value,
        clientSubscriptionId,
        additionalContext,
        variables: options.variables,
      })
      if (active.value !== request && request.stopRequested) claim(request, sent.requestId)
      if (active.value === request) {
        threadId.value = sent.threadId ?? threadId.value
        rememberThread(threadId.value)
        questionMessage.status = 'complete'
        questionMessage.threadId = threadId.value
        answerMessage.threadId = threadId.value
        if (request.requestId === null) claim(request, sent.requestId)
      }
    } catch (e) {
      questionMessage.status = 'complete'
      fail(request, e instanceof DuoChatError ? e : new DuoChatError(String(e), { kind: 'network', code: 'A1000' }))
    }
    return answered
  }

  /** Ends the request in flight at once; whatever arrives for it later is ignored. */
  function stop(): void {
    const request = active.value
    if (!request) return
    if (request.requestId) {
      canceledRequestIds.add(request.requestId)
      cancelOnGateway(request.requestId)
    } else {
      request.stopRequested = true
    }
    request.assembler.finish(request.answer.content)
    request.answer.status = 'stopped'
    request.question.status = 'complete'
    settle(request)
  }

  /** The gateway stops the agent so that no model time is spent on an answer nobody reads. */
  function cancelOnGateway(requestId: string): void {
    config.api.cancel(requestId).catch((e: unknown) => console.warn('[duo-chat-drawer]: the gateway could not stop the request.', e))
  }

  /** Sends the question behind a failed answer again, replacing the failed pair. */
  async function retry(answer: ChatMessage): Promise<ChatOutcome | null> {
    const index = messages.value.indexOf(answer)
    const question = messages.value[index - 1]
    if (index < 1 || question?.role !== 'USER' || active.value) return null
    messages.value.splice(index - 1, 2)
    return sendQuestion(question.content, { additionalContext: question.extras?.additionalContext ?? [] })
  }

  /** Loads the conversation from the server's history (the active thread, or the latest one). */
  async function loadHistory(): Promise<void> {
    if (historyStatus.value === 'loading') return
    connect()
    historyStatus.value = 'loading'
    try {
      const remembered = rememberedThread()
      if (!threadId.value && remembered === NEW_CHAT) {
        historyStatus.value = 'loaded'
        return
      }
      threadId.value = threadId.value ?? remembered
      const history = (await config.api.loadMessages({ threadId: threadId.value }))
        .filter((m) => m.role !== 'SYSTEM' && m.chunkId == null)
        .map(fromServer)
      // A remembered thread the server no longer has (expired, deleted elsewhere) reads as empty:
      // continue in a new chat rather than failing every question.
      if (!history.length && threadId.value) {
        threadId.value = null
        rememberThread(null)
      }
      const known = new Set(history.map((m) => `${m.role}:${m.requestId}`))
      const local = messages.value.filter((m) => !m.requestId || !known.has(`${m.role}:${m.requestId}`))
      messages.value = [...history, ...local]
      threadId.value = threadId.value ?? history.at(-1)?.threadId ?? null
      historyStatus.value = 'loaded'
    } catch (e) {
      error.value = e instanceof DuoChatError ? e : new DuoChatError(String(e), { kind: 'network', code: 'A1000' })
      historyStatus.value = 'error'
    }
  }

  const threads = shallowRef<AiConversationThread[]>([])
  const threadsStatus = ref<'idle' | 'loading' | 'loaded' | 'error'>('idle')
  const threadStorageKey = `duo-chat-drawer:thread:${config.userId}`

  // Chunks and the final message sent while the socket was down are gone; history still has the answer.
  watch(
    () => config.connectionStatus.value,
    (status, previous) => {
      const request = active.value
      if (status !== 'connected' || previous !== 'reconnecting' || !request?.requestId) return
      // Read history only once the resubscriptions are on the server: an answer that completes
      // after the read then reaches the subscription, and one that completed before is in history.
      void config.api.whenSubscribed().then(() => recoverFromHistory(request))
    },
  )

  /** Finishes the request from history if its answer completed while we could not hear it. */
  async function recoverFromHistory(request: ActiveRequest): Promise<boolean> {
    const requestId = request.requestId
    if (!requestId) return false
    const found = await config.api.loadMessages({ requestIds: [requestId] }).catch(() => [])
    const answer = found.find((m) => m.role === 'ASSISTANT' && m.requestId === requestId && m.chunkId == null)
    if (!answer || active.value !== request) return false
    finish(request, answer)
    return true
  }

  /** The active thread survives a reload, per user; so does a new, still empty chat. */
  function rememberThread(id: string | null): void {
    try {
      globalThis.localStorage?.setItem(threadStorageKey, id ?? NEW_CHAT)
    } catch {
      // Storage may be off (private mode, sandboxed frames): the thread is then kept for the page's life only.
    }
  }

  function rememberedThread(): string | null {
    try {
      return globalThis.localStorage?.getItem(threadStorageKey) ?? null
    } catch {
      return null
    }
  }

  /** Loads the user's conversations for "Chat history", newest first. */
  async function loadThreads(): Promise<void> {
    threadsStatus.value = 'loading'
    try {
      threads.value = [...(await config.api.loadThreads())].sort((a, b) => b.lastUpdatedAt.localeCompare(a.lastUpdatedAt))
      threadsStatus.value = 'loaded'
    } catch (e) {
      error.value = e instanceof DuoChatError ? e : new DuoChatError(String(e), { kind: 'network', code: 'A1000' })
      threadsStatus.value = 'error'
    }
  }

  /** Opens a past conversation. */
  async function openThread(id: string): Promise<void> {
    stop()
    threadId.value = id
    messages.value = []
    rememberThread(id)
    historyStatus.value = 'idle'
    await loadHistory()
  }

  /** Deletes a conversation; deleting the open one starts a new chat. */
  async function deleteThread(id: string): Promise<void> {
    await config.api.deleteThread(id)
    threads.value = threads.value.filter((t) => t.id !== id)
    if (threadId.value === id) newChat()
  }

  /** Sends "Helpful"/"Not helpful" for an answer; the answer then shows a thank-you, also after reload. */
  async function sendFeedback(message: ChatMessage, helpful: boolean, details?: string): Promise<void> {
    if (!message.id) throw new DuoChatError('This answer cannot take feedback yet.', { kind: 'validation' })
    await config.api.sendFeedback({ aiMessageId: message.id, helpful, details: details?.trim() || undefined })
    message.extras = { ...message.extras, hasFeedback: true }
  }

  /** Shows an answer made in the drawer itself (e.g. `/help`), with no request to the gateway. */
  function showLocalAnswer(question: string, answer: string): void {
    messages.value.push(createMessage('USER', { content: question }), createMessage('ASSISTANT', { content: answer }))
  }

  /** The /include menu's search; it lists disabled results with their reason. */
  function searchContext(query: string) {
    return config.api.searchContext(query)
  }

  /** Starts a new conversation: the next question opens a new thread. */
  function newChat(): void {
    stop()
    messages.value = []
    threadId.value = null
    rememberThread(null)
    error.value = null
  }

  return {
    messages,
    active,
    attachedContext,
    resourceDetached,
    unavailableContext,
    removeContext,
    attachContext,
    showLocalAnswer,
    searchContext,
    threads,
    threadsStatus,
    loadThreads,
    openThread,
    deleteThread,
    sendFeedback,
    checkContext,
    threadId,
    historyStatus,
    error,
    connectionStatus,
    isBusy,
    currentToolStep,
    connect,
    disconnect,
    sendQuestion,
    validateQuestion,
    stop,
    retry,
    loadHistory,
    newChat,
  }
})

export type DuoChatStore = ReturnType<typeof useDuoChatStore>
