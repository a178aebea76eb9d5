// @vitest-environment jsdom
/** "Voice input" in the drawer: an aria-pressed toggle whose speech lands in the prompt box, never sent by itself. */
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { FakeChatApi } from '../../tests/fakeChatApi'
import { mountOpenDrawer } from '../../tests/drawerHarness'
import type { SpeechRecognitionLike } from '../composables/useVoiceInput'
import type { DuoChatOptions } from '../plugin'
import { duoChatGlobalState } from '../state/globalState'

describe('Voice input in the drawer', () => {
  let wrapper: VueWrapper | null = null
  afterEach(() => {
    wrapper?.unmount()
    wrapper = null
    document.body.replaceChildren()
    duoChatGlobalState.isShown = false
    localStorage.clear()
  })

  async function drawer(options: Partial<DuoChatOptions>, api = new FakeChatApi()): Promise<FakeChatApi> {
    wrapper = await mountOpenDrawer(options, api)
    return api
  }

  const voiceButton = () => [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Voice input')

  it('toggles with aria-pressed; the recording’s text joins what was typed and is not sent', async () => {
    const recognize = vi.fn(async () => 'how do I create an issue?')
    const clip = new Blob([new Uint8Array([1])], { type: 'audio/webm' })
    const api = await drawer({ speech: { recognition: null, recorder: { start: async () => ({ stop: async () => clip, cancel: () => {} }) }, recognize } })
    const prompt = document.querySelector<HTMLTextAreaElement>('textarea')!
    prompt.value = 'Quick one:'
    prompt.dispatchEvent(new Event('input'))
    expect(voiceButton()!.getAttribute('aria-pressed')).toBe('false')
    voiceButton()!.click()
    await flushPromises()
    expect(voiceButton()!.getAttribute('aria-pressed')).toBe('true')
    expect(document.querySelector('[role="status"]')?.textContent).toContain('Listening…')
    voiceButton()!.click()
    await vi.waitFor(() => expect(prompt.value).toBe('Quick one: how do I create an issue?'))
    expect(voiceButton()!.getAttribute('aria-pressed')).toBe('false')
    expect(api.sent).toEqual([])
  })

  it('uses the gateway’s transcription when the host brings no recognize, and shows its error', async () => {
    const api = new FakeChatApi()
    Object.assign(api, { transcribe: vi.fn(async () => Promise.reject(new Error('I could not transcribe the recording. Speak again, or type your question. Error code: A6001'))) })
    const clip = new Blob([new Uint8Array([1])], { type: 'audio/webm' })
    await drawer({ speech: { recognition: null, recorder: { start: async () => ({ stop: async () => clip, cancel: () => {} }) } } }, api)
    voiceButton()!.click()
    await flushPromises()
    voiceButton()!.click()
    await vi.waitFor(() => expect(document.querySelector('[data-voice-problem]')).not.toBeNull())
    expect(document.querySelector('[data-voice-problem]')!.textContent).toContain('Error code: A6001')
    expect(document.querySelector('[data-voice-problem]')!.getAttribute('role')).toBe('alert')
  })

  it('puts the browser recognition’s interim text in the box', async () => {
    let recognition: SpeechRecognitionLike | null = null
    const create = () =>
      (recognition = { lang: '', interimResults: false, continuous: false, onresult: null, onerror: null, onend: null, start() {}, stop() { this.onend?.() }, abort() {} })
    await drawer({ speech: { recognition: create } })
    voiceButton()!.click()
    await flushPromises()
    recognition!.onresult?.({ results: [{ isFinal: false, 0: { transcript: 'summarize this' } }] })
    await flushPromises()
    expect(document.querySelector<HTMLTextAreaElement>('textarea')!.value).toBe('summarize this')
  })

  it('is not offered when turned off, or without recognition and transcription (jsdom has neither)', async () => {
    await drawer({ speech: false })
    expect(voiceButton()).toBeUndefined()
    wrapper?.unmount()
    document.body.replaceChildren()
    await drawer({})
    expect(voiceButton()).toBeUndefined()
  })
})
