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
  for (let i = 0; i < runs; i++) times.push(await time(fn))
  return median(times)
}

async function time(fn: () => unknown): Promise<number> {
  const start = performance.now()
  await fn()
  return performance.now() - start
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

/** Runs a candidate against its baseline in the same process, run for run, so both share the machine's noise. */
export async function compare(
  name: string,
  baseline: { name: string; run: () => unknown },
  candidate: () => unknown,
  options: { runs?: number; warmup?: number; goal?: string } = {},
): Promise<BenchResult> {
  const { runs = 15, warmup = 3 } = options
  for (let i = 0; i < warmup; i++) {
    await baseline.run()
    await candidate()
  }
  const baselineTimes: number[] = []
  const candidateTimes: number[] = []
  for (let i = 0; i < runs; i++) {
    baselineTimes.push(await time(baseline.run))
    candidateTimes.push(await time(candidate))
  }
  const baselineMs = median(baselineTimes)
  const candidateMs = median(candidateTimes)
  return { name, baselineName: baseline.name, baselineMs, candidateMs, ratio: candidateMs / baselineMs, goal: options.goal }
}

export function print(results: BenchResult[]): void {
  for (const r of results) {
    const goal = r.goal ? `  (goal ${r.goal})` : ''
    // Two significant digits for small ratios: 0.014× must not print as 0.01×.
    const ratio = r.ratio < 0.1 ? r.ratio.toPrecision(2) : r.ratio.toFixed(2)
    console.log(`${r.name}: ${ratio}× ${r.baselineName}  [${r.candidateMs.toFixed(2)} ms vs ${r.baselineMs.toFixed(2)} ms]${goal}`)
  }
}
