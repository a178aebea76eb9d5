/**
 * The thread's earlier turns as both pipelines put them in the prompt: the newest turns that fit
 * a token budget, so that a follow-up ("and who reported it?") keeps the thread.
 */
import type { AiMessageRecord } from '../messages'

/** One earlier question and its answer (null while it is still being answered, or if it failed). */
export interface HistoryTurn {
  question: string
  answer: string | null
}

/** The earlier turns that went into a prompt, and what they were. */
export interface SelectedHistory {
  /** Oldest first, as the prompt lists them. */
  turns: HistoryTurn[]
  /** Ids of the questions the turns start with (the step's reads). */
  questionIds: string[]
}

/** At most this many earlier turns. */
export const HISTORY_MAX_TURNS = 10
/** At most this many tokens of earlier turns. */
export const HISTORY_TOKEN_BUDGET = 2_000

/** A rough token count (about four characters a token), enough to keep a prompt in bounds. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4)
}

/**
 * Picks the newest complete turns of `messages` (a thread, oldest first) before the request
 * `currentRequestId`, newest first until `maxTurns` or the budget runs out. A turn that does not
 * fit whole keeps its question and as much of its answer as fits; older turns are then left out.
 */
export function selectHistory(
  messages: readonly AiMessageRecord[],
  currentRequestId: string,
  options: { maxTurns?: number; tokenBudget?: number } = {},
): SelectedHistory {
  const maxTurns = options.maxTurns ?? HISTORY_MAX_TURNS
  let budget = options.tokenBudget ?? HISTORY_TOKEN_BUDGET
  const byRequest = new Map<string, { id: string; question: string; answer: string | null }>()
  for (const message of messages) {
    if (message.requestId === currentRequestId || message.chunkId !== null || message.type === 'TOOL') continue
    if (message.role === 'USER') byRequest.set(message.requestId, { id: message.id ?? '', question: message.content, answer: null })
    else if (message.role === 'ASSISTANT' && message.errors.length === 0) {
      const turn = byRequest.get(message.requestId)
      if (turn) turn.answer = message.content
    }
  }
  const picked: { id: string; turn: HistoryTurn }[] = []
  for (const entry of [...byRequest.values()].reverse()) {
    if (picked.length >= maxTurns) break
    const questionTokens = estimateTokens(entry.question)
    if (questionTokens > budget) break
    budget -= questionTokens
    let answer = entry.answer
    if (answer !== null && estimateTokens(answer) > budget) {
      answer = budget > 0 ? `${answer.slice(0, budget * 4)}…` : null
      picked.push({ id: entry.id, turn: { question: entry.question, answer } })
      break
    }
    budget -= answer === null ? 0 : estimateTokens(answer)
    picked.push({ id: entry.id, turn: { question: entry.question, answer } })
  }
  picked.reverse()
  return { turns: picked.map((entry) => entry.turn), questionIds: picked.map((entry) => entry.id) }
}
