import { performance } from 'node:perf_hooks'

export interface BenchResult {
  name: string
  baselineName: string
  baselineMs: number
  candidateMs: number
  /** candidate / baseline: below 1 is faster than the baseline. */
  ratio: number
  goal?: string
}

/** Median wall time of `runs` calls after `warmup` unmeasured ones. */
export async function measure(fn: () => unknown, { runs = 15, warmup = 3 } = {}): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn()
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    await fn()
    times.push(performance.now() - start)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)]!
}

/** Runs a candidate against its baseline in the same process, interleaved to share machine noise. */
export async function compare(
  name: string,
  baseline: { name: string; run: () => unknown },
  candidate: () => unknown,
  options: { runs?: number; goal?: string } = {},
): Promise<BenchResult> {
  const baselineMs = await measure(baseline.run, options)
  const candidateMs = await measure(candidate, options)
  return { name, baselineName: baseline.name, baselineMs, candidateMs, ratio: candidateMs / baselineMs, goal: options.goal }
}

export function print(results: BenchResult[]): void {
  for (const r of results) {
    const goal = r.goal ? `  (goal ${r.goal})` : ''
    console.log(`${r.name}: ${r.ratio.toFixed(2)}× ${r.baselineName}  [${r.candidateMs.toFixed(2)} ms vs ${r.baselineMs.toFixed(2)} ms]${goal}`)
  }
}
