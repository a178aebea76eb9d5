// @vitest-environment jsdom
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import { FakeChatApi } from '../../tests/fakeChatApi'
import { createDuoChat } from '../plugin'
import { duoChatGlobalState } from '../state/globalState'
import DuoChatDrawer from './DuoChatDrawer.vue'

const plugin = () => createDuoChat({ graphqlUrl: 'http://gateway.test/graphql', userId: 'gid://gitlab/User/1', api: new FakeChatApi() })
const aside = () => document.querySelector<HTMLElement>('aside[aria-label="Duo Chat"]')!
const isVisible = () => aside().style.display !== 'none'

/** A host that owns the open state: `<DuoChatDrawer v-model:open="open" />`. */
function mountHost(initial: boolean) {
  const open = ref(initial)
  const Host = defineComponent(() => () => h(DuoChatDrawer, { open: open.value, 'onUpdate:open': (value: boolean) => (open.value = value) }))
  const wrapper = mount(Host, { attachTo: document.body, global: { plugins: [plugin()] } })
  return { open, wrapper }
}

describe('DuoChatDrawer v-model:open', () => {
  beforeEach(() => {
    localStorage.clear()
    duoChatGlobalState.isShown = false
  })
  afterEach(() => {
    document.body.innerHTML = ''
    duoChatGlobalState.isShown = false
  })

  it('opens and closes from the host’s state, and the global state follows', async () => {
    const { open, wrapper } = mountHost(true)
    await flushPromises()
    expect(duoChatGlobalState.isShown).toBe(true)
    expect(isVisible()).toBe(true)
    open.value = false
    await flushPromises()
    expect(duoChatGlobalState.isShown).toBe(false)
    expect(isVisible()).toBe(false)
    wrapper.unmount()
  })

  it('tells the host when the drawer closes on Escape or opens from the global state', async () => {
    const { open, wrapper } = mountHost(false)
    duoChatGlobalState.isShown = true
    await flushPromises()
    expect(open.value).toBe(true)
    aside().dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }))
    await flushPromises()
    expect(open.value).toBe(false)
    expect(isVisible()).toBe(false)
    wrapper.unmount()
  })

  it('tells the host when Close is clicked', async () => {
    const { open, wrapper } = mountHost(true)
    await flushPromises()
    document.querySelector<HTMLButtonElement>('button[aria-label="Close"]')!.click()
    await flushPromises()
    expect(open.value).toBe(false)
    expect(duoChatGlobalState.isShown).toBe(false)
    wrapper.unmount()
  })

  it('without v-model follows the global state, and still reports each change', async () => {
    const wrapper = mount(DuoChatDrawer, { attachTo: document.body, global: { plugins: [plugin()] } })
    expect(isVisible()).toBe(false)
    duoChatGlobalState.isShown = true
    await flushPromises()
    expect(isVisible()).toBe(true)
    expect(wrapper.emitted('update:open')).toEqual([[true]])
    wrapper.unmount()
  })
})
