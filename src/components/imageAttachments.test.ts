// @vitest-environment jsdom
/** Images in the drawer: picked, pasted or captured → a chip with a thumbnail → sent with the question → on the sent message. */
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { solidPng } from '../../mocks/gateway/pngFixture'
import { FakeChatApi } from '../../tests/fakeChatApi'
import { mountOpenDrawer } from '../../tests/drawerHarness'
import type { ImageScaler } from '../composables/useImageAttachments'
import type { DuoChatOptions } from '../plugin'
import { duoChatGlobalState } from '../state/globalState'

const scaler: ImageScaler = { measure: async () => ({ width: 40, height: 30 }), scale: async (blob) => blob }
const png = () => new File([new Uint8Array(solidPng(40, 30, [0, 0, 255], 'A chart'))], 'chart.png', { type: 'image/png' })

describe('image attachments in the drawer', () => {
  let wrapper: VueWrapper | null = null
  afterEach(() => {
    wrapper?.unmount()
    wrapper = null
    document.body.replaceChildren()
    duoChatGlobalState.isShown = false
    duoChatGlobalState.contexts.splice(0)
    localStorage.clear()
  })

  async function drawer(options: Partial<DuoChatOptions> = {}): Promise<FakeChatApi> {
    const api = new FakeChatApi()
    wrapper = await mountOpenDrawer({ images: { scaler }, ...options }, api)
    return api
  }

  function pick(file: File): void {
    const input = document.querySelector<HTMLInputElement>('input[data-image-input]')!
    Object.defineProperty(input, 'files', { value: [file], configurable: true })
    input.dispatchEvent(new Event('change'))
  }

  const button = (name: string) => [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === name)

  it('"Attach image" adds a chip with a thumbnail named after the file; the question carries it and the sent message shows it', async () => {
    const api = await drawer()
    expect(button('Attach image')).toBeDefined()
    pick(png())
    await vi.waitFor(() => expect(document.querySelector('.duo-chat-chips img')).not.toBeNull())
    const thumbnail = document.querySelector<HTMLImageElement>('.duo-chat-chips img')!
    expect(thumbnail.alt).toContain('chart.png')
    expect(thumbnail.getAttribute('src')).toMatch(/^data:image\/png;base64,iVBORw0KGgo/)
    expect(document.querySelector('[role="status"]')?.textContent).toContain('chart.png attached.')

    const prompt = document.querySelector<HTMLTextAreaElement>('textarea')!
    prompt.value = 'What does this show?'
    prompt.dispatchEvent(new Event('input'))
    await flushPromises()
    prompt.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }))
    await vi.waitFor(() => expect(api.sent).toHaveLength(1))
    expect(api.sent[0]!.contexts).toEqual([expect.objectContaining({ category: 'IMAGE', title: 'chart.png', metadata: { mimeType: 'image/png', width: 40, height: 30 } })])
    await flushPromises()
    // The chip leaves the prompt with the question and shows on the sent message.
    expect(document.querySelector('.duo-chat-chips img')).toBeNull()
    expect(document.querySelector<HTMLImageElement>('.duo-chat-message--user img')?.alt).toContain('chart.png')
  })

  it('refuses an SVG with a clear message and attaches nothing', async () => {
    await drawer()
    pick(new File(['<svg xmlns="http://www.w3.org/2000/svg"/>'], 'logo.svg', { type: 'image/svg+xml' }))
    await vi.waitFor(() => expect(document.querySelector('[data-image-problem]')).not.toBeNull())
    expect(document.querySelector('[data-image-problem]')?.textContent).toBe('logo.svg is not a PNG, JPEG, WebP or GIF image, so it cannot be attached.')
    expect(document.querySelector('[data-image-problem]')?.getAttribute('role')).toBe('alert')
    expect(duoChatGlobalState.contexts).toEqual([])
  })

  it('a pasted image becomes a chip, and "Share screen" adds the captured frame', async () => {
    const captureFrame = vi.fn(async () => new Blob([new Uint8Array(solidPng(40, 30, [0, 0, 0]))], { type: 'image/png' }))
    await drawer({ images: { scaler, screenCapture: { captureFrame } } })
    const paste = new Event('paste', { bubbles: true, cancelable: true }) as ClipboardEvent
    Object.defineProperty(paste, 'clipboardData', { value: { files: [png()], types: ['Files'] } })
    document.querySelector('textarea')!.dispatchEvent(paste)
    await vi.waitFor(() => expect(duoChatGlobalState.contexts).toHaveLength(1))
    expect(paste.defaultPrevented).toBe(true)

    button('Share screen')!.click()
    await vi.waitFor(() => expect(duoChatGlobalState.contexts).toHaveLength(2))
    expect(captureFrame).toHaveBeenCalledOnce()
    expect([...document.querySelectorAll<HTMLImageElement>('.duo-chat-chips img')].map((img) => img.alt)).toEqual(['Image chart.png', 'Image Screenshot.png'])
  })

  it('offers no image buttons when images are turned off', async () => {
    await drawer({ images: false })
    expect(button('Attach image')).toBeUndefined()
    expect(button('Share screen')).toBeUndefined()
  })
})
