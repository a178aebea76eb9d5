// @vitest-environment jsdom
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FakeChatApi } from '../../tests/fakeChatApi'
import { createDuoChat } from '../plugin'
import { duoChatGlobalState } from '../state/globalState'
import DuoChatDrawer from './DuoChatDrawer.vue'

function mountDrawer() {
  const api = new FakeChatApi()
  const opener = document.createElement('button')
  opener.textContent = 'Ask GitLab Duo'
  document.body.append(opener)
  const wrapper = mount(DuoChatDrawer, {
    attachTo: document.body,
    global: { plugins: [createDuoChat({ graphqlUrl: 'http://gateway.test/graphql', userId: 'gid://gitlab/User/1', api })] },
  })
  return { api, wrapper, opener }
}

const prompt = () => document.querySelector<HTMLTextAreaElement>('textarea[aria-label="Chat prompt"]')!
const button = (name: string) =>
  [...document.querySelectorAll('button')].find((b) => (b.getAttribute('aria-label') ?? b.textContent?.trim()) === name)

async function type(text: string) {
  prompt().value = text
  prompt().dispatchEvent(new Event('input'))
  await flushPromises()
}

async function press(key: string, init: KeyboardEventInit = {}) {
  prompt().dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init }))
  await flushPromises()
}

describe('DuoChatDrawer', () => {
  let mounted: ReturnType<typeof mountDrawer>
  beforeEach(() => {
    localStorage.clear()
    duoChatGlobalState.isShown = false
    duoChatGlobalState.resourceId = 'gid://gitlab/Issue/1'
    mounted = mountDrawer()
  })
  afterEach(() => {
    mounted.wrapper.unmount()
    document.body.innerHTML = ''
  })

  it('is hidden until opened, then named "Duo Chat" with the prompt focused', async () => {
    const aside = document.querySelector('aside')!
    expect(aside.getAttribute('aria-label')).toBe('Duo Chat')
    expect(aside.style.display).toBe('none')
    mounted.opener.focus()
    duoChatGlobalState.isShown = true
    await flushPromises()
    expect(aside.style.display).toBe('')
    expect(document.activeElement).toBe(prompt())
  })

  describe('when open', () => {
    beforeEach(async () => {
      mounted.opener.focus()
      duoChatGlobalState.isShown = true
      await flushPromises()
    })

    it('closes on Escape and gives focus back to the opener', async () => {
      await press('Escape')
      expect(duoChatGlobalState.isShown).toBe(false)
      expect(document.activeElement).toBe(mounted.opener)
    })

    it('keeps the drawer open when the escapeKeyDown event is prevented', async () => {
      await mounted.wrapper.setProps({ onEscapeKeyDown: (event: KeyboardEvent) => event.preventDefault() })
      await press('Escape')
      expect(duoChatGlobalState.isShown).toBe(true)
    })

    it('disables Send for an empty or blank prompt', async () => {
      expect(button('Send')?.disabled).toBe(true)
      await type('   ')
      expect(button('Send')?.disabled).toBe(true)
      await press('Enter')
      expect(mounted.api.sent).toHaveLength(0)
    })

    it('sends on Enter, keeps Shift+Enter and IME composition for the text', async () => {
      await type('What is issue #1 about?')
      await press('Enter', { shiftKey: true })
      await press('Enter', { isComposing: true })
      expect(mounted.api.sent).toHaveLength(0)
      await press('Enter')
      expect(mounted.api.sent.map((s) => s.question)).toEqual(['What is issue #1 about?'])
      expect(prompt().value).toBe('')
    })

    it('refuses a prompt over 10,000 characters and keeps the draft', async () => {
      const draft = 'a'.repeat(10_001)
      await type(draft)
      await press('Enter')
      expect(mounted.api.sent).toHaveLength(0)
      expect(prompt().value).toBe(draft)
      expect(document.querySelector('[role="alert"]')?.textContent).toContain('the limit is 10,000')
    })

    it('shows the question, the tool step, the streamed answer, then Send again', async () => {
      await type('What is issue #1 about?')
      await press('Enter')
      const csid = mounted.api.lastClientSubscriptionId
      expect(button('Stop')).toBeDefined()
      mounted.api.toRequest(csid, { role: 'SYSTEM', type: 'TOOL', content: 'Issue Reader' })
      await flushPromises()
      const log = document.querySelector('[role="log"]')!
      expect(log.getAttribute('aria-label')).toBe('Chat messages')
      expect(log.textContent).toContain('Issue Reader')
      mounted.api.toRequest(csid, { requestId: 'request-1', chunkId: 1, content: 'It is about **Safari**' })
      await flushPromises()
      const articles = [...log.querySelectorAll('article')]
      const names = articles.map((a) => document.getElementById(a.getAttribute('aria-labelledby')!)?.textContent)
      expect(names).toEqual(['You', 'GitLab Duo'])
      expect(articles[1]?.querySelector('strong')?.textContent).toBe('Safari')
      mounted.api.broadcast({ requestId: 'request-1', role: 'ASSISTANT', content: 'It is about **Safari** checkout.' })
      await flushPromises()
      expect(articles[1]?.textContent).toContain('Safari checkout.')
      expect(button('Send')).toBeDefined()
      expect(document.querySelector('[aria-live="polite"]')?.textContent).toBe('Answer ready')
    })

    it('never puts hostile markup from the model into the page', async () => {
      await type('Hi')
      await press('Enter')
      mounted.api.broadcast({
        requestId: 'request-1',
        role: 'ASSISTANT',
        content: '<img src=x onerror="alert(1)"> [click](javascript:alert(1)) <script>alert(1)</script>',
      })
      await flushPromises()
      const answer = document.querySelectorAll('article')[1]!
      expect(answer.querySelector('img, script')).toBeNull()
      const attributes = [...answer.querySelectorAll('*')].flatMap((el) => [...el.attributes].map((a) => `${a.name}=${a.value}`))
      expect(attributes.filter((a) => /^on|javascript:/i.test(a))).toEqual([])
      // Raw HTML from the model is shown as text, not dropped silently.
      expect(answer.textContent).toContain('<script>alert(1)</script>')
    })

    it('shows an error with its code and a Retry that asks again', async () => {
      await type('What is issue #99 about?')
      await press('Enter')
      mounted.api.broadcast({ requestId: 'request-1', role: 'ASSISTANT', content: '', errors: ['Error code: M3003'] })
      await flushPromises()
      const alert = document.querySelector('article [role="alert"]')!
      expect(alert.textContent).toContain('Error code: M3003')
      expect(alert.textContent).toContain("You don't have access")
      button('Retry')!.click()
      await flushPromises()
      expect(mounted.api.sent.map((s) => s.question)).toEqual(['What is issue #99 about?', 'What is issue #99 about?'])
    })
  })
})
