// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope, nextTick, shallowRef, type EffectScope } from 'vue'
import { useBatchedReveal } from './useBatchedReveal'

const list = (length: number) => Array.from({ length }, (_, i) => i)

describe('useBatchedReveal', () => {
  let scope: EffectScope
  beforeEach(() => {
    scope = effectScope()
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'requestAnimationFrame', 'cancelAnimationFrame'] })
  })
  afterEach(() => {
    scope.stop()
    vi.useRealTimers()
  })

  it('shows the newest items first, then the older ones a batch per task after the first paint', () => {
    const { start } = scope.run(() => useBatchedReveal({ items: list(200), initial: 24, batch: 60 }))!
    expect(start.value).toBe(176)
    vi.advanceTimersToNextTimer() // the first paint's frame
    expect(start.value).toBe(176)
    vi.advanceTimersToNextTimer()
    expect(start.value).toBe(116)
    vi.runAllTimers()
    expect(start.value).toBe(0)
  })

  it('shows a short list whole at once', () => {
    const { start } = scope.run(() => useBatchedReveal({ items: list(10) }))!
    expect(start.value).toBe(0)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('starts over for a new list, forgetting the old one’s batches', async () => {
    const items = shallowRef(list(200))
    const { start } = scope.run(() => useBatchedReveal({ items }))!
    items.value = list(100)
    await nextTick()
    expect(start.value).toBe(76)
    vi.runAllTimers()
    expect(start.value).toBe(0)
  })

  it('shows everything on revealAll, and stops adding when its scope is disposed', () => {
    const { start, revealAll } = scope.run(() => useBatchedReveal({ items: list(200) }))!
    revealAll()
    expect(start.value).toBe(0)
    const other = effectScope()
    const { start: pending } = other.run(() => useBatchedReveal({ items: list(200) }))!
    other.stop()
    vi.runAllTimers()
    expect(pending.value).toBe(176)
  })
})
