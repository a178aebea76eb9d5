// @vitest-environment jsdom
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { h } from 'vue'

// The setup file loads every lazy part before each test file; these tests need them not loaded
// yet, so each takes fresh copies of the modules.
async function freshModules() {
  vi.resetModules()
  const prefetch = await import('./prefetch')
  const renderer = await import('./renderer')
  const lazy = await import('./onDemandComponents')
  return { prefetch, renderer, lazy }
}

afterEach(() => {
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
  vi.useRealTimers()
  document.body.replaceChildren()
})

describe('prefetchWhenIdle', () => {
  it('loads the renderer and the on-demand components when the browser is idle, once', async () => {
    const { prefetch, renderer, lazy } = await freshModules()
    const idle: (() => void)[] = []
    const requestIdleCallback = vi.fn((callback: () => void) => idle.push(callback))
    vi.stubGlobal('requestIdleCallback', requestIdleCallback)

    prefetch.prefetchWhenIdle()
    prefetch.prefetchWhenIdle()
    expect(requestIdleCallback).toHaveBeenCalledTimes(1)
    expect(renderer.loadedRenderer()).toBeNull()

    idle[0]!()
    await prefetch.whenLazyPartsReady()
    expect(renderer.loadedRenderer()?.StreamingMarkdown).toBeTypeOf('function')
    // A prefetched panel renders in the same tick as its first mount.
    const wrapper = mount(() => h('div', [h(lazy.ChatThreadList, { threads: [], activeThreadId: null, loading: false })]))
    expect(wrapper.find('section').exists()).toBe(true)
  })

  it('falls back to a timeout where the browser has no requestIdleCallback', async () => {
    const { prefetch, renderer } = await freshModules()
    vi.stubGlobal('requestIdleCallback', undefined)
    vi.useFakeTimers()
    prefetch.prefetchWhenIdle()
    expect(renderer.loadedRenderer()).toBeNull()
    vi.runOnlyPendingTimers()
    vi.useRealTimers()
    await renderer.whenRendererReady()
    expect(renderer.loadedRenderer()).not.toBeNull()
  })

  it('does nothing without a window (server-side rendering)', async () => {
    const { prefetch, renderer } = await freshModules()
    const requestIdleCallback = vi.fn()
    vi.stubGlobal('requestIdleCallback', requestIdleCallback)
    prefetch.prefetchWhenIdle(null)
    expect(requestIdleCallback).not.toHaveBeenCalled()
    expect(renderer.loadedRenderer()).toBeNull()
  })
})

describe('on-demand components', () => {
  it('render nothing until their code has loaded, then the panel', async () => {
    const { lazy } = await freshModules()
    const wrapper = mount(() => h('div', [h(lazy.ChatThreadList, { threads: [], activeThreadId: null, loading: true })]))
    expect(wrapper.find('section').exists()).toBe(false)
    await lazy.loadOnDemandComponents()
    await flushPromises()
    expect(wrapper.find('section').exists()).toBe(true)
  })
})
