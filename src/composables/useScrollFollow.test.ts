// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope, type EffectScope } from 'vue'
import { useScrollFollow } from './useScrollFollow'

/** A 400 px view over `height` px of content, as far as scroll positions go (jsdom has no layout). */
function scroller(height = 2000) {
  const view = document.createElement('div')
  const content = document.createElement('div')
  view.append(content)
  document.body.append(view)
  let top = 0
  const size = { height }
  Object.defineProperty(view, 'scrollHeight', { configurable: true, get: () => size.height })
  Object.defineProperty(view, 'clientHeight', { configurable: true, get: () => 400 })
  Object.defineProperty(view, 'scrollTop', { configurable: true, get: () => top, set: (v: number) => (top = Math.min(Math.max(0, v), size.height - 400)) })
  /** The reader scrolls to `to`. */
  const scrollTo = (to: number) => {
    top = to
    view.dispatchEvent(new Event('scroll'))
  }
  return { view, content, size, scrollTo, top: () => top }
}

describe('useScrollFollow', () => {
  let scope: EffectScope
  let resized: (() => void) | null
  let observed: Element[]
  beforeEach(() => {
    scope = effectScope()
    resized = null
    observed = []
    vi.stubGlobal(
      'ResizeObserver',
      class {
        constructor(callback: () => void) {
          resized = callback
        }
        observe(element: Element) {
          observed.push(element)
        }
        disconnect() {
          observed = []
        }
      },
    )
  })
  afterEach(() => {
    scope.stop()
    vi.unstubAllGlobals()
    document.body.replaceChildren()
  })

  it('keeps the view at the end as the content grows, while following', () => {
    const s = scroller()
    const { following } = scope.run(() => useScrollFollow({ target: s.view, content: s.content }))!
    expect(observed).toEqual([s.content])
    s.size.height = 2500
    resized!()
    expect(s.top()).toBe(2100)
    expect(following.value).toBe(true)
  })

  it('stops following when the reader scrolls up, and follows again at the end', () => {
    const s = scroller()
    const { following, scrollToEnd } = scope.run(() => useScrollFollow({ target: s.view, content: s.content, threshold: 32 }))!
    scrollToEnd()
    s.scrollTo(1000)
    expect(following.value).toBe(false)
    s.size.height = 3000
    resized!()
    expect(s.top()).toBe(1000)
    // Down, but not near the end yet.
    s.scrollTo(2000)
    expect(following.value).toBe(false)
    s.scrollTo(2580)
    expect(following.value).toBe(true)
  })

  it('does not take its own late scroll event, or shorter content, for the reader', () => {
    const s = scroller()
    const { following, scrollToEnd } = scope.run(() => useScrollFollow({ target: s.view }))!
    scrollToEnd()
    s.view.dispatchEvent(new Event('scroll'))
    expect(following.value).toBe(true)
    s.size.height = 1000
    s.scrollTo(600)
    expect(following.value).toBe(true)
  })

  it.each([
    ['a wheel turned up', () => new WheelEvent('wheel', { deltaY: -40 })],
    ['Page Up', () => new KeyboardEvent('keydown', { key: 'PageUp' })],
    ['Shift+Space', () => new KeyboardEvent('keydown', { key: ' ', shiftKey: true })],
  ])('stops following on %s, before the scroll lands', (_, event) => {
    const s = scroller()
    const { following, scrollToEnd } = scope.run(() => useScrollFollow({ target: s.view }))!
    scrollToEnd()
    s.view.dispatchEvent(event())
    expect(following.value).toBe(false)
  })

  it('stays following on a wheel turned down or at the top', () => {
    const s = scroller()
    const { following } = scope.run(() => useScrollFollow({ target: s.view }))!
    s.view.dispatchEvent(new WheelEvent('wheel', { deltaY: -40 }))
    s.view.dispatchEvent(new WheelEvent('wheel', { deltaY: 40 }))
    expect(following.value).toBe(true)
  })

  it('lets go of the view and the observer when its scope is disposed', () => {
    const s = scroller()
    const { following, scrollToEnd } = scope.run(() => useScrollFollow({ target: s.view, content: s.content }))!
    scrollToEnd()
    scope.stop()
    expect(observed).toEqual([])
    s.scrollTo(100)
    expect(following.value).toBe(true)
  })
})
