import { describe, expect, it } from 'vitest'
import { ChunkAssembler } from './chunkAssembler'

function chunk(text: string, size: number): string[] {
  const parts: string[] = []
  for (let i = 0; i < text.length; i += size) parts.push(text.slice(i, i + size))
  return parts
}

/** Deterministic PRNG so a failing fuzz case can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

describe('ChunkAssembler', () => {
  it('shows chunks that arrive in order as they come', () => {
    const assembler = new ChunkAssembler()
    expect(assembler.add(1, 'Hel')).toBe(true)
    expect(assembler.add(2, 'lo')).toBe(true)
    expect(assembler.text).toBe('Hello')
  })

  it('holds a chunk behind a gap until the gap fills', () => {
    const assembler = new ChunkAssembler()
    assembler.add(1, 'a')
    expect(assembler.add(3, 'c')).toBe(false)
    expect(assembler.text).toBe('a')
    expect(assembler.add(2, 'b')).toBe(true)
    expect(assembler.text).toBe('abc')
  })

  it('shows nothing until chunk 1 arrives', () => {
    const assembler = new ChunkAssembler()
    assembler.add(2, 'b')
    assembler.add(3, 'c')
    expect(assembler.text).toBe('')
    assembler.add(1, 'a')
    expect(assembler.text).toBe('abc')
  })

  it('ignores a chunk that arrives twice', () => {
    const assembler = new ChunkAssembler()
    assembler.add(1, 'a')
    expect(assembler.add(1, 'a')).toBe(false)
    assembler.add(3, 'c')
    expect(assembler.add(3, 'c')).toBe(false)
    assembler.add(2, 'b')
    expect(assembler.text).toBe('abc')
  })

  it('lets the complete message replace the chunks and ignores late chunks', () => {
    const assembler = new ChunkAssembler()
    assembler.add(1, 'draft')
    assembler.finish('Final answer')
    expect(assembler.add(2, ' late')).toBe(false)
    expect(assembler.text).toBe('Final answer')
  })

  it('bounds how many chunks it holds behind a gap', () => {
    const assembler = new ChunkAssembler(3)
    for (let id = 2; id < 10; id++) assembler.add(id, String(id))
    assembler.add(1, '1')
    expect(assembler.text).toBe('1234')
  })

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('rebuilds the exact text from shuffled, duplicated chunks (seed %i)', (seed) => {
    const next = random(seed)
    const text = 'The quick brown fox jumps over the lazy dog. '.repeat(20 + seed)
    const parts = chunk(text, 1 + Math.floor(next() * 9)).map((content, index) => ({ id: index + 1, content }))
    const deliveries = [...parts, ...parts.filter(() => next() < 0.3)]
    for (let i = deliveries.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1))
      ;[deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!]
    }
    const assembler = new ChunkAssembler()
    let shown = ''
    for (const { id, content } of deliveries) {
      assembler.add(id, content)
      // What is visible is always a prefix of the answer: never a hole, never a repeat.
      expect(text.startsWith(assembler.text)).toBe(true)
      expect(assembler.text.length).toBeGreaterThanOrEqual(shown.length)
      shown = assembler.text
    }
    expect(assembler.text).toBe(text)
  })
})
