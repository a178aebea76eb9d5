// @vitest-environment jsdom
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { FakeChatApi } from '../../tests/fakeChatApi'
import { registerContextProvider } from '../context/registry'
import { createDuoChat } from '../plugin'
import { duoChatGlobalState } from '../state/globalState'
import DuoChatDrawer from './DuoChatDrawer.vue'

const ALICE = 'gid://gitlab/User/1'
const BOB = 'gid://gitlab/User/2'

const button = (name: string) =>
  [...document.querySelectorAll<HTMLButtonElement>('button')].find((b) => (b.getAttribute('aria-label') ?? b.textContent?.trim()) === name)
const switches = () => [...document.querySelectorAll<HTMLElement>('[role="switch"]')]
const switchNamed = (name: string) => switches().find((s) => s.textContent?.trim() === name)!
const state = () => switches().map((s) => [s.textContent!.trim(), s.getAttribute('aria-checked')])

describe('Context sources', () => {
  let wrapper: VueWrapper | null = null
  let api: FakeChatApi
  const unregisters: (() => void)[] = []
  const provide = vi.fn(async () => ({ id: 'sel', category: 'SNIPPET' as const, title: 'Selected lines', content: 'pay()' }))

  function open(userId: string) {
    wrapper?.unmount()
    document.body.innerHTML = ''
    api = new FakeChatApi()
    api.gatewayProviders = [
      { name: 'gitlabResourceProvider', title: 'Current page', mode: 'proactive', description: null },
      { name: 'documentationProvider', title: 'GitLab documentation', mode: 'proactive', description: null },
    ]
    wrapper = mount(DuoChatDrawer, { attachTo: document.body, global: { plugins: [createDuoChat({ graphqlUrl: 'http://gateway.test/graphql', userId, api })] } })
  }

  /** Types the question in the prompt box and presses Send. */
  async function ask(question: string) {
    const textarea = document.querySelector<HTMLTextAreaElement>('textarea')!
    textarea.value = question
    textarea.dispatchEvent(new Event('input'))
    await flushPromises()
    button('Send')!.click()
  }

  beforeEach(() => {
    localStorage.clear()
    duoChatGlobalState.resourceId = null
    duoChatGlobalState.isShown = true
    provide.mockClear()
    unregisters.push(registerContextProvider({ name: 'selection', title: 'Selected text', category: 'SNIPPET', mode: 'proactive', provide }))
  })
  afterEach(() => {
    for (const unregister of unregisters.splice(0)) unregister()
    wrapper?.unmount()
    wrapper = null
    document.body.innerHTML = ''
    duoChatGlobalState.isShown = false
  })

  it('the header button opens a panel with a switch per provider, the gateway’s and the page’s, all on at first', async () => {
    open(ALICE)
    await flushPromises()
    const toggle = button('Context sources')!
    expect(toggle.getAttribute('aria-expanded')).toBe('false')
    toggle.click()
    await flushPromises()
    expect(toggle.getAttribute('aria-expanded')).toBe('true')
    expect(document.querySelector('section[aria-labelledby]')!.textContent).toContain('Context sources')
    expect(state()).toEqual([
      ['Current page', 'true'],
      ['GitLab documentation', 'true'],
      ['Selected text', 'true'],
    ])
    // Each switch says where its provider lives.
    const described = document.getElementById(switchNamed('Selected text').getAttribute('aria-describedby')!)!
    expect(described.textContent).toContain('This page')
  })

  it('a provider turned off never runs and is sent as excluded; the choice is remembered for this user only', async () => {
    open(ALICE)
    button('Context sources')!.click()
    await flushPromises()
    switchNamed('Selected text').click()
    switchNamed('GitLab documentation').click()
    await flushPromises()
    expect(state()).toEqual([
      ['Current page', 'true'],
      ['GitLab documentation', 'false'],
      ['Selected text', 'false'],
    ])
    await ask('Why does this fail?')
    await vi.waitFor(() => expect(api.sent).toHaveLength(1))
    expect(provide).not.toHaveBeenCalled()
    expect(api.sent[0]!.excludedContextProviders).toEqual(['selection', 'documentationProvider'])

    // A reload: alice's switches stay as she left them.
    open(ALICE)
    button('Context sources')!.click()
    await flushPromises()
    expect(state()).toEqual([
      ['Current page', 'true'],
      ['GitLab documentation', 'false'],
      ['Selected text', 'false'],
    ])

    // Bob, in the same browser, has his own.
    open(BOB)
    button('Context sources')!.click()
    await flushPromises()
    expect(state().every(([, checked]) => checked === 'true')).toBe(true)
  })

  it('turning a provider back on runs it with the next question', async () => {
    localStorage.setItem(`duo-chat-drawer:excluded-context-providers:${ALICE}`, JSON.stringify(['selection']))
    open(ALICE)
    button('Context sources')!.click()
    await flushPromises()
    expect(switchNamed('Selected text').getAttribute('aria-checked')).toBe('false')
    switchNamed('Selected text').click()
    await flushPromises()
    expect(switchNamed('Selected text').getAttribute('aria-checked')).toBe('true')
    await ask('Why does this fail?')
    await vi.waitFor(() => expect(api.sent).toHaveLength(1))
    expect(provide).toHaveBeenCalledTimes(1)
    expect(api.sent[0]!.excludedContextProviders).toEqual([])
    const question = document.querySelector('article')!
    await vi.waitFor(() => expect(question.querySelector('ul[aria-label="Context used"]')!.textContent).toContain('Selected lines'))
    expect(question.querySelector('ul[aria-label="Context used"] li')!.textContent).toContain('from Selected text')
  })
})
