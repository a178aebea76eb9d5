// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope, shallowRef, type EffectScope } from 'vue'
import { parseShortcut } from '../state/shortcut'
import { useGlobalShortcut } from './useGlobalShortcut'

function press(init: KeyboardEventInit, target: EventTarget = document.body): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init })
  target.dispatchEvent(event)
  return event
}

describe('useGlobalShortcut', () => {
  let scope: EffectScope
  beforeEach(() => (scope = effectScope()))
  afterEach(() => scope.stop())

  it('runs the handler on the shortcut pressed anywhere, and takes the key press', () => {
    const handler = vi.fn()
    scope.run(() => useGlobalShortcut({ shortcut: 'Alt+D', handler }))
    // macOS types "∂" for Alt+D: the physical key counts.
    const event = press({ key: '∂', code: 'KeyD', altKey: true })
    expect(handler).toHaveBeenCalledTimes(1)
    expect(event.defaultPrevented).toBe(true)
  })

  it('ignores other keys, other modifiers, and key presses already taken', () => {
    const handler = vi.fn()
    scope.run(() => useGlobalShortcut({ shortcut: parseShortcut('Ctrl+Shift+K'), handler }))
    press({ key: 'k', code: 'KeyK', ctrlKey: true })
    press({ key: 'j', code: 'KeyJ', ctrlKey: true, shiftKey: true })
    const taken = new KeyboardEvent('keydown', { key: 'K', code: 'KeyK', ctrlKey: true, shiftKey: true, bubbles: true, cancelable: true })
    taken.preventDefault()
    document.body.dispatchEvent(taken)
    expect(handler).not.toHaveBeenCalled()
    press({ key: 'K', code: 'KeyK', ctrlKey: true, shiftKey: true })
    expect(handler).toHaveBeenCalledTimes(1)
  })

  it('follows a shortcut that changes, and is off when it is false', () => {
    const handler = vi.fn()
    const shortcut = shallowRef<string | false>('Alt+D')
    const { shortcut: parsed } = scope.run(() => useGlobalShortcut({ shortcut, handler }))!
    shortcut.value = 'Alt+K'
    expect(parsed.value?.code).toBe('KeyK')
    press({ code: 'KeyD', altKey: true })
    press({ code: 'KeyK', altKey: true })
    shortcut.value = false
    press({ code: 'KeyK', altKey: true })
    expect(handler).toHaveBeenCalledTimes(1)
  })

  it('throws at once for a shortcut it cannot read, naming the part', () => {
    expect(() => scope.run(() => useGlobalShortcut({ shortcut: 'Hyper+D', handler: () => {} }))).toThrow(/unknown modifier "hyper"/)
  })

  it('listens to the window it is given, and stops when its scope is disposed', () => {
    const handler = vi.fn()
    const otherWindow = new EventTarget() as unknown as Window
    const local = effectScope()
    local.run(() => useGlobalShortcut({ shortcut: 'Alt+D', handler, window: otherWindow }))
    press({ code: 'KeyD', altKey: true })
    press({ code: 'KeyD', altKey: true }, otherWindow)
    expect(handler).toHaveBeenCalledTimes(1)
    local.stop()
    press({ code: 'KeyD', altKey: true }, otherWindow)
    expect(handler).toHaveBeenCalledTimes(1)
  })
})
