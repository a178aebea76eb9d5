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
