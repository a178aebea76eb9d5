import { performance } from 'node:perf_hooks'
import { createGateway } from '../mocks/gateway/index'
import { ALICE, askAndWait, toolSteps } from '../mocks/gateway/testHelpers'
import { median, type BenchResult } from './harness'

const MR = 'gid://gitlab/MergeRequest/1'
const INJECTED = {
  id: MR,
  category: 'MERGE_REQUEST',
  content: 'Title: Fix Safari checkout click handler\nDescription: Listen to click instead of touchend so Safari places the order.',
  metadata: { iid: 1, title: 'Fix Safari checkout click handler' },
}

/**
 * "Summarize this merge request" with the MR injected as context against the reader-tool path,
 * with the gateway's default (human-watchable) timing: time until the complete answer.
 */
export async function mergeRequestContextBench(runs = 3): Promise<BenchResult> {
  const gateway = createGateway()
  const ask = async (withContext: boolean) => {
    const start = performance.now()
    const turn = await askAndWait(gateway, ALICE, {
      content: 'Summarize this merge request',
      resourceId: MR,
      additionalContext: withContext ? [INJECTED] : undefined,
    })
    const ms = performance.now() - start
    if (!turn.answer.content?.includes('Fix Safari checkout click handler')) throw new Error('the answer lost the MR title')
    if (withContext && toolSteps(turn.messages).length) throw new Error('the injected path used a tool')
    return ms
  }
  try {
    const reader: number[] = []
    const injected: number[] = []
    for (let i = 0; i < runs; i++) {
      reader.push(await ask(false))
      injected.push(await ask(true))
    }
    const baselineMs = median(reader)
    const candidateMs = median(injected)
    return {
      name: 'MR summary with injected MERGE_REQUEST context (default timing)',
      baselineName: 'merge_request_reader path',
      baselineMs,
      candidateMs,
      ratio: candidateMs / baselineMs,
      goal: '≤ 0.6×',
    }
  } finally {
    gateway.dispose()
  }
}
