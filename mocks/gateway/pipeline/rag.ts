/**
 * The deterministic `rag` pipeline (Duo Chat V2), beside the ReAct agent: the client's proactive
 * context is already in the question; the gateway's retrievers run in parallel; the model writes
 * a draft from all of it; a grader judges the draft; when it falls short the client's reactive
 * providers are asked once; then the answer is written. Excluded providers never run.
 */
import { codeOf, observedCompletion, uniqueSources, type AgentAnswer, type AgentEnvironment } from '../agent'
import { GatewayError } from '../errors'
import type { ChatModel } from '../model'
import { answerChatCommand, isSmallTalk } from '../modelAnswers'
import { buildPrompt, parseModelOutput, type AdditionalContextItem, type CurrentFile, type ScratchpadStep } from '../reactFormat'
import type { ToolContext } from '../tools'
import { describeCurrentFile, describeHistory, describeItems } from './contextUsed'
import { buildGradePrompt, parseGrade } from './grader'
import type { SelectedHistory } from './historyContext'
import { GATEWAY_RETRIEVERS, type Retrieval, type RetrievedItem, type Retriever } from './retrievers'
import type { AnswerStep, ContextUsed, RequestedContext } from './transparency'

/** The question and what the client sent with it. */
export interface RagQuestion {
  question: string
  resourceId: string | null
  /** The user's attachments and the proactive providers' items (tagged with `metadata.contextProvider`). */
  additionalContext: readonly AdditionalContextItem[]
  currentFile: CurrentFile | null
  /** The thread's earlier turns (empty when `chatHistoryProvider` is excluded). */
  history: SelectedHistory
}

/** How the client answered a context request. */
export type ReactiveAnswer = { status: 'ok'; items: AdditionalContextItem[]; skipped: string[] } | { status: 'timeout' }

/** What the pipeline works with. */
export interface RagEnvironment extends Pick<AgentEnvironment, 'observer' | 'modelObserver'> {
  model: ChatModel
  toolContext: ToolContext
  signal: AbortSignal
  /** @default GATEWAY_RETRIEVERS */
  retrievers?: readonly Retriever[]
  /** Provider names that must not run. */
  excluded: ReadonlySet<string>
  /** The client's reactive providers that may be asked (declared, not excluded). */
  reactiveProviders: readonly string[]
  /** Publishes a context request and waits for the client's answer (or the timeout). */
  requestContext(requested: RequestedContext[], signal: AbortSignal): Promise<ReactiveAnswer>
  /** Waits while a retriever reads GitLab (the tools' latency). */
  waitForRetrieval(signal: AbortSignal): Promise<void>
  /** Called when a retriever starts, so the user sees it at work. */
  onRetrieverStart?(retriever: Retriever): void
  now(): number
  /** When the request started, on the `now` clock (steps' `startedAtMs` count from here). */
  startedAt: number
}

/** The answer with its transparency. */
export interface PipelineAnswer extends AgentAnswer {
  contextUsed: ContextUsed[]
  steps: AnswerStep[]
}

/** Answers one question; throws a GatewayError (a retriever's refusal, a model failure) or the signal's reason. */
export async function runRag(input: RagQuestion, env: RagEnvironment): Promise<PipelineAnswer> {
  const { signal, now } = env
  const since = () => Math.max(0, Math.round(now() - env.startedAt))
  const steps: AnswerStep[] = []
  const retrievers = env.retrievers ?? GATEWAY_RETRIEVERS
  const retrievalInput = { question: input.question, resourceId: input.resourceId, history: input.history }
  const needsContext = !isSmallTalk(input.question) && !chatCommand(input.question)

  for (const retriever of retrievers) {
    if (!env.excluded.has(retriever.name)) continue
    steps.push({ name: retriever.name, title: retriever.title, status: 'excluded', reads: [], startedAtMs: since(), durationMs: 0, note: 'Excluded in Context sources: not run.' })
  }
  const active = needsContext ? retrievers.filter((retriever) => !env.excluded.has(retriever.name) && retriever.applies(retrievalInput)) : []

  const retrievalStage = env.observer?.step(0, now())
  const settled = await Promise.allSettled(active.map((retriever) => runRetriever(retriever)))
  const failure = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected')
  retrievalStage?.end(now(), failure ? codeOf(failure.reason) : null)
  signal.throwIfAborted()
  if (failure) throw failure.reason instanceof GatewayError ? failure.reason : new GatewayError('A9999', undefined, { cause: failure.reason })

  const retrievals = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []))
  const items = uniqueItems(retrievals.flatMap((retrieval) => retrieval.items))
  const turns = retrievals.flatMap((retrieval) => retrieval.turns ?? [])
  const contextUsed: ContextUsed[] = [
    ...describeItems(input.additionalContext, 'PROACTIVE'),
    ...describeCurrentFile(input.currentFile),
    ...items.map((item) => item.used),
    ...describeHistory(turns.length),
  ]

  const answerStage = env.observer?.step(1, now())
  let content: string
  try {
    content = await write(input.additionalContext)
    if (needsContext) {
      const grade = await gradeDraft(content, input.additionalContext)
      if (!grade.sufficient && env.reactiveProviders.length > 0) {
        const reactive = await askClient(grade.reason)
        if (reactive.length > 0) {
          contextUsed.push(...describeItems(reactive, 'REACTIVE'))
          content = await write([...input.additionalContext, ...reactive])
        }
      }
    }
    answerStage?.end(now())
  } catch (error) {
    answerStage?.end(now(), codeOf(error))
    throw error
  }
  return { content, sources: uniqueSources(items.flatMap((item) => item.sources)), contextUsed, steps }

  async function runRetriever(retriever: Retriever): Promise<Retrieval> {
    const step: AnswerStep = { name: retriever.name, title: retriever.title, status: 'ok', reads: [], startedAtMs: since(), durationMs: 0, note: null }
    steps.push(step)
    const started = now()
    env.onRetrieverStart?.(retriever)
    const observed = env.observer?.tool(retriever.name, started)
    try {
      if (retriever.remote) await env.waitForRetrieval(signal)
      signal.throwIfAborted()
      const retrieval = await retriever.retrieve(retrievalInput, env.toolContext, signal)
      step.reads = retrieval.reads
      if (retrieval.reads.length === 0) {
        step.status = 'empty'
        step.note = retrieval.note ?? null
      }
      observed?.end(now())
      return retrieval
    } catch (error) {
      step.status = error instanceof GatewayError && /^M300[23]$/.test(error.code) ? 'denied' : 'error'
      step.note = error instanceof GatewayError ? error.sentence : 'The retriever failed.'
      observed?.end(now(), codeOf(error))
      throw error
    } finally {
      step.durationMs = Math.max(0, Math.round(now() - started))
    }
  }

  async function write(context: readonly AdditionalContextItem[]): Promise<string> {
    const prompt = buildPrompt({
      question: input.question,
      resourceId: input.resourceId,
      additionalContext: context,
      currentFile: input.currentFile,
      tools: [],
      scratchpad: items.map(toScratchpad),
      history: turns,
    })
    const output = await observedCompletion(env.model, prompt, signal, env, now)
    const decision = parseModelOutput(output)
    const answer = decision.kind === 'final' ? decision.answer : output.trim()
    if (!answer) throw new GatewayError('A1002')
    return answer
  }

  async function gradeDraft(draft: string, context: readonly AdditionalContextItem[]) {
    const step: AnswerStep = { name: 'grader', title: 'Grading the draft answer', status: 'ok', reads: [], startedAtMs: since(), durationMs: 0, note: null }
    steps.push(step)
    const started = now()
    const contextTypes = [...new Set([...context.map((item) => item.category), ...(input.currentFile ? ['CURRENT_FILE'] : [])])]
    try {
      const grade = parseGrade(await observedCompletion(env.model, buildGradePrompt({ question: input.question, draft, contextTypes, retrieved: items.length }), signal, env, now))
      if (!grade.sufficient) step.note = `Falls short: ${grade.reason}`
      return grade
    } catch (error) {
      if (signal.aborted) throw signal.reason
      // A grader that fails must not cost the user the answer: the draft stands.
      step.status = 'error'
      step.note = 'The grader failed; the draft was kept.'
      return { sufficient: true, reason: '' }
    } finally {
      step.durationMs = Math.max(0, Math.round(now() - started))
    }
  }

  async function askClient(reason: string): Promise<AdditionalContextItem[]> {
    const step: AnswerStep = { name: 'requestContext', title: 'Asking the page for more context', status: 'ok', reads: [...env.reactiveProviders], startedAtMs: since(), durationMs: 0, note: null }
    steps.push(step)
    const started = now()
    try {
      const answer = await env.requestContext(env.reactiveProviders.map((provider) => ({ provider, reason })), signal)
      if (answer.status === 'timeout') {
        step.status = 'timeout'
        step.note = 'The page did not answer in time; the answer was written without it.'
        return []
      }
      if (answer.items.length === 0) step.status = 'empty'
      if (answer.skipped.length > 0) step.note = `Gave nothing: ${answer.skipped.join(', ')}.`
      return answer.items
    } finally {
      step.durationMs = Math.max(0, Math.round(now() - started))
    }
  }
}

function toScratchpad(item: RetrievedItem): ScratchpadStep {
  return { thought: `Retrieved by ${item.used.provider ?? 'the gateway'}.`, action: item.tool, actionInput: item.input, observation: item.observation }
}

/** The same item read twice (the page and a reference to it) goes to the model once. */
function uniqueItems(items: readonly RetrievedItem[]): RetrievedItem[] {
  const seen = new Set<string>()
  return items.filter((item) => {
    const key = item.used.id ?? `${item.tool}:${item.input}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

function chatCommand(question: string): boolean {
  const match = /^\s*\/([a-z_]+)\b/i.exec(question)
  return !!match?.[1] && answerChatCommand({ name: match[1].toLowerCase(), rest: '' }) !== null
}
