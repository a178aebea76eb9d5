// @vitest-environment jsdom
/** "Insert code": code blocks hand their code to a host that takes it (createDuoChat's onInsertCode, or the element's DOM event). */
import { flushPromises, mount as mountComponent, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { FakeChatApi } from '../../tests/fakeChatApi'
import { mount, type MountedDuoChat } from '../element'
import { createDuoChat, type DuoChatOptions } from '../plugin'
import { duoChatGlobalState } from '../state/globalState'
import DuoChatDrawer from './DuoChatDrawer.vue'

const ANSWER = 'Remove the overlay:\n\n```js\ndocument.querySelector(".promo")?.remove()\n```\n'

/** Asks a question in the drawer inside `root` and lets the fake gateway answer with a code block. */
async function answerWithCode(root: ParentNode, api: FakeChatApi): Promise<void> {
  duoChatGlobalState.isShown = true
  await flushPromises()
  const prompt = root.querySelector<HTMLTextAreaElement>('textarea')!
  prompt.value = 'Why?'
  prompt.dispatchEvent(new Event('input'))
  await flushPromises()
  prompt.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }))
  await flushPromises()
  api.broadcast({ requestId: 'request-1', role: 'ASSISTANT', id: 'gid://gitlab/Ai::Message/1', content: ANSWER })
  await flushPromises()
  await vi.waitFor(() => expect(root.querySelector('.duo-chat-code')).not.toBeNull())
}

const buttonsOf = (root: ParentNode) => [...root.querySelectorAll<HTMLButtonElement>('.duo-chat-code button')]

describe('Insert code', () => {
  let wrapper: VueWrapper | null = null
  let mounted: MountedDuoChat | null = null
  afterEach(() => {
    wrapper?.unmount()
    mounted?.unmount()
    wrapper = null
    mounted = null
    document.body.replaceChildren()
    duoChatGlobalState.isShown = false
    localStorage.clear()
  })

  function drawer(options: Partial<DuoChatOptions>, api: FakeChatApi): void {
    wrapper = mountComponent(DuoChatDrawer, {
      attachTo: document.body,
      global: { plugins: [createDuoChat({ graphqlUrl: 'http://gateway.test/graphql', userId: 'gid://gitlab/User/1', api, ...options } as DuoChatOptions)] },
    })
  }

  it('is offered beside Copy when the host passes onInsertCode, and hands over the code and its language', async () => {
    const api = new FakeChatApi()
    const onInsertCode = vi.fn()
    drawer({ onInsertCode, labels: { insertCode: 'Code einfügen' } }, api)
    await answerWithCode(document, api)
    expect(buttonsOf(document).map((b) => b.textContent)).toEqual(['Code einfügen', 'Copy'])
    buttonsOf(document)[0]!.click()
    expect(onInsertCode).toHaveBeenCalledWith('document.querySelector(".promo")?.remove()\n', 'js')
  })

  it('is not offered when the host takes no code', async () => {
    const api = new FakeChatApi()
    drawer({}, api)
    await answerWithCode(document, api)
    expect(buttonsOf(document).map((b) => b.textContent)).toEqual(['Copy'])
  })

  it('reaches a script-tag page as a duo-chat-insert-code event on the host element', async () => {
    const api = new FakeChatApi()
    const host = document.body.appendChild(document.createElement('div'))
    const onInsertCode = vi.fn()
    const events: unknown[] = []
    document.addEventListener('duo-chat-insert-code', (event) => events.push((event as CustomEvent).detail), { once: true })
    mounted = mount(host, { graphqlUrl: 'http://gateway.test/graphql', userId: 'gid://gitlab/User/1', api, onInsertCode })
    await answerWithCode(host.shadowRoot!, api)
    buttonsOf(host.shadowRoot!)[0]!.click()
    expect(events).toEqual([{ code: 'document.querySelector(".promo")?.remove()\n', language: 'js' }])
    expect(onInsertCode).toHaveBeenCalledOnce()
  })
})
