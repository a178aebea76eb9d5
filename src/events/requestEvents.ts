import { extractErrorCode } from '../transport/errors'
import type { ChatOutcome } from '../state/types'
import type { EventSink } from './eventSink'
import { traceIdOf } from './traceparent'

/** What the store tells about one request, in order; each method is cheap. */
export interface RequestEvents {
  /** The gateway took the question. */
  accepted(ids: { requestId: string; threadId: string | null }): void
  /** The visible answer grew; `chunks` is how many chunks it holds now. */
  chunk(chunks: number): void
  /** The request reached its final state. */
  settled(outcome: ChatOutcome): void
}

/** A question as it is sent. */
export interface TrackedQuestion {
  question: string
  resourceId: string | null
  contextCount: number
  traceparent: string | null
}

/**
 * The events of one request: `question` when the gateway answers `aiAction`, `first_chunk`, then
 * one of `answer`, `error` or `stop`. Times count from now (the user's Send).
 */
export function trackRequest(sink: EventSink, sent: TrackedQuestion): RequestEvents {
  const startedAt = sink.now()
  let requestId: string | null = null
  let questioned = false
  let chunks = 0
  const since = (at: number) => Math.max(0, at - startedAt)

  const question = (id: string | null, threadId: string | null) => {
    questioned = true
    const at = sink.now()
    sink.emit({
      type: 'question',
      at,
      requestId: id,
      threadId,
      resourceId: sent.resourceId,
      contextCount: sent.contextCount,
      traceId: traceIdOf(sent.traceparent),
      ms: since(at),
      ...(sink.includeText ? { text: sent.question } : {}),
    })
  }

  return {
    accepted({ requestId: id, threadId }) {
      requestId = id
      question(id, threadId)
    },
    chunk(count) {
      if (chunks === 0 && count > 0) {
        const at = sink.now()
        sink.emit({ type: 'first_chunk', at, requestId, ms: since(at) })
      }
      chunks = count
    },
    settled(outcome) {
      const at = sink.now()
      const id = outcome.requestId || requestId
      if (outcome.status === 'stopped') {
        sink.emit({ type: 'stop', at, requestId: id, ms: since(at) })
        return
      }
      // A refused question never got an id: it is still a question the user asked.
      if (!questioned) question(id, outcome.threadId)
      if (outcome.status === 'error') {
        sink.emit({ type: 'error', at, requestId: id, code: extractErrorCode(...outcome.errors), ms: since(at) })
        return
      }
      sink.emit({
        type: 'answer',
        at,
        requestId: id ?? '',
        ms: since(at),
        chunks,
        characters: outcome.content.length,
        ...(sink.includeText ? { text: outcome.content } : {}),
      })
    },
  }
}
