import { chunkAssemblyBench } from './chunkAssembly.bench'
import { commandQueueBench } from './commandQueue.bench'
import { print } from './harness'

// `npm run bench`: every benchmark prints a ratio against a baseline measured in the same run.
const results = [await chunkAssemblyBench(), await commandQueueBench()]
print(results)
process.exit(0)
