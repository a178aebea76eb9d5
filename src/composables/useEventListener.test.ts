// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest'
import { effectScope, nextTick, shallowRef } from 'vue'
import { useEventListener } from './useEventListener'

describe('useEventListener', () => {
  it('follows its target and lets go when the scope is disposed', async () => {
    const first = document.createElement('div')
    const second = document.createElement('div')
    const target = shallowRef<HTMLElement | null>(null)
    const listener = vi.fn()
    const scope = effectScope()
    scope.run(() => useEventListener(target, 'click', listener))

    first.click()
    expect(listener).not.toHaveBeenCalled()
    target.value = first
    first.click()
    expect(listener).toHaveBeenCalledTimes(1)

    target.value = second
    await nextTick()
    first.click()
    second.click()
    expect(listener).toHaveBeenCalledTimes(2)

    scope.stop()
    second.click()
    expect(listener).toHaveBeenCalledTimes(2)
  })

  it('stops when its stop function is called', () => {
    const target = document.createElement('button')
    const listener = vi.fn()
    const stop = useEventListener(target, 'click', listener)
    target.click()
    stop()
    target.click()
    expect(listener).toHaveBeenCalledTimes(1)
  })
})
