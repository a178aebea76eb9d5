/**
 * How an answer is cut into streamed chunks, and the orders that scenarios deliver them in to
 * exercise a client's reassembly (gaps, reordering, duplicates).
 */

/** Delivery orders a scenario can ask for. */
export type ChunkOrder = 'in-order' | 'shuffled' | 'duplicated'

/** The orders, for validation. */
export const CHUNK_ORDERS: readonly ChunkOrder[] = ['in-order', 'shuffled', 'duplicated']

/** One streamed piece of an answer; `chunkId` counts from 1 in text order. */
export interface Chunk {
  chunkId: number
  content: string
}

/**
 * `text` in pieces of `size` characters. Counts code points, so an emoji is never split into
 * two invalid halves.
 */
export function splitIntoChunks(text: string, size: number): Chunk[] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`Chunk size must be a positive integer, got ${size}.`)
  const characters = Array.from(text)
  const chunks: Chunk[] = []
  for (let start = 0; start < characters.length; start += size) {
    chunks.push({ chunkId: chunks.length + 1, content: characters.slice(start, start + size).join('') })
  }
  return chunks
}

/** The number of chunks {@link splitIntoChunks} makes. */
export function countChunks(text: string, size: number): number {
  return Math.ceil(Array.from(text).length / size)
}

/**
 * The chunks in delivery order. `shuffled` is a seeded permutation (same seed, same order) that
 * is never the identity when there are two or more chunks, since a scenario asking for it wants
 * to see reordering; `duplicated` sends each chunk twice in a row.
 */
export function arrangeChunks(chunks: readonly Chunk[], order: ChunkOrder, seed: string): Chunk[] {
  switch (order) {
    case 'in-order':
      return [...chunks]
    case 'duplicated':
      return chunks.flatMap((chunk) => [chunk, { ...chunk }])
    case 'shuffled':
      return shuffle(chunks, seed)
  }
}

function shuffle(chunks: readonly Chunk[], seed: string): Chunk[] {
  const result = [...chunks]
  const random = seededRandom(seed)
  for (let index = result.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1))
    const current = result[index] as Chunk
    result[index] = result[other] as Chunk
    result[other] = current
  }
  if (result.length > 1 && result.every((chunk, index) => chunk.chunkId === index + 1)) {
    result.push(result.shift() as Chunk)
  }
  return result
}

/** A deterministic PRNG (mulberry32) seeded with the FNV-1a hash of `seed`; values in [0, 1). */
export function seededRandom(seed: string): () => number {
  let state = 0x811c9dc5
  for (let index = 0; index < seed.length; index += 1) {
    state ^= seed.charCodeAt(index)
    state = Math.imul(state, 0x01000193)
  }
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let value = Math.imul(state ^ (state >>> 15), 1 | state)
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296
  }
}
