// @vitest-environment jsdom
/** "Read aloud" on answers: speaks the answer as plain text, code blocks announced and skipped; "Stop reading" ends it. */
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { FakeChatApi } from '../../tests/fakeChatApi'
import { mountOpenDrawer } from '../../tests/drawerHarness'
import type { SpeechSynthesisAdapter } from '../composables/useReadAloud'
import type { DuoChatOptions } from '../plugin'
import { duoChatGlobalState } from '../state/globalState'

const ANSWER = 'Remove the **overlay**:\n\n```js\ndocument.querySelector(".promo")?.remove()\n```\n\nThen reload.'

describe('Read aloud', () => {
  let wrapper: VueWrapper | null = null
  afterEach(() => {
    wrapper?.unmount()
    wrapper = null
    document.body.replaceChildren()
    duoChatGlobalState.isShown = false
    localStorage.clear()
  })

  async function answered(options: Partial<DuoChatOptions>): Promise<void> {
    const api = new FakeChatApi()
    wrapper = await mountOpenDrawer(options, api)
    const prompt = document.querySelector<HTMLTextAreaElement>('textarea')!
    prompt.value = 'How?'
    prompt.dispatchEvent(new Event('input'))
    await flushPromises()
    prompt.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }))
    await flushPromises()
    api.broadcast({ requestId: 'request-1', role: 'ASSISTANT', id: 'gid://gitlab/Ai::Message/1', content: ANSWER })
    await vi.waitFor(() => expect(document.querySelector('.duo-chat-code')).not.toBeNull())
  }

  const button = (name: string) => [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === name)

  it('reads the answer without markup, says "code block skipped" for its code, and Stop reading ends it', async () => {
    let onEnd: (() => void) | null = null
    const synthesis: SpeechSynthesisAdapter = { speak: vi.fn((_text: string, end: () => void) => (onEnd = end)), cancel: vi.fn(() => onEnd?.()) }
    await answered({ readAloud: { synthesis } })
    button('Read aloud')!.click()
    await flushPromises()
    expect(synthesis.speak).toHaveBeenCalledWith('Remove the overlay:\nCode block skipped.\nThen reload.', expect.any(Function))
    expect(button('Read aloud')).toBeUndefined()
    button('Stop reading')!.click()
    await flushPromises()
    expect(synthesis.cancel).toHaveBeenCalled()
    expect(button('Read aloud')).toBeDefined()
  })

  it('goes back to "Read aloud" when the speech ends by itself', async () => {
    let onEnd: (() => void) | null = null
    await answered({ readAloud: { synthesis: { speak: (_text, end) => (onEnd = end), cancel: () => {} } } })
    button('Read aloud')!.click()
    await flushPromises()
    expect(button('Stop reading')).toBeDefined()
    onEnd!()
    await flushPromises()
    expect(button('Read aloud')).toBeDefined()
  })

  it('is not offered when turned off, nor where the browser has no speechSynthesis (jsdom has none)', async () => {
    await answered({ readAloud: false })
    expect(button('Read aloud')).toBeUndefined()
    wrapper?.unmount()
    document.body.replaceChildren()
    await answered({})
    expect(button('Read aloud')).toBeUndefined()
  })
})
