// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope, shallowRef, type EffectScope } from 'vue'
import { useFocusTrap, type UseFocusTrapOptions } from './useFocusTrap'

/** A panel of three buttons (the middle one disabled then enabled) and a button outside it. */
function page() {
  const outside = document.createElement('button')
  outside.textContent = 'Outside'
  const panel = document.createElement('section')
  const [first, middle, last] = ['First', 'Middle', 'Last'].map((name) => {
    const button = document.createElement('button')
    button.textContent = name
    panel.append(button)
    return button
  })
  document.body.append(outside, panel)
  return { outside, panel, first: first!, middle: middle!, last: last! }
}

/** Presses Tab on the focused element; true when the trap moved the focus itself. */
function tab(shiftKey = false): boolean {
  const event = new KeyboardEvent('keydown', { key: 'Tab', shiftKey, bubbles: true, cancelable: true, composed: true })
  ;(document.activeElement ?? document.body).dispatchEvent(event)
  return event.defaultPrevented
}

describe('useFocusTrap', () => {
  let scope: EffectScope
  let elements: ReturnType<typeof page>
  const trap = (options: Partial<UseFocusTrapOptions> = {}) => scope.run(() => useFocusTrap({ target: elements.panel, ...options }))!

  beforeEach(() => {
    scope = effectScope()
    elements = page()
  })
  afterEach(() => {
    scope.stop()
    document.body.replaceChildren()
    vi.unstubAllGlobals()
  })

  it('wraps Tab from the last element to the first and Shift+Tab from the first to the last', () => {
    trap()
    elements.last.focus()
    expect(tab()).toBe(true)
    expect(document.activeElement).toBe(elements.first)
    expect(tab(true)).toBe(true)
    expect(document.activeElement).toBe(elements.last)
  })

  it('leaves Tab alone between the first and the last element', () => {
    trap()
    elements.first.focus()
    expect(tab()).toBe(false)
    elements.middle.focus()
    expect(tab(true)).toBe(false)
  })

  it('brings the focus back in from outside', () => {
    trap()
    elements.outside.focus()
    expect(tab()).toBe(true)
    expect(document.activeElement).toBe(elements.first)
    elements.outside.focus()
    expect(tab(true)).toBe(true)
    expect(document.activeElement).toBe(elements.last)
  })

  it('skips disabled elements and lists the tabbable ones in order', () => {
    elements.last.disabled = true
    const { tabbables } = trap()
    expect(tabbables()).toEqual([elements.first, elements.middle])
    elements.middle.focus()
    expect(tab()).toBe(true)
    expect(document.activeElement).toBe(elements.first)
  })

  it('holds only while active', () => {
    const active = shallowRef(false)
    const { isTrapping } = trap({ active })
    elements.last.focus()
    expect(isTrapping()).toBe(false)
    expect(tab()).toBe(false)
    active.value = true
    expect(isTrapping()).toBe(true)
    expect(tab()).toBe(true)
  })

  it('holds only while its media query matches, and never without matchMedia', () => {
    let matches = false
    vi.stubGlobal('matchMedia', (query: string) => ({ matches, media: query }))
    const { isTrapping } = trap({ media: '(max-width: 640px)' })
    expect(isTrapping()).toBe(false)
    matches = true
    expect(isTrapping()).toBe(true)
    vi.stubGlobal('matchMedia', undefined)
    expect(isTrapping()).toBe(false)
  })

  it('listens to the window it is given', () => {
    const otherWindow = new EventTarget() as unknown as Window
    trap({ window: otherWindow })
    elements.last.focus()
    expect(tab()).toBe(false)
    const event = new KeyboardEvent('keydown', { key: 'Tab', cancelable: true })
    otherWindow.dispatchEvent(event)
    expect(event.defaultPrevented).toBe(true)
    expect(document.activeElement).toBe(elements.first)
  })

  it('lets go when its scope is disposed', () => {
    trap()
    scope.stop()
    elements.last.focus()
    expect(tab()).toBe(false)
  })
})
