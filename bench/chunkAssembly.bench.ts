import { ChunkAssembler } from '../src/state/chunkAssembler'
import { compare, type BenchResult } from './harness'

/** Reassembling a 2,000-chunk answer that arrives shuffled and partly twice, against plain concatenation. */
export async function chunkAssemblyBench(): Promise<BenchResult> {
  const parts = Array.from({ length: 2000 }, (_, i) => `chunk ${i} of a long streamed answer. `)
  const deliveries = parts.map((content, i) => ({ id: i + 1, content }))
  // Deterministic disorder: swap neighbours and repeat every fifth chunk.
  for (let i = 0; i + 1 < deliveries.length; i += 2) [deliveries[i], deliveries[i + 1]] = [deliveries[i + 1]!, deliveries[i]!]
  const withDuplicates = deliveries.flatMap((d, i) => (i % 5 === 0 ? [d, d] : [d]))

  return compare(
    'chunk assembly (2,000 chunks, shuffled pairs, 20% duplicates)',
    {
      name: 'in-order string concatenation',
      run: () => {
        let text = ''
        for (const part of parts) text += part
        return text.length
      },
    },
    () => {
      const assembler = new ChunkAssembler()
      for (const { id, content } of withDuplicates) assembler.add(id, content)
      return assembler.text.length
    },
    { runs: 31 },
  )
}
