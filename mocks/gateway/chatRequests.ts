/**
 * The life of one `aiAction` request: check the rate and the input limits, store and broadcast
 * the question, then (after the mutation has answered) run a scenario or the agent, stream the
 * answer to the asking subscription and store and broadcast the final message. Requests can be
 * cancelled until then. Each request ends with one audit record (no message content in it).
 */
import type { StreamHolds } from './streamHolds'
import { runAgent } from './agent'
import type { AiActionAuditRecord, AuditLogger, AuditOutcome } from './audit'
import type { Viewer } from './auth'
import { arrangeChunks, splitIntoChunks, type ChunkOrder } from './chunking'
import { formatErrorMessage, GatewayError } from './errors'
import { HOME_PROJECT_ID, type Fixtures } from './fixtures'
import type { ChatHistory, ConversationType } from './history'
import { checkAiActionInput, isRefusal } from './inputLimits'
import { checkRunning, checkThread, DEFAULT_LIMITS, type GatewayLimits, type RateLimiter } from './limits'
import { assistantMessage, chunkMessage, contextRequestMessage, toolStepMessage, userMessage, type AiMessageRecord, type RequestRef } from './messages'
import type { ChatModel } from './model'
import { readTraceparent, safeRequestObserver, type GatewayObserver, type SafeRequestObserver } from './observer'
import { accessResource, parseGlobalId, type Resource } from './permissions'
import type { PubSub } from './pubsub'
import type { AdditionalContextItem, CurrentFile } from './reactFormat'
import { MAX_ID_LENGTH } from './scalars'
import { resolveReference, type ReferenceKind, type ReferenceScope } from './references'
import type { Scenario, ScenarioQueue } from './scenarios'
import type { Scheduler } from './scheduler'
import type { GatewayTiming } from './timing'
import { TOOLS, type Tool } from './tools'
import { describeCurrentFile, describeHistory, describeItems, providerOfItem } from './pipeline/contextUsed'
import { selectHistory, type SelectedHistory } from './pipeline/historyContext'
import { HISTORY_PROVIDER, TOOL_PROVIDERS } from './pipeline/providerNames'
import { runRag, type PipelineAnswer, type ReactiveAnswer } from './pipeline/rag'
import { describeObservation } from './pipeline/retrievers'
import type { AnswerStep, ContextUsed, PipelineName, RequestedContext } from './pipeline/transparency'

/** The longest question accepted by default (`limits.maxQuestionLength`). */
export const MAX_QUESTION_LENGTH = DEFAULT_LIMITS.maxQuestionLength
/** The most attached context accepted by default (`limits.maxContextLength`). */
export const MAX_CONTEXT_LENGTH = DEFAULT_LIMITS.maxContextLength

/** The answer to a `duoChatProvideContext` the gateway is not waiting for. */
export const NO_LONGER_WAITING = 'The gateway is no longer waiting for this context.'

/** Context categories that name a GitLab item; the asking user must be able to read it. */
const CONTEXT_ITEM_KINDS: Record<string, ReferenceKind> = { ISSUE: 'Issue', MERGE_REQUEST: 'MergeRequest' }

/** `AiActionInput` as graphql hands it to the resolver. */
export interface AiActionInput {
  chat?: {
    content?: string | null
    resourceId?: string | null
    additionalContext?: { category: string; content: string; id: string; metadata?: unknown }[] | null
    currentFile?: {
      fileName: string
      selectedText: string
      contentAboveCursor?: string | null
      contentBelowCursor?: string | null
    } | null
    namespaceId?: string | null
    agentVersionId?: string | null
  } | null
  clientMutationId?: string | null
  clientSubscriptionId?: string | null
  conversationType?: ConversationType | null
  platformOrigin?: string | null
  projectId?: string | null
  threadId?: string | null
  /** Duo Chat V2 (mocks/PROTOCOL.md). */
  proactiveContextProviders?: string[] | null
  reactiveContextProviders?: string[] | null
  excludedContextProviders?: string[] | null
}

/** `DuoChatProvideContextInput` as graphql hands it to the resolver. */
export interface ProvideContextInput {
  clientMutationId?: string | null
  requestId: string
  contextRequestId: string
  providedContexts: { category: string; content: string; id: string; metadata?: unknown }[]
  skippedProviders?: string[] | null
}

/** `AiActionPayload`. */
export interface AiActionPayload {
  clientMutationId: string | null
  errors: string[]
  requestId: string | null
  threadId: string | null
}

/**
 * What the pubsub carries per user. Complete messages are `broadcast` to all of the user's chat
 * subscriptions; everything also goes to the request's own `clientSubscriptionId`.
 */
export interface ChatEvent {
  message: AiMessageRecord
  clientSubscriptionId: string | null
  broadcast: boolean
}

/** Everything a request needs from the gateway. */
export interface ChatRequestsDependencies {
  fixtures: Fixtures
  history: ChatHistory
  pubsub: PubSub<ChatEvent>
  scheduler: Scheduler
  scenarios: ScenarioQueue
  timing: GatewayTiming
  model: ChatModel
  /** Asks the transport to close the user's sockets (scenario `dropConnectionAfterChunk`). */
  dropConnection(userId: string): void
  /** @default DEFAULT_LIMITS without a rate limit */
  limits?: GatewayLimits
  /** Per-user question rate; none when absent. */
  rateLimiter?: RateLimiter
  /** Receives one record per request. */
  audit?: AuditLogger
  /** Milliseconds clock for durations. @default Date.now */
  now?: () => number
  /** Hears each request's life (metrics, traces); see `observer.ts`. */
  observer?: GatewayObserver
  /** Where streams wait for `release()` (scenario `holdAfterChunks`). @default none: they never pause */
  holds?: StreamHolds
  /** The pipeline that answers a user's questions. @default 'react' for everyone */
  pipelineFor?: (userId: string) => PipelineName
}

/** What the transport knows about an `aiAction` beyond its input. */
export interface RequestMeta {
  /** The W3C `traceparent` header sent with the mutation; ignored unless well-formed. */
  traceparent?: string | null
}

/** What the audit record of a request collects while it runs. */
interface RequestTrail {
  startedAt: number
  resources: Set<string>
  contextCategories: Record<string, number>
  tools: string[]
  providers: string[]
  failovers: number
  chunks: number
  scenario: boolean
  /** Metrics and traces of the request. */
  observed: SafeRequestObserver
}

interface RunningRequest extends RequestRef {
  userId: string
  /** Set while the request waits for a `duoChatProvideContext` answer. */
  contextWaiter?: (input: ProvideContextInput) => { errors: string[]; accepted: number }
  clientSubscriptionId: string | null
  controller: AbortController
  trail: RequestTrail
}

interface StreamingOptions {
  chunkSize: number
  delayMs: number
  order: ChunkOrder
  dropConnectionAfterChunk: number | null
  holdAfterChunks: readonly number[]
}

interface AgentInput {
  question: string
  resourceId: string | null
  additionalContext: AdditionalContextItem[]
  currentFile: CurrentFile | null
  projectId: string | null
  pipeline: PipelineName
  /** Provider names that must not run. */
  excluded: Set<string>
  /** The client's reactive providers that may be asked. */
  reactive: string[]
}

/** Starts, runs and cancels chat requests. */
export class ChatRequests {
  private readonly running = new Map<string, RunningRequest>()
  private readonly deps: ChatRequestsDependencies

  constructor(dependencies: ChatRequestsDependencies) {
    this.deps = dependencies
  }

  /**
   * Handles `aiAction`: answers at once with the request and thread ids (or with errors and no
   * request), and answers the question asynchronously through the subscription.
   */
  start(viewer: Viewer, input: AiActionInput, meta: RequestMeta = {}): AiActionPayload {
    const clientMutationId = input.clientMutationId ?? null
    const chat = input.chat
    const content = chat?.content ?? ''
    const additionalContext: AdditionalContextItem[] = (chat?.additionalContext ?? []).map((item) => ({
      category: item.category,
      id: item.id,
      content: item.content,
      metadata: item.metadata ?? null,
    }))
    const pipeline = this.deps.pipelineFor?.(viewer.id) ?? 'react'
    const trail = this.newTrail(chat?.resourceId ?? null, additionalContext, viewer, meta, pipeline)
    const refuse = (error: string, code: string | null, reason: string): AiActionPayload => {
      this.audit({ requestId: null, threadId: input.threadId ?? null, userId: viewer.id }, trail, 'refused', code, reason)
      return { clientMutationId, errors: [error], requestId: null, threadId: null }
    }

    // Every attempt takes a token, so that a client hammering with bad input is slowed down too.
    const throttled = this.deps.rateLimiter?.take(viewer.id)
    if (throttled) return refuse(throttled.message, throttled.code, throttled.reason)
    if (!content.trim()) return refuse('The question is empty. Type a question and send it again.', null, 'empty_question')
    // Everything is checked before anything is stored: a refused request leaves no thread and no question behind.
    const limits = this.deps.limits ?? DEFAULT_LIMITS
    const busy = checkRunning(limits, this.runningOf(viewer.id))
    if (busy) return refuse(busy.message, busy.code, busy.reason)
    const size = checkAiActionInput(limits, input)
    if (isRefusal(size)) return refuse(size.message, size.code, size.reason)

    const { history } = this.deps
    let threadId: string
    if (input.threadId) {
      // Unknown and foreign threads answer alike, so thread ids can't be probed.
      const stored = history.size(viewer.id, input.threadId)
      if (!stored) {
        return refuse(
          formatErrorMessage('M3003', "This conversation doesn't exist or isn't yours. Start a new chat and ask again."),
          'M3003',
          'unknown_thread',
        )
      }
      const full = checkThread(limits, {
        ...stored,
        pendingAnswers: this.pendingAnswers(viewer.id, input.threadId),
        questionLength: size.questionLength + size.contextLength,
      })
      if (full) return refuse(full.message, full.code, full.reason)
      threadId = input.threadId
    } else {
      this.makeRoomForThread(viewer.id, limits.maxThreadsPerUser)
      threadId = history.createThread(viewer.id, input.conversationType ?? 'DUO_CHAT', content).id
    }

    const run: RunningRequest = {
      requestId: globalThis.crypto.randomUUID(),
      threadId,
      userId: viewer.id,
      clientSubscriptionId: input.clientSubscriptionId ?? null,
      controller: new AbortController(),
      trail,
    }
    const question = userMessage(run, content, additionalContext)
    history.append(viewer.id, question)
    this.publish(run, question, true)

    const scenario = this.deps.scenarios.take(viewer.id)
    trail.scenario = scenario !== undefined
    trail.observed.accepted({ requestId: run.requestId, threadId, scenario: trail.scenario })
    const agentInput: AgentInput = {
      question: content,
      resourceId: chat?.resourceId ?? null,
      additionalContext,
      currentFile: chat?.currentFile
        ? {
            fileName: chat.currentFile.fileName,
            selectedText: chat.currentFile.selectedText,
            contentAboveCursor: chat.currentFile.contentAboveCursor ?? null,
            contentBelowCursor: chat.currentFile.contentBelowCursor ?? null,
          }
        : null,
      projectId: input.projectId ?? null,
      pipeline,
      excluded: new Set(input.excludedContextProviders ?? []),
      reactive: [...new Set(input.reactiveContextProviders ?? [])].filter((name) => !(input.excludedContextProviders ?? []).includes(name)),
    }
    this.running.set(run.requestId, run)
    this.deps.scheduler.defer(() => void this.execute(run, viewer, agentInput, scenario))
    return { clientMutationId, errors: [], requestId: run.requestId, threadId }
  }

  /**
   * Handles `aiActionCancel`: stops the viewer's running request. Stopping a request that has
   * already finished is not an error (the user's click raced the answer); anything else is.
   */
  cancel(viewer: Viewer, requestId: string): string[] {
    const run = this.running.get(requestId)
    if (run?.userId === viewer.id) {
      this.abort(requestId)
      return []
    }
    if (this.deps.history.hasRequest(viewer.id, requestId)) return []
    return ['There is no request of yours with this id to cancel.']
  }

  /** Handles `duoChatProvideContext`: hands the client's reactive context to the waiting request. */
  provideContext(viewer: Viewer, input: ProvideContextInput): { errors: string[]; accepted: number } {
    const run = this.running.get(input.requestId)
    if (run?.userId !== viewer.id || !run.contextWaiter) return { errors: [NO_LONGER_WAITING], accepted: 0 }
    return run.contextWaiter(input)
  }

  /** Stops a request silently: nothing more is published or stored for it. */
  abort(requestId: string): boolean {
    const run = this.running.get(requestId)
    if (!run) return false
    this.running.delete(requestId)
    run.controller.abort(new DOMException('The request was cancelled.', 'AbortError'))
    this.audit(run, run.trail, 'cancelled', null, null)
    return true
  }

  /** Stops the owner's requests in a thread that is being deleted. */
  abortThread(ownerId: string, threadId: string): void {
    for (const run of [...this.running.values()]) {
      if (run.userId === ownerId && run.threadId === threadId) this.abort(run.requestId)
    }
  }

  /** Stops every running request (reset, dispose). */
  abortAll(): void {
    for (const requestId of [...this.running.keys()]) this.abort(requestId)
  }

  /** Forgets the owner's least recently updated threads until one more fits under `maxThreads`. */
  private makeRoomForThread(ownerId: string, maxThreads: number): void {
    const threads = this.deps.history.listThreads(ownerId)
    for (const thread of threads.slice(Math.max(0, maxThreads - 1)).reverse()) {
      this.abortThread(ownerId, thread.id)
      this.deps.history.deleteThread(ownerId, thread.id)
    }
  }

  /** How many of the user's requests are being answered. */
  runningOf(userId: string): number {
    let running = 0
    for (const run of this.running.values()) if (run.userId === userId) running += 1
    return running
  }

  /** The owner's requests in a thread whose answers are not stored yet. */
  private pendingAnswers(ownerId: string, threadId: string): number {
    let pending = 0
    for (const run of this.running.values()) if (run.userId === ownerId && run.threadId === threadId) pending += 1
    return pending
  }

  /** Whether a request is still being answered. */
  isRunning(requestId: string): boolean {
    return this.running.has(requestId)
  }

  private async execute(run: RunningRequest, viewer: Viewer, input: AgentInput, scenario: Scenario | undefined): Promise<void> {
    const { signal } = run.controller
    try {
      if (scenario?.errorCode && scenario.text === null) throw new GatewayError(scenario.errorCode)
      const answer: PipelineAnswer | null = scenario?.text != null ? null : await this.answer(run, viewer, input, signal)
      await this.stream(run, answer?.content ?? scenario?.text ?? '', this.streamingOptions(scenario), signal)
      if (scenario?.errorCode) throw new GatewayError(scenario.errorCode)
      const message = assistantMessage(run, answer?.content ?? scenario?.text ?? '', { sources: answer?.sources ?? [] })
      if (answer && message.extras) {
        message.extras.contextUsed = answer.contextUsed
        message.extras.steps = answer.steps
        message.extras.pipeline = input.pipeline === 'rag' ? 'RAG' : 'REACT'
      }
      if (this.finish(run, message)) {
        this.audit(run, run.trail, 'answered', null, null)
      }
    } catch (error) {
      if (signal.aborted || isAbortError(error)) return
      if (!(error instanceof GatewayError)) console.error('[mock gateway] a chat request failed unexpectedly:', error)
      const failure = error instanceof GatewayError ? error : new GatewayError('A9999', undefined, { cause: error })
      if (this.finish(run, assistantMessage(run, failure.sentence, { errors: [failure.message] }))) {
        this.audit(run, run.trail, 'error', failure.code, null)
      }
    } finally {
      if (this.running.get(run.requestId) === run) this.running.delete(run.requestId)
    }
  }

  private async answer(run: RunningRequest, viewer: Viewer, input: AgentInput, signal: AbortSignal): Promise<PipelineAnswer> {
    const { fixtures, model, scheduler, timing } = this.deps
    const { trail } = run
    // Checked before any tool, so a hidden or AI-disabled page is refused even for questions
    // that would not read it.
    const resource = this.checkResource(viewer, input.resourceId)
    const scope = this.scopeFor(resource, input.projectId)
    this.checkContext(viewer, input.additionalContext, scope, trail)
    const history: SelectedHistory = input.excluded.has(HISTORY_PROVIDER)
      ? { turns: [], questionIds: [] }
      : selectHistory(this.deps.history.messages(run.userId, run.threadId), run.requestId)
    const toolContext = { fixtures, viewer, scope, onRead: (globalId: string) => trail.resources.add(globalId) }
    const modelObserver = {
      answeredBy: (provider: string) => trail.providers.push(provider),
      failed: () => {
        trail.failovers += 1
      },
    }
    const resourceId = resource ? input.resourceId : null
    if (input.pipeline === 'rag') {
      return runRag(
        { question: input.question, resourceId, additionalContext: input.additionalContext, currentFile: input.currentFile, history },
        {
          model,
          toolContext,
          signal,
          excluded: input.excluded,
          reactiveProviders: input.reactive,
          requestContext: (requested, requestSignal) => this.requestContext(run, viewer, scope, requested, requestSignal),
          waitForRetrieval: (retrievalSignal) => scheduler.sleep(timing.toolMs, retrievalSignal),
          onRetrieverStart: (retriever) => {
            trail.tools.push(retriever.name)
            this.publish(run, toolStepMessage(run, retriever.title), false)
          },
          modelObserver,
          observer: trail.observed,
          now: () => this.now(),
          startedAt: trail.startedAt,
        },
      )
    }
    const steps: AnswerStep[] = []
    const retrieved: ContextUsed[] = []
    const answer = await runAgent(
      {
        question: input.question,
        resourceId,
        additionalContext: input.additionalContext,
        currentFile: input.currentFile,
        history: history.turns,
      },
      {
        model,
        // Excluding a provider hides its tools: the model never learns they exist.
        tools: this.recordedTools(input.excluded, steps, retrieved, trail.startedAt),
        toolContext,
        signal,
        onToolStep: (tool) => {
          trail.tools.push(tool.name)
          steps.push({ name: tool.name, title: tool.humanName, status: 'ok', reads: [], startedAtMs: this.since(trail.startedAt), durationMs: 0, note: null })
          this.publish(run, toolStepMessage(run, tool.humanName), false)
        },
        waitForTool: (toolSignal) => scheduler.sleep(timing.toolMs, toolSignal),
        modelObserver,
        observer: trail.observed,
        now: () => this.now(),
      },
    )
    const contextUsed = [
      ...describeItems(input.additionalContext, 'PROACTIVE'),
      ...describeCurrentFile(input.currentFile),
      ...retrieved,
      ...describeHistory(history.turns.length),
    ]
    return { ...answer, contextUsed, steps }
  }

  /** The agent's tools minus those of excluded providers, each recording what it read into the open step. */
  private recordedTools(excluded: ReadonlySet<string>, steps: AnswerStep[], retrieved: ContextUsed[], startedAt: number): Tool[] {
    return TOOLS.filter((tool) => !excluded.has(TOOL_PROVIDERS[tool.name] ?? '')).map((tool) => ({
      ...tool,
      run: (toolInput, context) => {
        const step = steps.at(-1)
        const reads: string[] = []
        try {
          const result = tool.run(toolInput, { ...context, onRead: (globalId) => (reads.push(globalId), context.onRead?.(globalId)) })
          const used = describeObservation(result.observation, TOOL_PROVIDERS[tool.name] ?? tool.name)
          if (!retrieved.some((entry) => entry.id !== null && entry.id === used.id)) retrieved.push(used)
          reads.push(...result.sources.map((source) => source.source_url))
          return result
        } catch (error) {
          if (step) {
            step.status = error instanceof GatewayError && /^M300[23]$/.test(error.code) ? 'denied' : 'error'
            step.note = error instanceof GatewayError ? error.sentence : null
          }
          throw error
        } finally {
          if (step) {
            step.reads = reads
            step.durationMs = Math.max(0, this.since(startedAt) - step.startedAtMs)
          }
        }
      },
    }))
  }

  /**
   * Publishes a context request to the asking subscription and waits for `duoChatProvideContext`,
   * at most `timing.reactiveContextMs`. Items from providers that were not asked for are dropped,
   * and so are GitLab items the user may not read.
   */
  private requestContext(run: RunningRequest, viewer: Viewer, scope: ReferenceScope, requested: RequestedContext[], signal: AbortSignal): Promise<ReactiveAnswer> {
    const { scheduler, timing, limits = DEFAULT_LIMITS } = this.deps
    const contextRequestId = `cr-${globalThis.crypto.randomUUID()}`
    const names = new Set(requested.map((entry) => entry.provider))
    return new Promise<ReactiveAnswer>((resolve, reject) => {
      const timer = new AbortController()
      const settle = (outcome: ReactiveAnswer | { error: unknown }) => {
        if (run.contextWaiter === waiter) delete run.contextWaiter
        timer.abort()
        if ('error' in outcome) reject(outcome.error)
        else resolve(outcome)
      }
      const waiter = (answer: ProvideContextInput): { errors: string[]; accepted: number } => {
        if (answer.contextRequestId !== contextRequestId) return { errors: [NO_LONGER_WAITING], accepted: 0 }
        const size = answer.providedContexts.reduce((sum, item) => sum + item.content.length + item.id.length + item.category.length, 0)
        if (answer.providedContexts.length > limits.maxContextItems || size > limits.maxContextLength) {
          settle({ status: 'ok', items: [], skipped: [...names] })
          return { errors: [formatErrorMessage('M1005', 'The provided context is over the size limit; the answer goes on without it.')], accepted: 0 }
        }
        const items: AdditionalContextItem[] = []
        const foreign = new Set<string>()
        const errors: string[] = []
        for (const given of answer.providedContexts) {
          const item = { category: given.category, id: given.id, content: given.content, metadata: given.metadata ?? null }
          const provider = providerOfItem(item)
          if (!provider || !names.has(provider)) {
            foreign.add(provider ?? '(none)')
            continue
          }
          if (!this.readable(viewer, item, scope)) continue
          items.push(item)
        }
        if (foreign.size > 0) errors.push(`Items from providers that were not asked for were left out: ${[...foreign].join(', ')}.`)
        const skipped = (answer.skippedProviders ?? []).filter((name) => names.has(name))
        settle({ status: 'ok', items, skipped })
        return { errors, accepted: items.length }
      }
      run.contextWaiter = waiter
      scheduler.sleep(timing.reactiveContextMs, AbortSignal.any([signal, timer.signal])).then(
        () => settle({ status: 'timeout' }),
        (error: unknown) => {
          if (!timer.signal.aborted) settle({ error: signal.aborted ? signal.reason : error })
        },
      )
      const titles = requested.map((entry) => entry.provider).join(', ')
      this.publish(run, contextRequestMessage(run, contextRequestId, requested, `GitLab Duo asks for more context: ${titles}.`), false)
    })
  }

  /** A GitLab item given as context must be one the user may read with Duo; other items are the page's own. */
  private readable(viewer: Viewer, item: AdditionalContextItem, scope: ReferenceScope): boolean {
    const kind = CONTEXT_ITEM_KINDS[item.category]
    if (!kind) return true
    try {
      const globalId = resolveReference(this.deps.fixtures, kind, item.id, scope)
      if (!globalId) return false
      const resource = accessResource(this.deps.fixtures, viewer.id, globalId)
      if (!item.content.trim()) item.content = describeResource(resource)
      return true
    } catch {
      return false
    }
  }

  private since(startedAt: number): number {
    return Math.max(0, Math.round(this.now() - startedAt))
  }

  /**
   * Context items that name a GitLab item (issues, merge requests) are used only when the asking
   * user may read that item and GitLab Duo may process it: M3003/M3002 otherwise, as for a tool.
   * Items the user's editor sent (files, snippets, terminal output) are the user's own.
   */
  private checkContext(viewer: Viewer, items: readonly AdditionalContextItem[], scope: ReferenceScope, trail: RequestTrail): void {
    for (const item of items) {
      const kind = CONTEXT_ITEM_KINDS[item.category]
      if (!kind) continue
      const globalId = resolveReference(this.deps.fixtures, kind, item.id, scope)
      if (!globalId) throw new GatewayError('M3003')
      trail.resources.add(globalId)
      const resource = accessResource(this.deps.fixtures, viewer.id, globalId)
      // A host may attach an issue or merge request by id alone: the gateway reads it, with the user's rights.
      if (!item.content.trim()) item.content = describeResource(resource)
    }
  }

  /** The resource a question is asked on, or null when there is none. */
  private checkResource(viewer: Viewer, resourceId: string | null): Resource | null {
    // GitLab's own UI passes the user's id as the resource when a page has no item.
    if (!resourceId || resourceId === viewer.id) return null
    return accessResource(this.deps.fixtures, viewer.id, resourceId)
  }

  /** Where short references (`#2`, `&1`) point: the resource's project or group, else the given project. */
  private scopeFor(resource: Resource | null, projectId: string | null): ReferenceScope {
    const { fixtures } = this.deps
    const given = projectId && parseGlobalId(projectId)?.type === 'Project' ? projectId : null
    const scopeProjectId =
      resource && resource.kind !== 'epic' ? resource.project.id : (given ?? HOME_PROJECT_ID)
    const groupId =
      resource?.kind === 'epic'
        ? resource.group.id
        : (fixtures.projects.find((project) => project.id === scopeProjectId)?.groupId ?? fixtures.groups[0]?.id ?? '')
    return { projectId: scopeProjectId, groupId }
  }

  private streamingOptions(scenario: Scenario | undefined): StreamingOptions {
    const { timing } = this.deps
    return {
      chunkSize: scenario?.chunkSize ?? timing.chunkSize,
      delayMs: scenario?.delayMs ?? timing.chunkDelayMs,
      order: scenario?.order ?? 'in-order',
      dropConnectionAfterChunk: scenario?.dropConnectionAfterChunk ?? null,
      holdAfterChunks: scenario?.holdAfterChunks ?? [],
    }
  }

  private async stream(run: RunningRequest, text: string, options: StreamingOptions, signal: AbortSignal): Promise<void> {
    const chunks = arrangeChunks(splitIntoChunks(text, options.chunkSize), options.order, text)
    let dropped = false
    for (const [index, chunk] of chunks.entries()) {
      if (index > 0) await this.deps.scheduler.sleep(options.delayMs, signal)
      signal.throwIfAborted()
      this.publish(run, chunkMessage(run, chunk.chunkId, chunk.content), false)
      run.trail.chunks += 1
      if (run.trail.chunks === 1) run.trail.observed.firstChunk(this.now())
      if (!dropped && chunk.chunkId === options.dropConnectionAfterChunk) {
        dropped = true
        this.deps.dropConnection(run.userId)
      }
      if (options.holdAfterChunks.includes(index + 1)) await this.deps.holds?.wait(run.userId, signal)
    }
  }

  /** Stores and broadcasts the final message, unless the request was cancelled meanwhile; false then. */
  private finish(run: RunningRequest, message: AiMessageRecord): boolean {
    if (run.controller.signal.aborted) return false
    this.deps.history.append(run.userId, message)
    this.publish(run, message, true)
    return true
  }

  private newTrail(resourceId: string | null, context: readonly AdditionalContextItem[], viewer: Viewer, meta: RequestMeta, pipeline: PipelineName): RequestTrail {
    const resources = new Set<string>()
    // Only well-formed ids go into the log: anything else the client sent could be free text.
    const isGlobalId = (id: string) => id.length <= MAX_ID_LENGTH && parseGlobalId(id) !== null
    if (resourceId && resourceId !== viewer.id && isGlobalId(resourceId)) resources.add(resourceId)
    const contextCategories: Record<string, number> = {}
    for (const item of context) {
      contextCategories[item.category] = (contextCategories[item.category] ?? 0) + 1
      if (CONTEXT_ITEM_KINDS[item.category] && isGlobalId(item.id)) resources.add(item.id)
    }
    const startedAt = this.now()
    const observed = safeRequestObserver(this.deps.observer, {
      userId: viewer.id,
      pipeline,
      traceparent: readTraceparent(meta.traceparent),
      at: startedAt,
    })
    return {
      startedAt,
      observed,
      resources,
      contextCategories,
      tools: [],
      providers: [],
      failovers: 0,
      chunks: 0,
      scenario: false,
    }
  }

  private audit(
    ref: { requestId: string | null; threadId: string | null; userId: string },
    trail: RequestTrail,
    outcome: AuditOutcome,
    errorCode: string | null,
    reason: string | null,
  ): void {
    trail.observed.end({ outcome, code: errorCode, reason, chunks: trail.chunks, at: this.now() })
    if (!this.deps.audit) return
    const record: AiActionAuditRecord = {
      time: new Date().toISOString(),
      level: 'info',
      event: 'ai_action',
      requestId: ref.requestId,
      threadId: ref.threadId,
      userId: ref.userId,
      resources: [...trail.resources],
      contextCategories: { ...trail.contextCategories },
      tools: [...trail.tools],
      providers: [...trail.providers],
      failovers: trail.failovers,
      outcome,
      errorCode,
      reason,
      scenario: trail.scenario,
      chunks: trail.chunks,
      durationMs: Math.max(0, Math.round(this.now() - trail.startedAt)),
    }
    this.deps.audit(record)
  }

  private now(): number {
    return (this.deps.now ?? Date.now)()
  }

  private publish(run: RunningRequest, message: AiMessageRecord, broadcast: boolean): void {
    // Subscribers get their own copy: stored messages change later (hasFeedback).
    this.deps.pubsub.publish(run.userId, { message: structuredClone(message), clientSubscriptionId: run.clientSubscriptionId, broadcast })
  }
}

function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError'
}

/** The text of an issue or merge request, as context for the model. */
function describeResource(resource: Resource): string {
  if (resource.kind === 'issue') {
    const { issue } = resource
    return [`Title: ${issue.title}`, `State: ${issue.state}`, `Labels: ${issue.labels.join(', ')}`, '', issue.description].join('\n')
  }
  if (resource.kind === 'mergeRequest') {
    const { mergeRequest } = resource
    return [`Title: ${mergeRequest.title}`, `State: ${mergeRequest.state}`, '', mergeRequest.description, '', mergeRequest.diff].join('\n')
  }
  if (resource.kind === 'epic') return [`Title: ${resource.epic.title}`, '', resource.epic.description].join('\n')
  return `Project: ${resource.project.fullPath}`
}
