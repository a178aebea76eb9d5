// @vitest-environment jsdom
/**
 * The README's example of a host app testing its own integration with the test kit: the host's
 * buttons, the real drawer and its Apollo client, and the mock gateway served by msw. Nothing here
 * uses the library's internals; a host app can copy this file.
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import { createDuoChat, DuoChatDrawer, duoChatGlobalState, sendDuoChatCommand } from 'duo-chat-drawer'
import { createMockGateway, scenario } from 'duo-chat-drawer/mocks'

// The host's page: a button that opens the drawer, one that asks Duo to explain the issue.
const IssuePage = defineComponent(() => {
  const explanation = ref('')
  const failure = ref('')
  async function explain() {
    try {
      const answer = await sendDuoChatCommand({ question: '/explain', resourceId: 'gid://gitlab/Issue/1' })
      explanation.value = answer.content
    } catch (error) {
      failure.value = (error as { code?: string }).code ?? String(error)
    }
  }
  return () =>
    h('main', [
      h('button', { onClick: () => (duoChatGlobalState.isShown = !duoChatGlobalState.isShown) }, 'Ask GitLab Duo'),
      h('button', { onClick: explain }, 'Explain this issue'),
      h('output', { 'data-testid': 'explanation' }, explanation.value),
      h('output', { 'data-testid': 'failure' }, failure.value),
      h(DuoChatDrawer),
    ])
})

const mock = createMockGateway({ timing: 'instant' })
const server = setupServer(...mock.handlers)
let page: VueWrapper | undefined

function mountPage() {
  page = mount(IssuePage, {
    attachTo: document.body,
    global: { plugins: [createDuoChat({ ...mock.duoChatOptions('alice'), resourceId: 'gid://gitlab/Issue/1' })] },
  })
  return page
}

const button = (name: string) => [...document.querySelectorAll('button')].find((b) => (b.getAttribute('aria-label') ?? b.textContent?.trim()) === name)
const articles = () => [...document.querySelectorAll('[aria-label="Chat messages"] article')]

/** Polls until `test` passes, as the answer streams in over the mocked socket. */
async function waitFor(test: () => void, expire = 5_000): Promise<void> {
  const deadline = Date.now() + expire
  for (;;) {
    await flushPromises()
    try {
      return test()
    } catch (error) {
      if (Date.now() > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }
}

describe('a host page with the drawer, against the mock gateway', () => {
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
  afterEach(() => {
    page?.unmount()
    document.body.innerHTML = ''
    duoChatGlobalState.isShown = false
    // The drawer remembers its conversation per user, as across page loads; the reset gateway forgot it.
    localStorage.clear()
    mock.reset()
    server.resetHandlers()
  })
  afterAll(() => {
    server.close()
    mock.dispose()
  })

  it('explains the issue: the agent reads it and the answer reaches the page and the drawer', async () => {
    mountPage()
    button('Explain this issue')!.click()
    await waitFor(() => expect(document.querySelector('[data-testid="explanation"]')!.textContent).toContain('Checkout button unresponsive on Safari'))
    expect(document.querySelector('aside[aria-label="Duo Chat"]')!.getAttribute('style') ?? '').not.toContain('display: none')
    const [question, answer] = articles()
    expect(question!.textContent).toContain('/explain')
    expect(answer!.textContent).toContain('Steps')
    expect(answer!.textContent).toContain('Issue Reader')
  })

  it('shows a scripted error with its code and a Retry, and the command rejects with the code', async () => {
    scenario({ errorCode: 'A1001' })
    mountPage()
    button('Explain this issue')!.click()
    await waitFor(() => expect(document.querySelector('[data-testid="failure"]')!.textContent).toBe('A1001'))
    expect(document.querySelector('[role="alert"]')!.textContent).toContain('Error code: A1001')
    expect(button('Retry')).toBeDefined()
  })

  it('loads the conversation the user had before', async () => {
    await mock.seedConversation([
      { question: 'What is issue #1 about?', answer: 'The **Pay now** button does nothing on Safari.' },
      { question: 'Who is working on it?', answer: 'Alice has a merge request open.' },
    ])
    mountPage()
    button('Ask GitLab Duo')!.click()
    await waitFor(() => expect(articles()).toHaveLength(4))
    expect(articles()[1]!.querySelector('strong')!.textContent).toBe('Pay now')
  })
})
