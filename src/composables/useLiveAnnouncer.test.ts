// @vitest-environment jsdom
import { describe, expect, it } from 'vitest'
import { effectScope, watch } from 'vue'
import { useLiveAnnouncer } from './useLiveAnnouncer'

describe('useLiveAnnouncer', () => {
  it('says each announcement, an unchanged one again after emptying the region', async () => {
    const scope = effectScope()
    const { message, announce, clear } = scope.run(() => useLiveAnnouncer())!
    const heard: string[] = []
    scope.run(() => watch(message, (text) => heard.push(text), { flush: 'sync' }))

    announce('GitLab Duo is responding')
    announce('Answer ready')
    announce('Answer ready')
    await Promise.resolve()
    expect(heard).toEqual(['GitLab Duo is responding', 'Answer ready', '', 'Answer ready'])
    expect(message.value).toBe('Answer ready')

    clear()
    expect(message.value).toBe('')
    scope.stop()
  })

  it('starts from its initial text, and a later announcement wins over a pending repeat', async () => {
    const { message, announce } = useLiveAnnouncer({ initial: 'Ready' })
    expect(message.value).toBe('Ready')
    announce('Ready')
    announce('New conversation started')
    await Promise.resolve()
    expect(message.value).toBe('New conversation started')
  })
})
