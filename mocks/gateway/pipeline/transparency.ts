/**
 * What an answer tells about how it was made (`extras.contextUsed`, `extras.steps`): everything
 * that reached the model with where it came from, and every retrieval with what it read and how
 * long it took. Stored with the answer, so a reload shows the same.
 */

/** `DuoChatContextOrigin`. */
export type ContextOrigin = 'ATTACHED' | 'PROACTIVE' | 'REACTIVE' | 'RETRIEVER' | 'HISTORY'

/** `DuoChatContextUsed`. */
export interface ContextUsed {
  origin: ContextOrigin
  provider: string | null
  contextType: string
  id: string | null
  title: string
  webUrl: string | null
  turns: number | null
}

/** `DuoChatStep.status`. */
export type StepStatus = 'ok' | 'excluded' | 'denied' | 'empty' | 'timeout' | 'error'

/** `DuoChatStep`. */
export interface AnswerStep {
  name: string
  title: string
  status: StepStatus
  reads: string[]
  startedAtMs: number
  durationMs: number
  note: string | null
}

/** `DuoChatRequestedContext`. */
export interface RequestedContext {
  provider: string
  reason: string
}

/** `DuoChatPipeline`. */
export type PipelineName = 'react' | 'rag'
