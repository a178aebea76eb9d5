// @vitest-environment jsdom
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import { FakeChatApi } from '../../tests/fakeChatApi'
import { createDuoChat } from '../plugin'
import { duoChatGlobalState } from '../state/globalState'
import DuoChatDrawer from './DuoChatDrawer.vue'

function mountDrawer(props: Record<string, unknown> = {}, labels = {}) {
  localStorage.clear()
  duoChatGlobalState.isShown = true
  duoChatGlobalState.resourceId = 'gid://gitlab/Issue/1'
  return mount(DuoChatDrawer, {
    attachTo: document.body,
    props,
    global: { plugins: [createDuoChat({ graphqlUrl: 'http://gateway.test/graphql', userId: 'gid://gitlab/User/1', api: new FakeChatApi(), labels })] },
  })
}

describe('theming and text', () => {
  afterEach(() => {
    document.body.innerHTML = ''
  })

  it('replaces any string through the labels option, accessibility names included', async () => {
    const wrapper = mountDrawer({}, { drawer: 'Duo-Chat', prompt: 'Nachricht', send: 'Senden', newChat: 'Neuer Chat', title: 'GitLab Duo', remove: (title: string) => `${title} entfernen` })
    await flushPromises()
    expect(document.querySelector('aside')?.getAttribute('aria-label')).toBe('Duo-Chat')
    expect(document.querySelector('textarea')?.getAttribute('aria-label')).toBe('Nachricht')
    const buttons = [...document.querySelectorAll('button')].map((b) => b.getAttribute('aria-label') ?? b.textContent?.trim())
    expect(buttons).toEqual(expect.arrayContaining(['Senden', 'Neuer Chat', 'Issue 1 entfernen']))
    expect(document.querySelector('h2')?.textContent).toBe('GitLab Duo')
    wrapper.unmount()
  })

  it('keeps English defaults for every label not given', async () => {
    const wrapper = mountDrawer({}, { send: 'Senden' })
    await flushPromises()
    expect(document.querySelector('aside')?.getAttribute('aria-label')).toBe('Duo Chat')
    expect(document.querySelector('textarea')?.getAttribute('aria-label')).toBe('Chat prompt')
    wrapper.unmount()
  })

  it.each([
    ['auto', null],
    ['dark', 'dark'],
    ['light', 'light'],
  ])('theme %s sets data-theme %s (auto follows prefers-color-scheme)', async (theme, attribute) => {
    const wrapper = mountDrawer({ theme })
    await flushPromises()
    expect(document.querySelector('aside')?.getAttribute('data-theme')).toBe(attribute)
    wrapper.unmount()
  })

  it('lays out right to left when asked', async () => {
    const wrapper = mountDrawer({ dir: 'rtl' })
    await flushPromises()
    expect(document.querySelector('aside')?.getAttribute('dir')).toBe('rtl')
    wrapper.unmount()
  })
})
