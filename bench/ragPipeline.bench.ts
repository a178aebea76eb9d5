import { performance } from 'node:perf_hooks'
import { createGateway, type Gateway } from '../mocks/gateway/index'
import { ALICE } from '../mocks/gateway/testHelpers'
import { askV2, openV2Subscription } from '../mocks/gateway/pipeline/v2TestHelpers'
import { median, type BenchResult } from './harness'

/** Needs three contexts: an issue, a merge request and an epic. */
const QUESTION = 'How do issue #1, !1 and &1 relate?'
const MUST_MENTION = ['acme/shop#1', 'acme/shop!1', 'acme&1']

/** Time to the first answer chunk and to the complete answer, for one question. */
async function askTimed(gateway: Gateway): Promise<{ firstChunkMs: number; answerMs: number }> {
  const clientSubscriptionId = globalThis.crypto.randomUUID()
  const subscription = await openV2Subscription(gateway, ALICE, clientSubscriptionId)
  try {
    const start = performance.now()
    const { requestId } = await askV2(gateway, ALICE, { content: QUESTION }, clientSubscriptionId)
    await subscription.waitFor((message) => message.requestId === requestId && message.chunkId === 1)
    const firstChunkMs = performance.now() - start
    const answer = await subscription.waitFor((message) => message.requestId === requestId && message.role === 'ASSISTANT' && message.chunkId === null)
    const answerMs = performance.now() - start
    const missing = MUST_MENTION.filter((reference) => !answer.content.includes(reference))
    if (answer.errors.length || missing.length) throw new Error(`the answer lost ${missing.join(', ') || answer.errors.join(' ')}`)
    return { firstChunkMs, answerMs }
  } finally {
    await subscription.close()
  }
}

/**
 * A question needing three contexts, answered by the `rag` pipeline (retrievers in parallel) and
 * by the ReAct agent (one tool after the other), with the gateway's default timing (300 ms a
 * read, 25 ms between chunks), alternating run for run. The pipelines differ in how long they take
 * to gather context; streaming the answer costs both the same, so the goal is on the first chunk.
 */
export async function ragPipelineBench(runs = 3): Promise<BenchResult[]> {
  const react = createGateway({ pipeline: 'react', limits: { rate: null } })
  const rag = createGateway({ pipeline: 'rag', limits: { rate: null } })
  try {
    const reactTimes: { firstChunkMs: number; answerMs: number }[] = []
    const ragTimes: { firstChunkMs: number; answerMs: number }[] = []
    for (let i = 0; i < runs; i++) {
      reactTimes.push(await askTimed(react))
      ragTimes.push(await askTimed(rag))
      react.reset()
      rag.reset()
    }
    const result = (name: string, key: 'firstChunkMs' | 'answerMs', goal?: string): BenchResult => {
      const baselineMs = median(reactTimes.map((times) => times[key]))
      const candidateMs = median(ragTimes.map((times) => times[key]))
      return { name, baselineName: 'react pipeline', baselineMs, candidateMs, ratio: candidateMs / baselineMs, goal }
    }
    return [
      result('rag pipeline, three contexts: time to first answer chunk (default timing)', 'firstChunkMs', '≤ 0.4×'),
      result('rag pipeline, three contexts: complete answer incl. streaming (default timing)', 'answerMs'),
    ]
  } finally {
    react.dispose()
    rag.dispose()
  }
}
