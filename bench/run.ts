import { actionCableBench } from './actionCable.bench'
import { chunkAssemblyBench } from './chunkAssembly.bench'
import { commandQueueBench } from './commandQueue.bench'
import { fanoutBench } from './fanout.bench'
import { print } from './harness'
import { heavyLoadBench } from './heavyLoad.bench'
import { mergeRequestContextBench } from './mergeRequestContext.bench'
import { observabilityBench } from './observability.bench'
import { ragPipelineBench } from './ragPipeline.bench'
import { renderBench } from './render.bench'

// `npm run bench`: every benchmark prints a ratio against a baseline measured in the same run.
const results = [await chunkAssemblyBench(), await commandQueueBench(), await mergeRequestContextBench(), await fanoutBench(), await heavyLoadBench(), await observabilityBench(), ...(await renderBench()), await actionCableBench(), ...(await ragPipelineBench())]
print(results)
process.exit(0)
