// @vitest-environment jsdom
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { FakeChatApi } from '../../tests/fakeChatApi'
import { createDuoChat } from '../plugin'
import { duoChatGlobalState } from '../state/globalState'
import DuoChatDrawer from './DuoChatDrawer.vue'

/** A screen `width` px wide, as far as `matchMedia('(max-width: Npx)')` can tell. */
function screenWidth(width: number): void {
  vi.stubGlobal('matchMedia', (query: string) => {
    const max = /max-width:\s*(\d+)px/.exec(query)
    return { matches: max ? width <= Number(max[1]) : false, media: query, addEventListener() {}, removeEventListener() {} }
  })
}

function mountDrawer() {
  const opener = document.createElement('button')
  opener.textContent = 'Ask GitLab Duo'
  document.body.append(opener)
  const wrapper = mount(DuoChatDrawer, {
    attachTo: document.body,
    global: { plugins: [createDuoChat({ graphqlUrl: 'http://gateway.test/graphql', userId: 'gid://gitlab/User/1', api: new FakeChatApi() })] },
  })
  return { wrapper, opener }
}

const prompt = () => document.querySelector<HTMLTextAreaElement>('textarea[aria-label="Chat prompt"]')!
const button = (name: string) => [...document.querySelectorAll('button')].find((b) => (b.getAttribute('aria-label') ?? b.textContent?.trim()) === name)!

/** Presses Tab (or Shift+Tab) on the focused element; true when the drawer moved the focus itself. */
async function tab(shiftKey = false): Promise<boolean> {
  const event = new KeyboardEvent('keydown', { key: 'Tab', shiftKey, bubbles: true, cancelable: true, composed: true })
  ;(document.activeElement ?? document.body).dispatchEvent(event)
  await flushPromises()
  return event.defaultPrevented
}

describe('DuoChatDrawer focus trap', () => {
  let mounted: ReturnType<typeof mountDrawer>
  async function open(): Promise<void> {
    localStorage.clear()
    duoChatGlobalState.isShown = false
    duoChatGlobalState.resourceId = 'gid://gitlab/Issue/1'
    mounted = mountDrawer()
    mounted.opener.focus()
    duoChatGlobalState.isShown = true
    await flushPromises()
  }
  beforeEach(open)
  afterEach(() => {
    mounted.wrapper.unmount()
    document.body.innerHTML = ''
    vi.unstubAllGlobals()
  })

  describe('on a narrow screen, where the drawer covers the page', () => {
    // The drawer learns the screen's width when it is set up (no resize handle where it covers the page).
    beforeEach(async () => {
      mounted.wrapper.unmount()
      document.body.innerHTML = ''
      screenWidth(390)
      await open()
    })

    it('stays an aside named "Duo Chat", not a dialog', () => {
      const aside = document.querySelector('aside')!
      expect(aside.getAttribute('aria-label')).toBe('Duo Chat')
      expect(aside.getAttribute('role')).toBeNull()
      expect(aside.getAttribute('aria-modal')).toBeNull()
    })

    it('wraps Tab from the last element to the first, and Shift+Tab from the first to the last', async () => {
      // With an empty draft Send is disabled, so the prompt is the last element Tab reaches.
      expect(document.activeElement).toBe(prompt())
      expect(await tab()).toBe(true)
      expect(document.activeElement).toBe(button('Chat history'))
      expect(await tab(true)).toBe(true)
      expect(document.activeElement).toBe(prompt())
    })

    it('wraps from Send once the draft enables it', async () => {
      prompt().value = 'What is issue #1 about?'
      prompt().dispatchEvent(new Event('input'))
      await flushPromises()
      button('Send').focus()
      expect(await tab()).toBe(true)
      expect(document.activeElement).toBe(button('Chat history'))
    })

    it('leaves Tab alone between the first and the last element', async () => {
      button('New chat').focus()
      expect(await tab()).toBe(false)
      expect(await tab(true)).toBe(false)
      expect(document.activeElement).toBe(button('New chat'))
    })

    it('brings the focus back in when it was lost to the page', async () => {
      mounted.opener.focus()
      expect(await tab()).toBe(true)
      expect(document.activeElement).toBe(button('Chat history'))
      mounted.opener.focus()
      expect(await tab(true)).toBe(true)
      expect(document.activeElement).toBe(prompt())
    })

    it('gives the focus back to the opener on Escape, and lets Tab go once closed', async () => {
      prompt().dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }))
      await flushPromises()
      expect(duoChatGlobalState.isShown).toBe(false)
      expect(document.activeElement).toBe(mounted.opener)
      expect(await tab()).toBe(false)
      expect(document.activeElement).toBe(mounted.opener)
    })
  })

  it('does not trap the focus on a wide screen, where the page stays usable beside the drawer', async () => {
    screenWidth(1280)
    expect(document.activeElement).toBe(prompt())
    expect(await tab()).toBe(false)
    mounted.opener.focus()
    expect(await tab()).toBe(false)
    expect(document.activeElement).toBe(mounted.opener)
  })

  it('does not trap the focus where matchMedia is missing', async () => {
    vi.stubGlobal('matchMedia', undefined)
    expect(await tab()).toBe(false)
  })
})
