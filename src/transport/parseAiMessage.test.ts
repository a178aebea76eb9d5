import { afterEach, describe, expect, it, vi } from 'vitest'
import { parseAiMessage } from './parseAiMessage'

describe('parseAiMessage', () => {
  afterEach(() => vi.restoreAllMocks())

  it('accepts a well-formed chunk', () => {
    const message = { role: 'ASSISTANT', requestId: 'r1', chunkId: 2, content: 'lo', timestamp: '2026-01-01T00:00:00Z' }
    expect(parseAiMessage(message)).toBe(message)
  })

  it.each([
    [null, 'expected an object'],
    ['text', 'expected an object'],
    [{ role: 'ROBOT', timestamp: '' }, '"role"'],
    [{ role: 'ASSISTANT', content: 42, timestamp: '' }, '"content"'],
    [{ role: 'ASSISTANT', requestId: 'r', chunkId: -1, timestamp: '' }, '"chunkId"'],
    [{ role: 'ASSISTANT', requestId: 'r', chunkId: 1.5, timestamp: '' }, '"chunkId"'],
    [{ role: 'ASSISTANT', chunkId: 1, timestamp: '' }, '"requestId"'],
    [{ role: 'ASSISTANT', errors: [1], timestamp: '' }, '"errors"'],
  ])('drops %j with a warning that names the problem', (value, problem) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    expect(parseAiMessage(value)).toBeNull()
    expect(warn).toHaveBeenCalledOnce()
    expect(String(warn.mock.calls[0]?.[0])).toContain(problem)
  })
})
