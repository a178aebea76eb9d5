// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope, shallowRef, type EffectScope } from 'vue'
import { useResizable, type UseResizableOptions } from './useResizable'

/** jsdom has no PointerEvent: a mouse event that carries the pointer's id. */
function pointer(type: string, clientX: number, { pointerId = 1, button = 0 } = {}): Event {
  const event = new MouseEvent(type, { clientX, button, bubbles: true, cancelable: true })
  Object.defineProperty(event, 'pointerId', { value: pointerId })
  return event
}

function key(target: HTMLElement, name: string): boolean {
  const event = new KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true })
  target.dispatchEvent(event)
  return event.defaultPrevented
}

describe('useResizable', () => {
  let scope: EffectScope
  let handle: HTMLElement
  const KEY = 'duo-chat-drawer:width:gid://gitlab/User/1'
  const resizable = (options: Partial<UseResizableOptions> = {}) => scope.run(() => useResizable({ handle, ...options }))!

  beforeEach(() => {
    scope = effectScope()
    handle = document.body.appendChild(document.createElement('div'))
    localStorage.clear()
    vi.stubGlobal('innerWidth', 1200)
  })
  afterEach(() => {
    scope.stop()
    document.body.replaceChildren()
    vi.unstubAllGlobals()
  })

  it('widens as the inner edge is dragged towards the page, and narrows back, within the bounds', () => {
    const { width, dragging } = resizable({ minWidth: 320, maxWidth: 700 })
    expect(width.value).toBe(400)
    handle.setPointerCapture = vi.fn()
    handle.dispatchEvent(pointer('pointerdown', 800))
    expect(handle.setPointerCapture).toHaveBeenCalledWith(1)
    expect(dragging.value).toBe(true)
    handle.dispatchEvent(pointer('pointermove', 700))
    expect(width.value).toBe(500)
    handle.dispatchEvent(pointer('pointermove', 0))
    expect(width.value).toBe(700)
    handle.dispatchEvent(pointer('pointermove', 1100))
    expect(width.value).toBe(320)
    handle.dispatchEvent(pointer('pointerup', 1100))
    expect(dragging.value).toBe(false)
    // After the drag, moves of the pointer change nothing.
    handle.dispatchEvent(pointer('pointermove', 500))
    expect(width.value).toBe(320)
  })

  it('follows one pointer only, and ignores buttons other than the main one', () => {
    const { width } = resizable()
    handle.dispatchEvent(pointer('pointerdown', 800, { button: 2 }))
    handle.dispatchEvent(pointer('pointermove', 700))
    expect(width.value).toBe(400)
    handle.dispatchEvent(pointer('pointerdown', 800, { pointerId: 7 }))
    handle.dispatchEvent(pointer('pointermove', 700, { pointerId: 8 }))
    expect(width.value).toBe(400)
    handle.dispatchEvent(pointer('pointermove', 760, { pointerId: 7 }))
    expect(width.value).toBe(440)
    handle.dispatchEvent(pointer('pointercancel', 760, { pointerId: 7 }))
  })

  it('in right-to-left the inner edge is the right one: dragging right widens', () => {
    const { width } = resizable({ direction: () => 'rtl' })
    handle.dispatchEvent(pointer('pointerdown', 400))
    handle.dispatchEvent(pointer('pointermove', 450))
    handle.dispatchEvent(pointer('pointerup', 450))
    expect(width.value).toBe(450)
  })

  it('moves the edge the way the arrow keys point, and Home and End go to the bounds', () => {
    const { width } = resizable({ minWidth: 320, maxWidth: 640, step: 10 })
    expect(key(handle, 'ArrowLeft')).toBe(true)
    expect(width.value).toBe(410)
    key(handle, 'ArrowRight')
    key(handle, 'ArrowRight')
    expect(width.value).toBe(390)
    key(handle, 'End')
    expect(width.value).toBe(640)
    key(handle, 'ArrowLeft')
    expect(width.value).toBe(640)
    key(handle, 'Home')
    expect(width.value).toBe(320)
    // Other keys are left to the page.
    expect(key(handle, 'Tab')).toBe(false)
  })

  it('turns the arrow keys round in right-to-left', () => {
    const dir = shallowRef<'ltr' | 'rtl'>('rtl')
    const { width } = resizable({ direction: () => dir.value, step: 10 })
    key(handle, 'ArrowRight')
    expect(width.value).toBe(410)
    dir.value = 'ltr'
    key(handle, 'ArrowRight')
    expect(width.value).toBe(400)
  })

  it('remembers the width under the key, and starts from it next time', () => {
    const first = resizable({ storageKey: KEY })
    first.setWidth(512)
    expect(localStorage.getItem(KEY)).toBe('512')
    handle.dispatchEvent(pointer('pointerdown', 800))
    handle.dispatchEvent(pointer('pointermove', 780))
    expect(localStorage.getItem(KEY)).toBe('512')
    handle.dispatchEvent(pointer('pointerup', 780))
    expect(localStorage.getItem(KEY)).toBe('532')
    scope.stop()
    scope = effectScope()
    expect(resizable({ storageKey: KEY }).width.value).toBe(532)
    // Another user's width is their own.
    expect(resizable({ storageKey: 'duo-chat-drawer:width:gid://gitlab/User/2' }).width.value).toBe(400)
  })

  it('ignores a remembered width that is not a number, and keeps working when storage is off', () => {
    localStorage.setItem(KEY, 'wide')
    expect(resizable({ storageKey: KEY }).width.value).toBe(400)
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('quota', 'QuotaExceededError')
    })
    const { width, setWidth } = resizable({ storageKey: KEY })
    setWidth(480)
    expect(width.value).toBe(480)
    vi.restoreAllMocks()
  })

  it('is never wider than the window, and gives the chosen width back when the window grows', () => {
    const { width, maxWidth, setWidth } = resizable({ maxWidth: 900 })
    setWidth(880)
    vi.stubGlobal('innerWidth', 700)
    window.dispatchEvent(new Event('resize'))
    expect(maxWidth.value).toBe(700)
    expect(width.value).toBe(700)
    vi.stubGlobal('innerWidth', 1200)
    window.dispatchEvent(new Event('resize'))
    expect(maxWidth.value).toBe(900)
    expect(width.value).toBe(880)
  })

  it('takes the whole width on a narrow screen: no resizing there', () => {
    const listeners: Array<(event: { matches: boolean }) => void> = []
    const query = { matches: true, addEventListener: (_: string, listener: (event: { matches: boolean }) => void) => listeners.push(listener), removeEventListener: () => {} }
    vi.stubGlobal('matchMedia', () => query)
    const { width, resizable: canResize } = resizable({ fullWidthMedia: '(max-width: 640px)' })
    expect(canResize.value).toBe(false)
    key(handle, 'End')
    handle.dispatchEvent(pointer('pointerdown', 800))
    handle.dispatchEvent(pointer('pointermove', 600))
    expect(width.value).toBe(400)
    for (const listener of listeners) listener({ matches: false })
    expect(canResize.value).toBe(true)
  })

  it('stops listening when its scope is disposed', () => {
    const { width } = resizable()
    scope.stop()
    key(handle, 'End')
    expect(width.value).toBe(400)
  })
})
