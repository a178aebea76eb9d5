/**
 * The zero-shot ReAct executor, after GitLab's Duo Chat agent: prompt the model with the tools
 * and the scratchpad, run the tool it picks with the asking user's rights, feed the observation
 * back, and stop at a final answer or at the step limit.
 */
import { GatewayError } from './errors'
import type { ChatModel, ModelCallObserver } from './model'
import type { SafeRequestObserver } from './observer'
import { ProviderError } from './providers'
import { buildPrompt, parseModelOutput, type AdditionalContextItem, type CurrentFile, type ScratchpadStep } from './reactFormat'
import type { Source, Tool, ToolContext } from './tools'
import type { HistoryTurn } from './pipeline/historyContext'

/** GitLab's agent gives up after this many model calls (error A1006). */
export const MAX_AGENT_STEPS = 10

/** The question and what came with it. */
export interface AgentQuestion {
  question: string
  resourceId: string | null
  additionalContext: readonly AdditionalContextItem[]
  currentFile: CurrentFile | null
  /** The thread's earlier turns, oldest first. */
  history?: readonly HistoryTurn[]
}

/** What the agent works with. */
export interface AgentEnvironment {
  model: ChatModel
  tools: readonly Tool[]
  toolContext: ToolContext
  signal: AbortSignal
  /** Called right before a tool runs, so the user sees which tool is at work. */
  onToolStep(tool: Tool): void
  /** Waits while a tool "runs"; rejects when the request is cancelled. */
  waitForTool(signal: AbortSignal): Promise<void>
  /** @default MAX_AGENT_STEPS */
  maxSteps?: number
  /** Hears which provider answered each model call (audit trail). */
  modelObserver?: ModelCallObserver
  /** Hears each step, model call and tool with its duration (metrics, traces; see `observer.ts`). */
  observer?: Pick<SafeRequestObserver, 'step' | 'modelCall' | 'tool'>
  /** Milliseconds clock for the observer. @default Date.now */
  now?: () => number
}

/** The final answer and the sources the tools used for it. */
export interface AgentAnswer {
  content: string
  sources: Source[]
}

/**
 * Answers one question. Throws a {@link GatewayError} with GitLab's code when it can't (a tool
 * refused, the model failed, the step limit was hit) and the signal's reason when cancelled.
 */
export async function runAgent(question: AgentQuestion, environment: AgentEnvironment): Promise<AgentAnswer> {
  const { model, tools, toolContext, signal } = environment
  const scratchpad: ScratchpadStep[] = []
  const sources: Source[] = []
  const maxSteps = environment.maxSteps ?? MAX_AGENT_STEPS

  const { observer } = environment
  const now = environment.now ?? Date.now
  for (let step = 0; step < maxSteps; step += 1) {
    const observedStep = observer?.step(step, now())
    let failure: unknown = null
    try {
      const prompt = buildPrompt({ ...question, tools, scratchpad })
      const decision = parseModelOutput(await observedCompletion(model, prompt, signal, environment, now))

      if (decision.kind === 'final') {
        if (!decision.answer) throw new GatewayError('A1002')
        return { content: decision.answer, sources: uniqueSources(sources) }
      }

      const tool = tools.find((candidate) => candidate.name === decision.tool)
      if (!tool) {
        // GitLab's agent lets the model correct itself; the step still counts toward the limit.
        const names = tools.map((candidate) => candidate.name).join(', ')
        scratchpad.push({ ...stepOf(decision), observation: `There is no tool named "${decision.tool}". Use one of: ${names}.` })
        continue
      }

      environment.onToolStep(tool)
      const observedTool = observer?.tool(tool.name, now())
      let result: ReturnType<typeof runTool>
      try {
        await environment.waitForTool(signal)
        signal.throwIfAborted()
        result = runTool(tool, decision.input, toolContext)
      } catch (error) {
        observedTool?.end(now(), codeOf(error))
        throw error
      }
      observedTool?.end(now())
      scratchpad.push({ ...stepOf(decision), observation: result.observation })
      sources.push(...result.sources)
    } catch (error) {
      failure = error
      throw error
    } finally {
      observedStep?.end(now(), failure === null ? null : codeOf(failure))
    }
  }
  throw new GatewayError('A1006')
}

/** A model call, told to the observer with its providers and its outcome (the rag pipeline's too). */
export async function observedCompletion(
  model: ChatModel,
  prompt: string,
  signal: AbortSignal,
  environment: Pick<AgentEnvironment, 'observer' | 'modelObserver'>,
  now: () => number,
): Promise<string> {
  const call = environment.observer?.modelCall(now())
  if (!call) return complete(model, prompt, signal, environment.modelObserver)
  const audit = environment.modelObserver
  const observer: ModelCallObserver = {
    answeredBy: (provider) => {
      audit?.answeredBy?.(provider)
      call.provider(provider, 'answered')
    },
    failed: (provider, code) => {
      audit?.failed?.(provider, code)
      call.provider(provider, 'failed', code)
    },
    skipped: (provider) => {
      audit?.skipped?.(provider)
      call.provider(provider, 'skipped')
    },
  }
  try {
    const output = await complete(model, prompt, signal, observer)
    call.end(now())
    return output
  } catch (error) {
    call.end(now(), codeOf(error))
    throw error
  }
}

/** The GitLab code a failure carries; null for a cancellation. */
export function codeOf(error: unknown): string | null {
  return error instanceof GatewayError ? error.code : isCancellation(error) ? null : 'A9999'
}

function isCancellation(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError'
}

function stepOf(decision: { thought: string; tool: string; input: string }): Omit<ScratchpadStep, 'observation'> {
  return { thought: decision.thought, action: decision.tool, actionInput: decision.input }
}

/**
 * The model's whole completion. Provider failures keep their code (A1001, A1008, A6000); anything
 * else a model throws becomes A6000; cancellation stays cancellation.
 */
async function complete(model: ChatModel, prompt: string, signal: AbortSignal, observer?: ModelCallObserver): Promise<string> {
  let output = ''
  try {
    for await (const delta of model.stream(prompt, signal, observer)) {
      signal.throwIfAborted()
      output += delta
    }
  } catch (error) {
    if (signal.aborted || error instanceof GatewayError) throw signal.aborted ? signal.reason : error
    throw new GatewayError(error instanceof ProviderError ? error.code : 'A6000', undefined, { cause: error })
  }
  signal.throwIfAborted()
  return output
}

function runTool(tool: Tool, input: string, context: ToolContext) {
  try {
    return tool.run(input, context)
  } catch (error) {
    if (error instanceof GatewayError) throw error
    // A crashing tool is a bug, not a permission problem; don't dress it up as one.
    throw new GatewayError('A9999', undefined, { cause: error })
  }
}

export function uniqueSources(sources: readonly Source[]): Source[] {
  const seen = new Set<string>()
  return sources.filter((source) => !seen.has(source.source_url) && seen.add(source.source_url))
}
