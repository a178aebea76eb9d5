import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import { trackRequest } from '../events/requestEvents'
import { traceparentFor } from '../events/traceparent'
import { CLIENT_ERROR_CODES, DuoChatError, extractErrorCode, toDuoChatError } from '../transport/errors'
import type { AiConversationThread, AiMessage } from '../transport/types'
import { useAttachedContext } from './attachedContext'
import { providerOf } from '../context/runProviders'
import { useContextProviders } from './contextProviders'
import { injectDuoChatConfig } from './config'
import { commandChips, isResourceChip, resourceOfChip, sendableContexts, type ContextItem } from './contexts'
import { duoChatGlobalState } from './globalState'
import { useLabels } from './labels'
import { createMessage, fromServer, mergeInto } from './messages'
import { RequestLifecycle } from './requestLifecycle'
import { NEW_CHAT, ThreadStorage } from './threadStorage'
import type { ChatMessage, ChatOutcome } from './types'

/** A slow history load holds a question no longer than this; the question then goes to the recalled thread. */
const THREAD_CHECK_WAIT_MS = 3000

export interface SendQuestionOptions {
  /**
   * The resource the question is about (a host command's), or null for none; the question then
   * lists it among its chips. @default the page's resource, unless the user took its chip off
   */
  resourceId?: string | null
  /** Context sent with the question. @default the usable chips beside the prompt */
  contexts?: readonly ContextItem[]
  /** Extra variables that pass through to the `aiAction` mutation. */
  variables?: Record<string, unknown>
}

/**
 * The conversation: its messages and threads, composed of the attached context
 * ({@link useAttachedContext}), the request lifecycle ({@link RequestLifecycle}) and the
 * remembered thread ({@link ThreadStorage}). It talks to the network only through the
 * configured {@link DuoChatApi}.
 */
export const useDuoChatStore = defineStore('duoChat', () => {
  const config = injectDuoChatConfig()
  // The plugin provides the labels app-wide, so the store's setup can inject them.
  const context = useAttachedContext(config.api, useLabels())
  const storage = new ThreadStorage(config.userId)
  const providers = useContextProviders(config.api, config.userId)
  /** Aborts the context providers running for the request in flight (Stop). */
  let providerRun: AbortController | null = null
  /**
   * Pending while a thread recalled from storage is being checked against the server's history:
   * a question sent meanwhile (a host's command as the drawer opens) waits for the verdict, so it
   * does not go to a thread the server no longer has.
   */
  let recalledThreadCheck: Promise<unknown> | null = null

  const messages = ref<ChatMessage[]>([])
  const threadId = ref<string | null>(null)
  const historyStatus = ref<'idle' | 'loading' | 'loaded' | 'error'>('idle')
  const error = shallowRef<DuoChatError | null>(null)
  const threads = shallowRef<AiConversationThread[]>([])
  const threadsStatus = ref<'idle' | 'loading' | 'loaded' | 'error'>('idle')
  const connectionStatus = computed(() => config.connectionStatus.value)

  const requests = new RequestLifecycle({ api: config.api, userId: config.userId, timeoutMs: config.requestTimeoutMs, onOtherMessage: placeMessage })
  const isBusy = computed(() => requests.busy)
  /** The tool the agent is running for the request in flight, if any. */
  const currentToolStep = computed(() => requests.currentToolStep)

  let stopUserSubscription: (() => void) | null = null

  /** Opens the user-wide subscription that carries every complete message of this user. */
  function connect(): void {
    if (stopUserSubscription) return
    stopUserSubscription = config.api.subscribe(
      { userId: config.userId, aiAction: 'CHAT' },
      {
        next: (message) => requests.receiveComplete(message),
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

  /** A message of this user from another tab: merged into the one we show, or added. */
  function placeMessage(message: AiMessage): void {
    const role = message.role === 'USER' ? 'USER' : 'ASSISTANT'
    const existing = messages.value.find((m) => m.requestId === message.requestId && m.role === role)
    if (existing) mergeInto(existing, message)
    else messages.value.push(fromServer(message))
  }

  const events = config.events ?? null
  let downSince: number | null = null
  watch(
    () => config.connectionStatus.value,
    (status, previous) => {
      if (status === 'reconnecting' && previous !== 'reconnecting') downSince = events?.now() ?? null
      if (status === 'connected' && previous === 'reconnecting') {
        requests.reconnected()
        if (events) {
          const at = events.now()
          events.emit({ type: 'reconnect', at, ms: downSince === null ? 0 : Math.max(0, at - downSince) })
        }
        downSince = null
      }
    },
  )

  /** Checks a prompt before sending; throws a DuoChatError the prompt shows beside the draft. */
  function validateQuestion(question: string): string {
    const trimmed = question.trim()
    if (!trimmed) throw new DuoChatError('Type a question first.', { kind: 'validation' })
    if (trimmed.length > config.maxPromptLength) {
      throw new DuoChatError(
        `Your message is ${trimmed.length.toLocaleString('en-US')} characters long; the limit is ${config.maxPromptLength.toLocaleString('en-US')}. Shorten it and send again.`,
        { kind: 'validation', code: CLIENT_ERROR_CODES.tooLong },
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
    if (requests.busy) throw new DuoChatError('Wait for the current answer, or stop it, before asking again.', { kind: 'validation' })
    error.value = null
    connect()

    // A typed question takes the chips beside the prompt; a host command brings its own resource and context.
    const typed = context.forTypedQuestion()
    const contexts = options.contexts ? sendableContexts(options.contexts) : typed.contexts
    const resourceId = options.resourceId !== undefined ? options.resourceId : typed.resourceId
    // The page's resource chip stays beside the prompt; a resource of the command's own is listed with the question.
    const chips = options.resourceId ? commandChips(options.resourceId, contexts, resourceTitle(options.resourceId)) : contexts
    const questionMessage = createMessage('USER', { content, status: 'pending', threadId: threadId.value, contexts: chips })
    const answerMessage = createMessage('ASSISTANT', { status: 'pending', threadId: threadId.value })
    messages.value.push(questionMessage, answerMessage)

    const traceparent = traceparentFor(config.traceparent ?? true)
    const tracked = events && trackRequest(events, { question: content, resourceId: resourceId ?? null, contextCount: contexts.length, traceparent })
    const outcome = requests.start({
      question: questionMessage,
      answer: answerMessage,
      send: async (clientSubscriptionId) => {
        // Proactive providers go with the question; each is bounded by its timeout, so none holds it up for long.
        const run = (providerRun = new AbortController())
        const [gathered] = await Promise.all([providers.gatherProactive(content, run.signal), untilRecalledThreadChecked()])
        if (run.signal.aborted) throw new DOMException('The question was stopped.', 'AbortError')
        questionMessage.contexts = [...questionMessage.contexts, ...gathered.items]
        if (gathered.notes.length) questionMessage.contextNotes = gathered.notes
        return config.api.sendChat({
          question: content,
          resourceId,
          threadId: threadId.value,
          clientSubscriptionId,
          contexts: [...contexts, ...gathered.items],
          variables: options.variables,
          traceparent,
          ...providers.providerLists(),
        })
      },
      onMessage: (message) => providers.answerContextRequest(message, questionMessage, answerMessage, providerRun?.signal),
      onAccepted: (accepted) => {
        threadId.value = accepted.threadId ?? threadId.value
        storage.remember(threadId.value)
        questionMessage.threadId = threadId.value
        answerMessage.threadId = threadId.value
        tracked?.accepted(accepted)
      },
      ...(tracked ? { onChunk: tracked.chunk } : {}),
    })
    return tracked ? outcome.then((settled) => (tracked.settled(settled), settled)) : outcome
  }

  /** Waits (at most {@link THREAD_CHECK_WAIT_MS}) for the check of a recalled thread; a failed check counts as done. */
  async function untilRecalledThreadChecked(): Promise<void> {
    if (!recalledThreadCheck) return
    let timer: ReturnType<typeof setTimeout> | undefined
    await Promise.race([recalledThreadCheck.catch(() => {}), new Promise((resolve) => (timer = setTimeout(resolve, THREAD_CHECK_WAIT_MS)))])
    clearTimeout(timer)
  }

  function resourceTitle(resourceId: string): string | null {
    return resourceId === duoChatGlobalState.resourceId ? duoChatGlobalState.resourceTitle : null
  }

  /** Ends the request in flight at once; whatever arrives for it later is ignored. */
  function stop(): void {
    providerRun?.abort()
    requests.stop()
  }

  /** Sends the question behind a failed answer again, with the same resource and context, replacing the failed pair. */
  async function retry(answer: ChatMessage): Promise<ChatOutcome | null> {
    const index = messages.value.indexOf(answer)
    const question = messages.value[index - 1]
    if (index < 1 || question?.role !== 'USER' || requests.busy) return null
    events?.emit({ type: 'retry', at: events.now(), requestId: answer.requestId, code: extractErrorCode(...answer.errors) })
    messages.value.splice(index - 1, 2)
    const resource = question.contexts.find(isResourceChip)
    return sendQuestion(question.content, {
      ...(resource ? { resourceId: resourceOfChip(resource) } : {}),
      // The providers run again for the new request.
      contexts: question.contexts.filter((item) => !isResourceChip(item) && !providerOf(item)),
    })
  }

  /** Loads the conversation from the server's history (the active thread, or the latest one). */
  async function loadHistory(): Promise<void> {
    if (historyStatus.value === 'loading') return
    connect()
    historyStatus.value = 'loading'
    try {
      const remembered = storage.recall()
      if (!threadId.value && remembered === NEW_CHAT) {
        historyStatus.value = 'loaded'
        return
      }
      const recalled = !threadId.value && remembered !== null
      threadId.value = threadId.value ?? remembered
      const loading = config.api.loadMessages({ threadId: threadId.value })
      if (recalled) recalledThreadCheck = loading.finally(() => (recalledThreadCheck = null))
      const loaded = (await loading).filter((m) => m.role !== 'SYSTEM' && m.chunkId == null)
      // The question in flight (or one stopped meanwhile) can be in the history before its mutation
      // said its request id (its new thread is now the latest): it is this page's, not an earlier turn.
      // Questions newest first (of the same words asked twice, the latest is the one in flight),
      // then the answers, which finish a request only once its question was claimed.
      const questionsFirst = [...loaded.filter((m) => m.role === 'USER').reverse(), ...loaded.filter((m) => m.role !== 'USER')]
      const inFlight = new Set(questionsFirst.filter((m) => requests.adoptFromHistory(m)).map((m) => m.requestId))
      const history = loaded.filter((m) => !inFlight.has(m.requestId)).map(fromServer)
      // A remembered thread the server no longer has (expired, deleted elsewhere) reads as empty:
      // continue in a new chat rather than failing every question.
      if (!loaded.length && threadId.value) {
        threadId.value = null
        storage.remember(null)
      }
      // The history can arrive after this page sent questions (a host's command as the drawer
      // opens, a slow server): what is shown already stays, in its order and as the same objects
      // (a stopped answer is not in the history at all); only the thread's earlier turns are added.
      const shown = new Set(messages.value.filter((m) => m.requestId).map((m) => `${m.role}:${m.requestId}`))
      messages.value = [...history.filter((m) => !shown.has(`${m.role}:${m.requestId}`)), ...messages.value]
      threadId.value = threadId.value ?? history.at(-1)?.threadId ?? null
      historyStatus.value = 'loaded'
    } catch (e) {
      error.value = toDuoChatError(e)
      historyStatus.value = 'error'
    }
  }

  /** Loads the user's conversations for "Chat history", newest first. */
  async function loadThreads(): Promise<void> {
    threadsStatus.value = 'loading'
    try {
      threads.value = [...(await config.api.loadThreads())].sort((a, b) => b.lastUpdatedAt.localeCompare(a.lastUpdatedAt))
      threadsStatus.value = 'loaded'
    } catch (e) {
      error.value = toDuoChatError(e)
      threadsStatus.value = 'error'
    }
  }

  /** Opens a past conversation. */
  async function openThread(id: string): Promise<void> {
    stop()
    threadId.value = id
    messages.value = []
    storage.remember(id)
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
    const written = details?.trim()
    events?.emit({
      type: 'feedback',
      at: events.now(),
      messageId: message.id,
      requestId: message.requestId,
      helpful,
      ...(events.includeText && written ? { details: written } : {}),
    })
  }

  /** Shows an answer made in the drawer itself (e.g. `/help`), with no request to the gateway. */
  function showLocalAnswer(question: string, answer: string): void {
    messages.value.push(createMessage('USER', { content: question, threadId: threadId.value }), createMessage('ASSISTANT', { content: answer, threadId: threadId.value }))
  }

  /** Starts a new conversation: the next question opens a new thread. */
  function newChat(): void {
    stop()
    messages.value = []
    threadId.value = null
    storage.remember(null)
    error.value = null
  }

  return {
    messages,
    attachedContext: context.attachedContext,
    resourceDetached: context.resourceDetached,
    unavailableContext: context.unavailableContext,
    removeContext: context.removeContext,
    attachContext: context.attachContext,
    checkContext: context.checkContext,
    searchContext: context.searchContext,
    showLocalAnswer,
    threads,
    threadsStatus,
    loadThreads,
    openThread,
    deleteThread,
    sendFeedback,
    threadId,
    historyStatus,
    error,
    connectionStatus,
    isBusy,
    currentToolStep,
    contextSources: providers.contextSources,
    sourcesStatus: providers.sourcesStatus,
    sourcesError: providers.sourcesError,
    excludedProviders: providers.excludedProviders,
    loadContextSources: providers.loadContextSources,
    setProviderExcluded: providers.setProviderExcluded,
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
