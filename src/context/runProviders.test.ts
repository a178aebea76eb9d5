import { describe, expect, it, vi } from 'vitest'
import type { ContextProvider, ContextProviderRequest } from './types'
import { runProviders } from './runProviders'

function provider(name: string, provide: ContextProvider['provide'], timeoutMs = 2000): ContextProvider {
  return { name, title: `Title of ${name}`, category: 'SNIPPET', mode: 'proactive', provide, timeoutMs }
}

const request = { question: 'What is this?', reason: 'question' }

describe('runProviders', () => {
  it('gathers every provider’s items, tagged by provider, with the question', async () => {
    const seen: string[] = []
    const result = await runProviders(
      [
        provider('selection', ({ question }) => {
          seen.push(question)
          return { id: 'sel-1', category: 'SNIPPET', title: 'Selection', content: 'const a = 1' }
        }),
        provider('files', async () => [
          { id: 'f-1', category: 'FILE', title: 'a.ts', content: 'A' },
          { id: 'f-2', title: 'b.ts', content: 'B' } as never,
        ]),
        provider('nothing', async () => null),
      ],
      request,
    )
    expect(seen).toEqual(['What is this?'])
    expect(result.notes).toEqual([])
    expect(result.items).toEqual([
      { id: 'sel-1', category: 'SNIPPET', title: 'Selection', content: 'const a = 1', metadata: { contextProvider: 'selection', contextProviderTitle: 'Title of selection' } },
      { id: 'f-1', category: 'FILE', title: 'a.ts', content: 'A', metadata: { contextProvider: 'files', contextProviderTitle: 'Title of files' } },
      // No category: the provider's.
      { id: 'f-2', category: 'SNIPPET', title: 'b.ts', content: 'B', metadata: { contextProvider: 'files', contextProviderTitle: 'Title of files' } },
    ])
  })

  it('skips a provider that throws, with a note, and keeps the others', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const result = await runProviders(
      [
        provider('broken', () => {
          throw new Error('no selection API')
        }),
        provider('rejecting', async () => Promise.reject(new Error('offline'))),
        provider('bad-shape', async () => ({ title: 'no id' }) as never),
        provider('fine', async () => ({ id: 'x', category: 'FILE', title: 'x.ts', content: 'X' })),
      ],
      request,
    )
    expect(result.items.map((i) => i.id)).toEqual(['x'])
    expect(result.notes).toEqual([
      { provider: 'broken', title: 'Title of broken', reason: 'error' },
      { provider: 'rejecting', title: 'Title of rejecting', reason: 'error' },
      { provider: 'bad-shape', title: 'Title of bad-shape', reason: 'error' },
    ])
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('"bad-shape" failed'), expect.any(TypeError))
    warn.mockRestore()
  })

  it('skips a provider that runs out of time and aborts its signal, without waiting for it', async () => {
    let signal: AbortSignal | null = null
    const result = await runProviders(
      [
        provider('slow', (r: ContextProviderRequest) => {
          signal = r.signal
          return new Promise(() => {})
        }, 30),
        provider('fast', async () => ({ id: 'f', category: 'FILE', title: 'f', content: 'F' })),
      ],
      request,
    )
    expect(result.items.map((i) => i.id)).toEqual(['f'])
    expect(result.notes).toEqual([{ provider: 'slow', title: 'Title of slow', reason: 'timeout' }])
    expect(signal!.aborted).toBe(true)
    expect((signal!.reason as DOMException).name).toBe('TimeoutError')
  })

  it('aborts every provider when the question is stopped, and notes nothing', async () => {
    const controller = new AbortController()
    const signals: AbortSignal[] = []
    const running = runProviders(
      [provider('a', ({ signal }) => (signals.push(signal), new Promise(() => {}))), provider('b', ({ signal }) => (signals.push(signal), new Promise(() => {})))],
      request,
      controller.signal,
    )
    await vi.waitFor(() => expect(signals).toHaveLength(2))
    controller.abort()
    expect(await running).toEqual({ items: [], notes: [] })
    expect(signals.every((s) => s.aborted)).toBe(true)
  })

  it('leaves out items a provider marks unusable', async () => {
    const result = await runProviders(
      [provider('p', async () => [{ id: 'ok', category: 'FILE', title: 'ok', content: 'o' }, { id: 'no', category: 'FILE', title: 'no', disabledReason: 'private' }])],
      request,
    )
    expect(result.items.map((i) => i.id)).toEqual(['ok'])
  })
})
