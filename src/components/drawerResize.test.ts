// @vitest-environment jsdom
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { FakeChatApi } from '../../tests/fakeChatApi'
import { createDuoChat, type DuoChatOptions } from '../plugin'
import { duoChatGlobalState } from '../state/globalState'
import DuoChatDrawer from './DuoChatDrawer.vue'

const separator = () => document.querySelector<HTMLElement>('[role="separator"]')
const aside = () => document.querySelector<HTMLElement>('aside')!

function press(key: string): void {
  separator()!.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }))
}

describe('the drawer’s inner edge and header', () => {
  let wrapper: VueWrapper | null = null

  async function open(options: Partial<DuoChatOptions> = {}, props: Record<string, unknown> = {}): Promise<void> {
    wrapper = mount(DuoChatDrawer, {
      attachTo: document.body,
      props,
      global: {
        plugins: [createDuoChat({ graphqlUrl: 'http://gateway.test/graphql', userId: 'gid://gitlab/User/1', api: new FakeChatApi(), ...options } as DuoChatOptions)],
      },
    })
    duoChatGlobalState.isShown = true
    await flushPromises()
  }

  afterEach(() => {
    wrapper?.unmount()
    wrapper = null
    document.body.innerHTML = ''
    duoChatGlobalState.isShown = false
    localStorage.clear()
    vi.unstubAllGlobals()
  })

  it('is a focusable, named vertical separator that tells the width and its bounds', async () => {
    await open()
    const edge = separator()!
    expect(edge.getAttribute('aria-label')).toBe('Resize Duo Chat')
    expect(edge.getAttribute('aria-orientation')).toBe('vertical')
    expect(edge.tabIndex).toBe(0)
    expect(edge.getAttribute('aria-controls')).toBe(aside().id)
    expect([edge.getAttribute('aria-valuenow'), edge.getAttribute('aria-valuemin'), edge.getAttribute('aria-valuemax')]).toEqual(['400', '320', '800'])
  })

  it('resizes by arrow keys, Home and End, and remembers the width for the same user only', async () => {
    await open({ minWidth: 360, maxWidth: 720 })
    press('ArrowLeft')
    await flushPromises()
    expect(separator()!.getAttribute('aria-valuenow')).toBe('416')
    expect(aside().style.getPropertyValue('--duo-chat-width')).toBe('416px')
    press('End')
    await flushPromises()
    expect(separator()!.getAttribute('aria-valuenow')).toBe('720')
    press('Home')
    press('ArrowRight')
    await flushPromises()
    expect(separator()!.getAttribute('aria-valuenow')).toBe('360')
    press('ArrowLeft')
    await flushPromises()
    wrapper!.unmount()
    document.body.innerHTML = ''

    await open({ minWidth: 360, maxWidth: 720 })
    expect(separator()!.getAttribute('aria-valuenow')).toBe('376')
    wrapper!.unmount()
    document.body.innerHTML = ''
    await open({ userId: 'gid://gitlab/User/2' })
    expect(separator()!.getAttribute('aria-valuenow')).toBe('400')
    // Until a width is chosen, the theme's --duo-chat-width decides.
    expect(aside().style.getPropertyValue('--duo-chat-width')).toBe('')
  })

  it('takes its bounds from the props before the plugin’s options', async () => {
    await open({ minWidth: 300, maxWidth: 500 }, { minWidth: 350, maxWidth: 900 })
    expect([separator()!.getAttribute('aria-valuemin'), separator()!.getAttribute('aria-valuemax')]).toEqual(['350', '900'])
  })

  it('refuses bounds that make no sense, saying which', () => {
    const base = { graphqlUrl: 'http://gateway.test/graphql', userId: 'gid://gitlab/User/1' }
    expect(() => createDuoChat({ ...base, minWidth: -1 })).toThrow(/minWidth must be a positive number/)
    expect(() => createDuoChat({ ...base, minWidth: 600, maxWidth: 500 })).toThrow(/minWidth \(600\) is wider than maxWidth \(500\)/)
  })

  it('has no handle where the drawer takes the whole screen', async () => {
    vi.stubGlobal('matchMedia', (query: string) => ({ matches: query === '(max-width: 640px)', media: query, addEventListener() {}, removeEventListener() {} }))
    await open()
    expect(separator()).toBeNull()
    expect(aside().style.getPropertyValue('--duo-chat-width')).toBe('')
  })

  it('header buttons are icons named by their labels, with the same words as tooltips', async () => {
    await open({ labels: { chatHistory: 'Verlauf', newChat: 'Neuer Chat', close: 'Schließen' } })
    const buttons = [...document.querySelectorAll<HTMLButtonElement>('.duo-chat-drawer__header button')]
    expect(buttons.map((b) => b.getAttribute('aria-label'))).toEqual(expect.arrayContaining(['Verlauf', 'Neuer Chat', 'Schließen']))
    for (const button of buttons) {
      expect(button.title).toBe(button.getAttribute('aria-label'))
      expect(button.textContent!.trim()).toBe('')
      expect(button.querySelector('svg[aria-hidden="true"]')).not.toBeNull()
    }
  })
})

describe('<duo-chat-drawer min-width max-width>', () => {
  afterEach(() => {
    document.body.innerHTML = ''
    vi.restoreAllMocks()
  })

  it('bounds the resizable drawer by its attributes, and ignores one that is not a number of pixels', async () => {
    await import('../element')
    const element = document.createElement('duo-chat-drawer')
    for (const [name, value] of Object.entries({ 'graphql-url': 'http://gateway.test/graphql', 'user-id': 'gid://gitlab/User/1', 'min-width': '360', 'max-width': '700px' })) {
      element.setAttribute(name, value)
    }
    document.body.append(element)
    await flushPromises()
    const edge = () => element.shadowRoot!.querySelector('[role="separator"]')!
    expect([edge().getAttribute('aria-valuemin'), edge().getAttribute('aria-valuemax')]).toEqual(['360', '700'])

    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    element.setAttribute('max-width', 'wide')
    await flushPromises()
    expect(edge().getAttribute('aria-valuemax')).toBe('800')
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('not "wide"'))
    element.remove()
  })
})
