import { describe, expect, it } from 'vitest'
import { arrangeChunks, countChunks, seededRandom, splitIntoChunks } from './chunking'

describe('chunking', () => {
  it('splits into numbered chunks of the given size', () => {
    expect(splitIntoChunks('abcdefg', 3)).toEqual([
      { chunkId: 1, content: 'abc' },
      { chunkId: 2, content: 'def' },
      { chunkId: 3, content: 'g' },
    ])
    expect(countChunks('abcdefg', 3)).toBe(3)
    expect(splitIntoChunks('', 3)).toEqual([])
  })

  it('never splits a character made of two UTF-16 units', () => {
    expect(splitIntoChunks('a😀b', 2).map((chunk) => chunk.content)).toEqual(['a😀', 'b'])
  })

  it('rejects a chunk size below 1', () => {
    expect(() => splitIntoChunks('abc', 0)).toThrow(RangeError)
  })

  it('shuffles the same way for the same seed, and differently for another', () => {
    const chunks = splitIntoChunks('a'.repeat(20), 1)
    const ids = (seed: string) => arrangeChunks(chunks, 'shuffled', seed).map((chunk) => chunk.chunkId)

    expect(ids('seed')).toEqual(ids('seed'))
    expect(ids('seed')).not.toEqual(ids('other seed'))
    expect([...ids('seed')].sort((a, b) => a - b)).toEqual(chunks.map((chunk) => chunk.chunkId))
  })

  it('never leaves two chunks in order when shuffling', () => {
    const chunks = splitIntoChunks('ab', 1)
    for (const seed of ['a', 'b', 'c', 'd', 'e', 'f']) {
      expect(arrangeChunks(chunks, 'shuffled', seed).map((chunk) => chunk.chunkId)).toEqual([2, 1])
    }
  })

  it('duplicates every chunk in place', () => {
    expect(arrangeChunks(splitIntoChunks('abc', 2), 'duplicated', '').map((chunk) => chunk.chunkId)).toEqual([1, 1, 2, 2])
  })

  it('draws numbers in [0, 1)', () => {
    const random = seededRandom('x')
    for (let index = 0; index < 1000; index += 1) {
      const value = random()
      expect(value).toBeGreaterThanOrEqual(0)
      expect(value).toBeLessThan(1)
    }
  })
})
