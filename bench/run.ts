import { actionCableBench } from './actionCable.bench'
import { chunkAssemblyBench } from './chunkAssembly.bench'
import { commandQueueBench } from './commandQueue.bench'
import { fanoutBench } from './fanout.bench'
import { print, type BenchResult } from './harness'
import { heavyLoadBench } from './heavyLoad.bench'
import { mergeRequestContextBench } from './mergeRequestContext.bench'
import { observabilityBench } from './observability.bench'
import { ragPipelineBench } from './ragPipeline.bench'
import { renderBench } from './render.bench'

// `npm run bench`: every benchmark prints a ratio against a baseline measured in the same run.
// `BENCH=render npm run bench` (a comma-separated list of names) runs only those.
const benches: Record<string, () => Promise<BenchResult | BenchResult[]>> = {
  chunkAssembly: chunkAssemblyBench,
  commandQueue: commandQueueBench,
  mergeRequestContext: mergeRequestContextBench,
  fanout: fanoutBench,
  heavyLoad: heavyLoadBench,
  observability: observabilityBench,
  render: renderBench,
  actionCable: actionCableBench,
  ragPipeline: ragPipelineBench,
}
const only = process.env.BENCH?.split(',').map((name) => name.trim()).filter(Boolean)
const unknown = only?.filter((name) => !(name in benches)) ?? []
if (unknown.length) throw new Error(`BENCH names no benchmark: ${unknown.join(', ')} (known: ${Object.keys(benches).join(', ')})`)
const results: BenchResult[] = []
for (const [name, run] of Object.entries(benches)) if (!only || only.includes(name)) results.push(...[await run()].flat())
print(results)
process.exit(0)
