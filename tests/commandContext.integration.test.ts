// @vitest-environment jsdom
/**
 * One context shape end to end: a host passes the same ContextItem it shows beside the prompt to
 * sendDuoChatCommand, the real Apollo transport sends it as GitLab's additionalContext, the mock
 * gateway (served by msw) answers from it, and the question lists it as chips, also after a reload.
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createMockGateway } from '../mocks/index'
import DuoChatDrawer from '../src/components/DuoChatDrawer.vue'
import { createDuoChat } from '../src/plugin'
import type { ContextItem } from '../src/state/contexts'
import { duoChatGlobalState } from '../src/state/globalState'
import { sendDuoChatCommand } from '../src/state/sendDuoChatCommand'

const MR = 'gid://gitlab/MergeRequest/1'
const MR_CHIP: ContextItem = {
  id: MR,
  category: 'MERGE_REQUEST',
  title: 'Fix Safari checkout click handler',
  content: 'Title: Fix Safari checkout click handler\nDescription: Listen to click instead of touchend so Safari places the order.',
  metadata: { iid: 1 },
}

const mock = createMockGateway({ timing: 'instant' })
const server = setupServer(...mock.handlers)
const drawers: VueWrapper[] = []

function mountDrawer() {
  const drawer = mount(DuoChatDrawer, { attachTo: document.body, global: { plugins: [createDuoChat(mock.duoChatOptions('alice'))] } })
  drawers.push(drawer)
  return drawer
}

const articles = () => [...document.querySelectorAll('[aria-label="Chat messages"] article')]
const contextUsed = (article: Element | undefined) =>
  [...(article?.querySelectorAll('ul[aria-label="Context used"] > li') ?? [])].map((li) => li.getAttribute('aria-label'))

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

describe('a command with ContextItem contexts, over the real transport', () => {
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
  afterEach(() => {
    for (const drawer of drawers.splice(0)) drawer.unmount()
    document.body.innerHTML = ''
    duoChatGlobalState.isShown = false
    duoChatGlobalState.contexts = []
    localStorage.clear()
    mock.reset()
  })
  afterAll(() => {
    server.close()
    mock.dispose()
  })

  it('answers from the chip the host attached, and the question shows it as a chip, also after a reload', async () => {
    // The host attached the merge request beside the prompt, then runs a command with the same object.
    duoChatGlobalState.contexts = [MR_CHIP]
    const drawer = mountDrawer()
    const answer = await sendDuoChatCommand({ question: 'Summarize this merge request', resourceId: MR, contexts: [MR_CHIP] })
    expect(answer.errors).toEqual([])
    expect(answer.content).toContain('Fix Safari checkout click handler')
    await waitFor(() => expect(articles()).toHaveLength(2))
    expect(articles()[1]!.textContent).not.toContain('Merge Request Reader')
    expect(contextUsed(articles()[0])).toEqual(['Fix Safari checkout click handler'])

    drawer.unmount()
    drawers.length = 0
    document.body.innerHTML = ''
    mountDrawer()
    duoChatGlobalState.isShown = true
    await waitFor(() => expect(articles()).toHaveLength(2))
    expect(contextUsed(articles()[0])).toEqual(['Fix Safari checkout click handler'])
  })
})
