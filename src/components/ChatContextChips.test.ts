// @vitest-environment jsdom
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { FakeChatApi } from '../../tests/fakeChatApi'
import { createDuoChat } from '../plugin'
import { duoChatGlobalState } from '../state/globalState'
import DuoChatDrawer from './DuoChatDrawer.vue'

const chipList = () => document.querySelector('ul[aria-label="Attached context"]')
const chipNames = () => [...(chipList()?.querySelectorAll(':scope > li') ?? [])].map((li) => li.getAttribute('aria-label'))
const button = (name: string) =>
  [...document.querySelectorAll('button')].find((b) => (b.getAttribute('aria-label') ?? b.textContent?.trim()) === name)
const prompt = () => document.querySelector<HTMLTextAreaElement>('textarea[aria-label="Chat prompt"]')!

async function type(text: string) {
  prompt().value = text
  prompt().dispatchEvent(new Event('input'))
  await flushPromises()
}

async function press(key: string) {
  prompt().dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }))
  await flushPromises()
}

describe('context chips', () => {
  let api: FakeChatApi
  let wrapper: VueWrapper
  beforeEach(async () => {
    duoChatGlobalState.isShown = false
    duoChatGlobalState.resourceId = 'gid://gitlab/Issue/1'
    duoChatGlobalState.resourceTitle = 'Checkout button unresponsive on Safari'
    duoChatGlobalState.contexts = [
      { id: 'acme/shop:src/checkout/button.ts', category: 'FILE', title: 'button.ts', content: 'export function onClick() {}' },
      { id: 'gid://gitlab/MergeRequest/1', category: 'MERGE_REQUEST', title: 'Fix Safari checkout click handler' },
    ]
    api = new FakeChatApi()
    wrapper = mount(DuoChatDrawer, {
      attachTo: document.body,
      global: { plugins: [createDuoChat({ graphqlUrl: 'http://gateway.test/graphql', userId: 'gid://gitlab/User/1', api })] },
    })
    duoChatGlobalState.isShown = true
    await flushPromises()
  })
  afterEach(() => {
    wrapper.unmount()
    document.body.innerHTML = ''
    duoChatGlobalState.contexts = []
    duoChatGlobalState.resourceTitle = null
  })

  it('shows the page resource and every attached item as a chip named by its title', () => {
    expect(chipNames()).toEqual(['Checkout button unresponsive on Safari', 'button.ts', 'Fix Safari checkout click handler'])
    expect(button('Remove button.ts')).toBeDefined()
  })

  it('sends what is attached as context and the resource as resourceId; the question lists it under "Context used"', async () => {
    await type('Why does the button not work?')
    await press('Enter')
    expect(api.sent[0]).toMatchObject({
      resourceId: 'gid://gitlab/Issue/1',
      contexts: [
        { id: 'acme/shop:src/checkout/button.ts', category: 'FILE', title: 'button.ts', content: 'export function onClick() {}' },
        { id: 'gid://gitlab/MergeRequest/1', category: 'MERGE_REQUEST', title: 'Fix Safari checkout click handler' },
      ],
    })
    const used = document.querySelector('article ul[aria-label="Context used"]')!
    expect([...used.querySelectorAll('li')].map((li) => li.textContent?.trim())).toEqual(['button.ts', 'Fix Safari checkout click handler'])
  })

  it('does not send a removed item, nor the resource once its chip is removed', async () => {
    button('Remove button.ts')!.click()
    button('Remove Checkout button unresponsive on Safari')!.click()
    await flushPromises()
    expect(chipNames()).toEqual(['Fix Safari checkout click handler'])
    expect(duoChatGlobalState.contexts.map((c) => c.title)).toEqual(['Fix Safari checkout click handler'])
    await type('Summarize')
    await press('Enter')
    expect(api.sent[0]?.resourceId).toBeNull()
    expect(api.sent[0]?.contexts?.map((c) => c.id)).toEqual(['gid://gitlab/MergeRequest/1'])
  })

  it('shows items the gateway refuses as disabled with the reason, and never sends them', async () => {
    api.unavailable = { 'gid://gitlab/MergeRequest/1': 'AI features are turned off for acme/legacy.' }
    duoChatGlobalState.contexts.push({ id: 'gid://gitlab/Issue/50', category: 'ISSUE', title: 'Legacy issue' })
    await flushPromises()
    const disabled = chipList()!.querySelector('li[aria-disabled="true"]')!
    expect(disabled.getAttribute('aria-label')).toBe('Fix Safari checkout click handler')
    expect(disabled.textContent).toContain('AI features are turned off')
    await type('Summarize')
    await press('Enter')
    expect(api.sent[0]?.contexts?.map((c) => c.id)).toEqual(['acme/shop:src/checkout/button.ts', 'gid://gitlab/Issue/50'])
  })

  it('folds many chips into "+N more"', async () => {
    duoChatGlobalState.contexts.push(
      ...Array.from({ length: 5 }, (_, i) => ({ id: `file-${i}`, category: 'FILE' as const, title: `file-${i}.ts` })),
    )
    await flushPromises()
    expect(chipNames()).toHaveLength(4)
    button('+4 more')!.click()
    await flushPromises()
    expect(chipNames()).toHaveLength(8)
  })

  it('opens the details of a chip with its category and a preview', async () => {
    const label = chipList()!.querySelectorAll('li')[1]!.querySelector('button')!
    label.click()
    await flushPromises()
    expect(label.getAttribute('aria-expanded')).toBe('true')
    expect(document.querySelector('[role="group"][aria-label="Details of button.ts"]')?.textContent).toContain('export function onClick')
  })

  describe('/include', () => {
    beforeEach(() => {
    localStorage.clear()
      api.searchResults = [
        { id: 'gid://gitlab/Issue/2', category: 'ISSUE', title: 'Cart total rounding', description: 'acme/shop#2', webUrl: null, enabled: true, disabledReason: null },
        { id: 'gid://gitlab/Issue/50', category: 'ISSUE', title: 'Cart legacy export', description: 'acme/legacy#50', webUrl: null, enabled: false, disabledReason: 'AI features are turned off for acme/legacy.' },
        { id: 'acme/shop:src/cart.ts', category: 'FILE', title: 'Cart cart.ts', description: 'acme/shop', webUrl: null, enabled: true, disabledReason: null },
      ]
    })

    it('"/" opens the command menu; arrows wrap, Enter picks, Escape closes without closing the drawer', async () => {
      await type('/')
      const listbox = document.querySelector('[role="listbox"][aria-label="Slash commands"]')!
      const options = [...listbox.querySelectorAll('[role="option"]')]
      expect(options.map((o) => o.querySelector('span')?.textContent)).toContain('/include')
      expect(listbox.querySelector('[aria-selected="true"]')?.textContent).toContain('/include')
      await press('ArrowUp')
      expect(listbox.querySelector('[aria-selected="true"]')?.textContent).toContain('/help')
      expect(prompt().getAttribute('aria-activedescendant')).toBe(listbox.querySelector('[aria-selected="true"]')?.id)
      await press('ArrowDown')
      await press('Escape')
      expect(document.querySelector('[role="listbox"]')).toBeNull()
      expect(duoChatGlobalState.isShown).toBe(true)
    })

    it('searches, skips disabled results with the keyboard and attaches the pick as a chip', async () => {
      await type('/include ')
      await type('/include cart')
      const listbox = document.querySelector('[role="listbox"][aria-label="Context to include"]')!
      await vi.waitFor(() => expect(listbox.querySelectorAll('[role="option"]')).toHaveLength(3))
      expect([...listbox.querySelectorAll('[role="option"]')].map((o) => o.getAttribute('aria-disabled'))).toEqual([null, 'true', null])
      expect(listbox.textContent).toContain('AI features are turned off')
      await press('ArrowDown')
      expect(listbox.querySelector('[aria-selected="true"]')?.textContent).toContain('Cart cart.ts')
      await press('Enter')
      expect(prompt().value).toBe('')
      expect(chipNames()).toContain('Cart cart.ts')
      expect(api.sent).toHaveLength(0)
    })
  })

  it('/clear starts a new conversation without a request', async () => {
    await type('hello')
    await press('Enter')
    api.broadcast({ requestId: 'request-1', role: 'ASSISTANT', content: 'Hi' })
    await flushPromises()
    await type('/clear ')
    await press('Enter')
    expect(api.sent).toHaveLength(1)
    expect(document.querySelectorAll('article')).toHaveLength(0)
  })
})
