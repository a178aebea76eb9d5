/**
 * Runs the regression set through the gateway engine, in process: each turn opens the request's
 * subscription, sends `aiAction`, waits for the final answer, and the case's checks read the
 * answer, the error code, the tools the agent ran (from the engine's observer) and the latency.
 */
import { performance } from 'node:perf_hooks'
import { createGateway, type GatewayObserver, type GatewayOptions } from '../mocks/gateway/index'
import { ALICE, ask, BOB, openSubscription, type ReceivedMessage } from '../mocks/gateway/testHelpers'
import type { EvalCase } from './cases'

/** How one case went. */
export interface CaseResult {
  case: EvalCase
  /** `pass`/`fail`; a known gap is `xfail` while it fails and `xpass` once it passes. */
  status: 'pass' | 'fail' | 'xfail' | 'xpass'
  /** Why it failed, one sentence per broken check. */
  failures: string[]
  /** Milliseconds of the last turn, from aiAction to the final answer (or refusal). */
  ms: number
  /** Tools the agent ran for the last turn. */
  tools: string[]
}

/** Options of {@link runEval}. */
export interface EvalOptions {
  /** Gateway options besides timing and the observer (model providers, for example). */
  gateway?: Omit<GatewayOptions, 'observer' | 'timing'>
  /** Latency budgets are multiplied by this (a real model is slower than the scripted one). @default 1 */
  latencyScale?: number
  /** Longest wait for one answer before the case fails. @default 10000 */
  answerTimeoutMs?: number
}

const ERROR_CODE = /Error code: ([AGM]\d{4})/

/** Runs every case on one gateway (reset between cases) and returns the results in order. */
export async function runEval(cases: readonly EvalCase[], options: EvalOptions = {}): Promise<CaseResult[]> {
  const toolsByRequest = new Map<string, string[]>()
  const observer: GatewayObserver = {
    request() {
      let tools: string[] = []
      return {
        accepted: ({ requestId }) => {
          tools = []
          toolsByRequest.set(requestId, tools)
        },
        tool: (name) => {
          tools.push(name)
        },
      }
    },
  }
  // Rate limits would refuse a fast regression run: they have tests of their own.
  const gateway = createGateway({
    ...options.gateway,
    limits: { ...options.gateway?.limits, rate: null },
    timing: { toolMs: 0, chunkDelayMs: 0, chunkSize: 64 },
    observer,
  })
  const results: CaseResult[] = []
  try {
    for (const evalCase of cases) {
      gateway.reset()
      toolsByRequest.clear()
      results.push(await runCase(gateway, evalCase, toolsByRequest, options))
    }
  } finally {
    gateway.dispose()
  }
  return results
}

interface TurnOutcome {
  refused: string[] | null
  answer: ReceivedMessage | null
  requestId: string | null
  threadId: string | null
  ms: number
}

async function runCase(
  gateway: ReturnType<typeof createGateway>,
  evalCase: EvalCase,
  toolsByRequest: Map<string, string[]>,
  options: EvalOptions,
): Promise<CaseResult> {
  const viewer = evalCase.user === 'bob' ? BOB : ALICE
  let threadId: string | null = null
  let last: TurnOutcome | null = null
  const failures: string[] = []
  for (const turn of evalCase.turns) {
    const clientSubscriptionId = globalThis.crypto.randomUUID()
    const subscription = await openSubscription(gateway, viewer, { clientSubscriptionId })
    try {
      const started = performance.now()
      const payload = await ask(gateway, viewer, {
        content: turn.question,
        resourceId: turn.resourceId ?? null,
        additionalContext: turn.contexts,
        clientSubscriptionId,
        threadId: turn.threadId ?? threadId,
      })
      if (!payload.requestId) {
        last = { refused: payload.errors, answer: null, requestId: null, threadId: null, ms: performance.now() - started }
      } else {
        const answer = await within(subscription.waitForAnswer(payload.requestId), options.answerTimeoutMs ?? 10_000)
        last = { refused: null, answer, requestId: payload.requestId, threadId: payload.threadId, ms: performance.now() - started }
        threadId = payload.threadId ?? threadId
      }
    } catch (error) {
      failures.push(`turn "${turn.question.slice(0, 40)}" failed: ${error instanceof Error ? error.message : String(error)}`)
      break
    } finally {
      await subscription.close()
    }
  }

  const tools = last?.requestId ? (toolsByRequest.get(last.requestId) ?? []) : []
  if (last && failures.length === 0) failures.push(...check(evalCase, last, tools, options.latencyScale ?? 1))
  const passed = failures.length === 0
  const status = evalCase.knownGap ? (passed ? 'xpass' : 'xfail') : passed ? 'pass' : 'fail'
  return { case: evalCase, status, failures, ms: last?.ms ?? 0, tools }
}

/** The broken checks of a case's last turn; empty when it passed. */
function check(evalCase: EvalCase, turn: TurnOutcome, tools: readonly string[], latencyScale: number): string[] {
  const { expect } = evalCase
  const failures: string[] = []
  const content = turn.answer?.content ?? ''
  const errors = turn.refused ?? turn.answer?.errors ?? []
  const code = errors.map((error) => ERROR_CODE.exec(error)?.[1]).find(Boolean) ?? null
  const lower = content.toLowerCase()

  if (expect.refusal !== undefined) {
    if (!turn.refused) failures.push(`expected aiAction to refuse ("${expect.refusal}"), but it took the question`)
    else if (!turn.refused.join(' ').includes(expect.refusal)) failures.push(`refused with "${turn.refused.join(' ')}", not "${expect.refusal}"`)
  } else if (turn.refused) {
    failures.push(`aiAction refused: ${turn.refused.join(' ')}`)
  }
  if (expect.errorCode !== undefined) {
    if (code !== expect.errorCode) failures.push(`expected error ${expect.errorCode}, got ${code ?? 'none'}`)
  } else if (expect.refusal === undefined && errors.length > 0) {
    failures.push(`unexpected error: ${errors.join(' ')}`)
  }
  for (const tool of expect.tools ?? []) {
    if (!tools.includes(tool)) failures.push(`tool ${tool} did not run (ran: ${tools.join(', ') || 'none'})`)
  }
  if (expect.onlyTools) {
    const extra = tools.filter((tool) => !(expect.tools ?? []).includes(tool))
    if (extra.length > 0) failures.push(`unexpected tools ran: ${extra.join(', ')}`)
  }
  for (const fact of expect.facts ?? []) {
    if (!lower.includes(fact.toLowerCase())) failures.push(`missing fact "${fact}"`)
  }
  const everything = `${content}\n${errors.join('\n')}`.toLowerCase()
  for (const secret of expect.forbidden ?? []) {
    if (everything.includes(secret.toLowerCase())) failures.push(`leaked "${secret}"`)
  }
  const budget = (expect.maxMs ?? 1000) * latencyScale
  if (turn.ms > budget) failures.push(`took ${Math.round(turn.ms)} ms, over the ${budget} ms budget`)
  return failures
}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no final answer within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
