// @vitest-environment jsdom
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FakeChatApi } from '../../tests/fakeChatApi'
import { createDuoChat } from '../plugin'
import { commandQueue, duoChatGlobalState, focusChatInput } from '../state/globalState'
import { sendDuoChatCommand } from '../state/sendDuoChatCommand'
import DuoChatDrawer from './DuoChatDrawer.vue'

const ISSUE = 'gid://gitlab/Issue/1'
const MR = 'gid://gitlab/MergeRequest/1'

const queuedList = () => document.querySelector('ul[aria-label="Queued prompts"]')
const queuedItems = () => [...(queuedList()?.querySelectorAll(':scope > li') ?? [])].map((li) => li.querySelector('span')?.textContent)
const button = (name: string) =>
  [...document.querySelectorAll('button')].find((b) => (b.getAttribute('aria-label') ?? b.textContent?.trim()) === name)

describe('sendDuoChatCommand with the drawer', () => {
  let api: FakeChatApi
  let wrapper: VueWrapper
  beforeEach(() => {
    localStorage.clear()
    duoChatGlobalState.isShown = false
    api = new FakeChatApi()
    wrapper = mount(DuoChatDrawer, {
      attachTo: document.body,
      global: { plugins: [createDuoChat({ graphqlUrl: 'http://gateway.test/graphql', userId: 'gid://gitlab/User/1', api, shortcut: 'Alt+D' })] },
    })
  })
  afterEach(async () => {
    commandQueue.clear()
    await flushPromises()
    wrapper.unmount()
    document.body.innerHTML = ''
  })

  /** Answers the request in flight the way the gateway would. */
  async function answerCurrent(content: string) {
    await flushPromises()
    const request = api.sent.at(-1)!
    const requestId = `request-${api.sent.length}`
    api.broadcast({ requestId, role: 'ASSISTANT', content })
    await flushPromises()
    return request
  }

  it.each([
    [{ resourceId: ISSUE }, '"question"'],
    [{ question: '  ', resourceId: ISSUE }, '"question"'],
    [{ question: '/explain' }, '"resourceId"'],
  ])('refuses %j with an error naming the argument', (command, argument) => {
    expect(() => sendDuoChatCommand(command as never)).toThrow(argument)
    expect(duoChatGlobalState.commands).toHaveLength(0)
  })

  it('opens the drawer and passes variables and contexts through to the mutation', async () => {
    const answer = sendDuoChatCommand({
      question: '/explain',
      resourceId: ISSUE,
      variables: { platformOrigin: 'host_app' },
      contexts: [{ id: 'file-1', category: 'FILE', title: 'a.ts', content: 'const a = 1' }],
    })
    expect(duoChatGlobalState.isShown).toBe(true)
    const sent = await answerCurrent('It explains.')
    expect(sent).toMatchObject({ question: '/explain', resourceId: ISSUE, variables: { platformOrigin: 'host_app' }, contexts: [{ id: 'file-1', title: 'a.ts' }] })
    await expect(answer).resolves.toEqual({ requestId: 'request-1', threadId: 'gid://gitlab/Ai::Conversation::Thread/1', content: 'It explains.', errors: [] })
  })

  const FILE_CHIP = { id: 'acme/shop:src/checkout/button.ts', category: 'FILE' as const, title: 'button.ts', content: 'export function onClick() {}' }
  const MR_CHIP = { id: MR, category: 'MERGE_REQUEST' as const, title: 'Fix Safari checkout click handler' }
  /** The accessible names of a chips list's items, as the other chips lists name them. */
  const chipNames = (list: Element | null | undefined) =>
    [...(list?.querySelectorAll(':scope > .duo-chat-chip') ?? [])].map((chip) => chip.getAttribute('aria-label') ?? chip.querySelector('.duo-chat-chip__title')?.textContent)

  it('a command takes the same ContextItem chips as the global state, answers, and its question lists them under "Context used"', async () => {
    duoChatGlobalState.contexts = [FILE_CHIP]
    try {
      // The very objects the host attached beside the prompt.
      const answer = sendDuoChatCommand({ question: 'Why does the button not work?', resourceId: ISSUE, contexts: [...duoChatGlobalState.contexts, MR_CHIP] })
      const sent = await answerCurrent('Because Safari never fires touchend.')
      expect(sent.contexts).toEqual([FILE_CHIP, MR_CHIP])
      await expect(answer).resolves.toMatchObject({ content: 'Because Safari never fires touchend.', errors: [] })
      const question = [...document.querySelectorAll('article')].find((a) => a.textContent?.includes('Why does the button not work?'))!
      const used = question.querySelector('ul[aria-label="Context used"]')
      expect(chipNames(used)).toEqual(['Issue 1', 'button.ts', 'Fix Safari checkout click handler'])
    } finally {
      duoChatGlobalState.contexts = []
    }
  })

  it('a queued command shows its resource and context as chips, so the user sees them before they are sent', async () => {
    duoChatGlobalState.resourceId = ISSUE
    duoChatGlobalState.resourceTitle = 'Checkout button unresponsive on Safari'
    try {
      void sendDuoChatCommand({ question: '/explain', resourceId: ISSUE })
      const queued = sendDuoChatCommand({ question: 'Is this fixed?', resourceId: ISSUE, contexts: [FILE_CHIP, MR_CHIP] })
      const mrOnly = sendDuoChatCommand({ question: 'Summarize this merge request', resourceId: MR, contexts: [MR_CHIP] })
      await flushPromises()
      expect(queuedItems()).toEqual(['Is this fixed?', 'Summarize this merge request'])
      const chips = document.querySelector('[role="group"][aria-label="Context for Is this fixed?"]')
      expect(chipNames(chips)).toEqual(['Checkout button unresponsive on Safari', 'button.ts', 'Fix Safari checkout click handler'])
      // A context item that stands for the resource is its chip; the resource is not listed twice.
      expect(chipNames(document.querySelector('[role="group"][aria-label="Context for Summarize this merge request"]'))).toEqual(['Fix Safari checkout click handler'])
      button('Remove Is this fixed?')!.click()
      await expect(queued).rejects.toMatchObject({ name: 'AbortError' })
      await flushPromises()
      expect(document.querySelector('[role="group"][aria-label="Context for Is this fixed?"]')).toBeNull()
      await answerCurrent('explained')
      await answerCurrent('summarized')
      await expect(mrOnly).resolves.toMatchObject({ content: 'summarized' })
      expect(api.sent.map((s) => s.contexts?.map((c) => c.title))).toEqual([[], ['Fix Safari checkout click handler']])
    } finally {
      duoChatGlobalState.resourceId = null
      duoChatGlobalState.resourceTitle = null
    }
  })

  it('shows a queued item the host marked unusable as disabled, with the reason, and does not send it', async () => {
    void sendDuoChatCommand({ question: '/explain', resourceId: ISSUE })
    const legacy = { id: 'gid://gitlab/Issue/50', category: 'ISSUE' as const, title: 'Legacy issue', disabledReason: 'AI features are turned off for acme/legacy.' }
    void sendDuoChatCommand({ question: 'Compare them', resourceId: ISSUE, contexts: [FILE_CHIP, legacy] })
    await flushPromises()
    const chips = [...document.querySelectorAll('[role="group"][aria-label="Context for Compare them"] > .duo-chat-chip')]
    const chip = chips.find((c) => c.textContent?.includes('Legacy issue'))!
    expect(chip.classList).toContain('duo-chat-chip--disabled')
    expect(chip.textContent).toContain('Not sent: AI features are turned off for acme/legacy.')
    await answerCurrent('explained')
    await answerCurrent('compared')
    expect(api.sent[1]?.contexts?.map((c) => c.title)).toEqual(['button.ts'])
  })

  it('names a context item without a title by its metadata title, then its id', async () => {
    const answer = sendDuoChatCommand({
      question: 'Summarize this merge request',
      resourceId: MR,
      contexts: [{ id: MR, category: 'MERGE_REQUEST', content: 'Title: Fix Safari', metadata: { title: 'Fix Safari checkout click handler' } } as never, { id: 'notes.txt', category: 'FILE' } as never],
    })
    const sent = await answerCurrent('ok')
    expect(sent.contexts?.map((c) => c.title)).toEqual(['Fix Safari checkout click handler', 'notes.txt'])
    await expect(answer).resolves.toMatchObject({ content: 'ok' })
  })

  it.each([
    [{ contexts: 'button.ts' }, '"contexts" must be a list'],
    [{ contexts: [null] }, '"contexts"[0] must be an object'],
    [{ contexts: [{ category: 'FILE', title: 'a.ts' }] }, '"contexts"[0] needs an "id"'],
    [{ contexts: [{ id: 'a.ts', category: 'PDF', title: 'a.ts' }] }, '"contexts"[0] needs a "category", one of DEPENDENCY, FILE, ISSUE'],
  ])('refuses bad contexts %j with an error naming the item, and queues nothing', (extra, message) => {
    expect(() => sendDuoChatCommand({ question: '/explain', resourceId: ISSUE, ...(extra as object) })).toThrow(message)
    expect(duoChatGlobalState.commands).toHaveLength(0)
  })

  it('lists waiting commands under "Queued prompts" and runs them in order', async () => {
    const first = sendDuoChatCommand({ question: '/explain', resourceId: ISSUE })
    const second = sendDuoChatCommand({ question: 'Summarize this merge request', resourceId: MR })
    const third = sendDuoChatCommand({ question: 'What changed?', resourceId: MR })
    await flushPromises()
    expect(queuedItems()).toEqual(['Summarize this merge request', 'What changed?'])
    await answerCurrent('one')
    expect(queuedItems()).toEqual(['What changed?'])
    await answerCurrent('two')
    expect(queuedList()).toBeNull()
    await answerCurrent('three')
    await expect(Promise.all([first, second, third])).resolves.toMatchObject([{ content: 'one' }, { content: 'two' }, { content: 'three' }])
    expect(api.sent.map((s) => s.question)).toEqual(['/explain', 'Summarize this merge request', 'What changed?'])
  })

  it('Remove takes a waiting command out: it rejects with AbortError and never runs', async () => {
    void sendDuoChatCommand({ question: '/explain', resourceId: ISSUE })
    const removed = sendDuoChatCommand({ question: 'Summarize this merge request', resourceId: MR })
    await flushPromises()
    button('Remove Summarize this merge request')!.click()
    await expect(removed).rejects.toMatchObject({ name: 'AbortError' })
    await flushPromises()
    expect(queuedList()).toBeNull()
    await answerCurrent('done')
    expect(api.sent.map((s) => s.question)).toEqual(['/explain'])
  })

  it('Stop rejects the running command with AbortError and the next one still answers', async () => {
    const stopped = sendDuoChatCommand({ question: '/explain', resourceId: ISSUE })
    const next = sendDuoChatCommand({ question: 'Summarize this merge request', resourceId: MR })
    await flushPromises()
    button('Stop')!.click()
    await expect(stopped).rejects.toMatchObject({ name: 'AbortError' })
    await answerCurrent('Summary.')
    await expect(next).resolves.toMatchObject({ content: 'Summary.' })
  })

  it('a command rejects with the error code of a failed answer', async () => {
    const failing = sendDuoChatCommand({ question: '/explain', resourceId: 'gid://gitlab/Issue/99' })
    await flushPromises()
    api.broadcast({ requestId: 'request-1', role: 'ASSISTANT', content: '', errors: ['Error code: M3003'] })
    await expect(failing).rejects.toMatchObject({ code: 'M3003' })
  })

  it('new chat commands start a new thread', async () => {
    void sendDuoChatCommand({ question: 'first', resourceId: ISSUE })
    await answerCurrent('a')
    void sendDuoChatCommand({ question: 'second', resourceId: ISSUE, newChat: true })
    await answerCurrent('b')
    expect(api.sent.map((s) => s.threadId)).toEqual([null, null])
    expect([...document.querySelectorAll('article')].map((a) => a.textContent)).toEqual([expect.stringContaining('second'), expect.stringContaining('b')])
  })

  it('Alt+D toggles the drawer and focusChatInput() opens it with the prompt focused', async () => {
    window.dispatchEvent(new KeyboardEvent('keydown', { code: 'KeyD', key: '∂', altKey: true }))
    await flushPromises()
    expect(duoChatGlobalState.isShown).toBe(true)
    window.dispatchEvent(new KeyboardEvent('keydown', { code: 'KeyD', key: '∂', altKey: true }))
    expect(duoChatGlobalState.isShown).toBe(false)
    focusChatInput()
    await flushPromises()
    expect(duoChatGlobalState.isShown).toBe(true)
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Chat prompt')
  })

  it('keeps the draft when closed and reopened (no remount)', async () => {
    duoChatGlobalState.isShown = true
    await flushPromises()
    const prompt = document.querySelector<HTMLTextAreaElement>('textarea')!
    prompt.value = 'half-written question'
    prompt.dispatchEvent(new Event('input'))
    duoChatGlobalState.isShown = false
    await flushPromises()
    duoChatGlobalState.isShown = true
    await flushPromises()
    expect(document.querySelector('textarea')).toBe(prompt)
    expect(prompt.value).toBe('half-written question')
  })
})
