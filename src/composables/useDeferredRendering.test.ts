// @vitest-environment jsdom
import { mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, effectScope, h, onMounted, ref } from 'vue'
import { injectDeferredRendering, useDeferredRendering } from './useDeferredRendering'

let observers: Array<{ callback: IntersectionObserverCallback; options?: IntersectionObserverInit; observed: Set<Element>; disconnected: boolean }>

/** Tells the observers that `element` came near the view. */
function scrollNear(element: Element): void {
  for (const observer of observers) {
    if (observer.observed.has(element)) observer.callback([{ target: element, isIntersecting: true } as unknown as IntersectionObserverEntry], {} as IntersectionObserver)
  }
}

describe('useDeferredRendering', () => {
  beforeEach(() => {
    observers = []
    vi.stubGlobal(
      'IntersectionObserver',
      class {
        private readonly record
        constructor(callback: IntersectionObserverCallback, options?: IntersectionObserverInit) {
          this.record = { callback, options, observed: new Set<Element>(), disconnected: false }
          observers.push(this.record)
        }
        observe(element: Element) {
          this.record.observed.add(element)
        }
        unobserve(element: Element) {
          this.record.observed.delete(element)
        }
        disconnect() {
          this.record.disconnected = true
          this.record.observed.clear()
        }
      },
    )
  })
  afterEach(() => vi.unstubAllGlobals())

  it('renders an element once it comes near the view of its root, a screenful ahead', () => {
    const root = document.createElement('div')
    const item = document.createElement('p')
    const render = vi.fn()
    const scope = effectScope()
    const { observe } = scope.run(() => useDeferredRendering({ root, provide: false }))!
    observe(item, render)
    expect(render).not.toHaveBeenCalled()
    expect(observers[0]!.options).toEqual({ root, rootMargin: '100% 0px' })
    scrollNear(item)
    scrollNear(item)
    expect(render).toHaveBeenCalledTimes(1)
    scope.stop()
  })

  it('never renders what was cancelled, or anything after its scope is disposed', () => {
    const root = document.createElement('div')
    const [first, second] = [document.createElement('p'), document.createElement('p')]
    const render = vi.fn()
    const scope = effectScope()
    const { observe } = scope.run(() => useDeferredRendering({ root, provide: false }))!
    observe(first!, render)()
    observe(second!, render)
    scope.stop()
    expect(observers[0]!.disconnected).toBe(true)
    scrollNear(first!)
    scrollNear(second!)
    observe(first!, render)
    expect(render).not.toHaveBeenCalled()
  })

  it('with groups, watches an element only while its group is near the view', () => {
    const root = document.createElement('div')
    const [near, far] = [document.createElement('section'), document.createElement('section')]
    const items = [near, near, far, far].map((group) => group.appendChild(document.createElement('p')))
    const rendered: Element[] = []
    const scope = effectScope()
    const { observe } = scope.run(() => useDeferredRendering({ root, provide: false, groupOf: (element) => element.parentElement }))!
    const cancel = items.map((item) => observe(item, () => rendered.push(item)))
    const [items_, groups] = observers
    // Only the groups are watched at first, not each item of a long history.
    expect([...groups!.observed]).toEqual([near, far])
    expect(items_!.observed.size).toBe(0)
    groups!.callback([{ target: near, isIntersecting: true } as unknown as IntersectionObserverEntry], {} as IntersectionObserver)
    expect([...items_!.observed]).toEqual([items[0], items[1]])
    scrollNear(items[0]!)
    expect(rendered).toEqual([items[0]])
    // The group scrolls away: its items are no longer watched, and come back with it.
    groups!.callback([{ target: near, isIntersecting: false } as unknown as IntersectionObserverEntry], {} as IntersectionObserver)
    expect(items_!.observed.size).toBe(0)
    groups!.callback([{ target: near, isIntersecting: true } as unknown as IntersectionObserverEntry], {} as IntersectionObserver)
    scrollNear(items[1]!)
    expect(rendered).toEqual([items[0], items[1]])
    // A group with nothing left to render is no longer watched.
    expect([...groups!.observed]).toEqual([far])
    cancel[2]!()
    cancel[3]!()
    expect(groups!.observed.size).toBe(0)
    groups!.callback([{ target: far, isIntersecting: true } as unknown as IntersectionObserverEntry], {} as IntersectionObserver)
    expect(rendered).toHaveLength(2)
    scope.stop()
  })

  it('renders at once without IntersectionObserver or before its root exists', () => {
    const render = vi.fn()
    const scope = effectScope()
    const { observe } = scope.run(() => useDeferredRendering({ root: () => null, provide: false }))!
    observe(document.createElement('p'), render)
    expect(render).toHaveBeenCalledTimes(1)
    vi.stubGlobal('IntersectionObserver', undefined)
    const { observe: observeWithout } = scope.run(() => useDeferredRendering({ root: document.createElement('div'), provide: false }))!
    observeWithout(document.createElement('p'), render)
    expect(render).toHaveBeenCalledTimes(2)
    scope.stop()
  })

  it('is provided to the components inside the list, which find none outside one', () => {
    const seen: Array<boolean> = []
    const Item = defineComponent(() => {
      seen.push(injectDeferredRendering() !== null)
      return () => h('p')
    })
    const List = defineComponent(() => {
      const root = ref<HTMLElement | null>(null)
      const { observe } = useDeferredRendering({ root })
      onMounted(() => observe(root.value!.firstElementChild!, () => {}))
      return () => h('div', { ref: root }, [h(Item)])
    })
    const wrapper = mount(List)
    mount(Item).unmount()
    expect(seen).toEqual([true, false])
    expect(observers).toHaveLength(1)
    wrapper.unmount()
    expect(observers[0]!.disconnected).toBe(true)
  })
})
