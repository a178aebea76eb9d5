// @vitest-environment jsdom
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FakeChatApi } from '../../tests/fakeChatApi'
import { mountOpenDrawer } from '../../tests/drawerHarness'
import { duoChatGlobalState } from '../state/globalState'

const prompt = () => document.querySelector<HTMLTextAreaElement>('textarea[aria-label="Chat prompt"]')!
const live = () => document.querySelector('[aria-live="polite"]')!.textContent

async function type(text: string) {
  prompt().value = text
  prompt().dispatchEvent(new Event('input'))
  await flushPromises()
}

async function press(key: string) {
  prompt().dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }))
  await flushPromises()
}

describe('Enter on a slash command', () => {
  let api: FakeChatApi
  let wrapper: VueWrapper
  beforeEach(async () => {
    localStorage.clear()
    duoChatGlobalState.resourceId = 'gid://gitlab/Issue/1'
    api = new FakeChatApi()
    wrapper = await mountOpenDrawer({}, api)
  })
  afterEach(() => {
    wrapper.unmount()
    document.body.innerHTML = ''
    duoChatGlobalState.isShown = false
  })

  it('runs a command typed in full at once: /clear starts a new conversation', async () => {
    await type('/clear')
    expect(document.querySelector('[role="listbox"]')).not.toBeNull()
    await press('Enter')
    expect(live()).toBe('New conversation started')
    expect(prompt().value).toBe('')
  })

  it.each(['/explain', '/refactor into smaller functions'])('sends %s to GitLab Duo on one Enter', async (draft) => {
    await type(draft)
    await press('Enter')
    expect(api.sent.map((s) => s.question)).toEqual([draft])
    expect(prompt().value).toBe('')
  })

  it('runs a local command with words after it', async () => {
    await type('/help me')
    await press('Enter')
    expect(document.querySelector('article:last-of-type')!.textContent).toContain('/explain')
    expect(api.sent).toEqual([])
  })

  it('completes a partial command, as before, without running anything', async () => {
    await type('/expl')
    await press('Enter')
    expect(prompt().value).toBe('/explain ')
    expect(api.sent).toEqual([])
    // Tab completes a full command too, for words to follow.
    await type('/fix')
    await press('Tab')
    expect(prompt().value).toBe('/fix ')
  })

  it('opens the /include search on Enter: it runs by picking what to include', async () => {
    await type('/include')
    await press('Enter')
    expect(prompt().value).toBe('/include ')
    expect(api.sent).toEqual([])
  })
})
