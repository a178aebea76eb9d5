// @vitest-environment jsdom
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { FakeChatApi } from '../../tests/fakeChatApi'
import { createDuoChat } from '../plugin'
import { duoChatGlobalState } from '../state/globalState'
import DuoChatDrawer from './DuoChatDrawer.vue'

const button = (name: string, root: ParentNode = document) =>
  [...root.querySelectorAll('button')].find((b) => (b.getAttribute('aria-label') ?? b.textContent?.trim()) === name)
const prompt = () => document.querySelector<HTMLTextAreaElement>('textarea[aria-label="Chat prompt"]')!
const articles = () => [...document.querySelectorAll('article')]

async function ask(text: string) {
  prompt().value = text
  prompt().dispatchEvent(new Event('input'))
  await flushPromises()
  prompt().dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }))
  await flushPromises()
}

describe('conversation features', () => {
  let api: FakeChatApi
  let wrapper: VueWrapper
  beforeEach(async () => {
    localStorage.clear()
    duoChatGlobalState.isShown = false
    duoChatGlobalState.resourceId = 'gid://gitlab/Issue/1'
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
  })

  it('an empty conversation offers prompts for the page resource, and a click asks one', async () => {
    const offered = [...document.querySelectorAll('.duo-chat-prompts button')].map((b) => b.textContent?.trim())
    expect(offered).toHaveLength(4)
    expect(offered[0]).toBe('Summarize this issue')
    button('Summarize this issue')!.click()
    await flushPromises()
    expect(api.sent.map((s) => s.question)).toEqual(['Summarize this issue'])
  })

  it('Stop tells the gateway to abort the agent', async () => {
    await ask('Tell me everything')
    api.toRequest(api.lastClientSubscriptionId, { requestId: 'request-1', chunkId: 1, content: 'Well' })
    await flushPromises()
    button('Stop')!.click()
    await flushPromises()
    expect(api.cancelled).toEqual(['request-1'])
    expect(articles()[1]?.getAttribute('data-status')).toBe('stopped')
  })

  it('Helpful sends duoUserFeedback and the buttons give way to a thank-you', async () => {
    await ask('Hi')
    api.broadcast({ requestId: 'request-1', role: 'ASSISTANT', content: 'Hello!', id: 'gid://gitlab/Ai::Message/9' })
    await flushPromises()
    button('Helpful')!.click()
    await flushPromises()
    expect(api.feedback).toEqual([{ aiMessageId: 'gid://gitlab/Ai::Message/9', helpful: true, details: undefined }])
    expect(articles()[1]?.textContent).toContain('Thank you for your feedback.')
    expect(button('Helpful')).toBeUndefined()
  })

  it('Not helpful asks for optional details first', async () => {
    await ask('Hi')
    api.broadcast({ requestId: 'request-1', role: 'ASSISTANT', content: 'Hello!', id: 'm1' })
    await flushPromises()
    button('Not helpful')!.click()
    await flushPromises()
    const details = document.querySelector<HTMLTextAreaElement>('.duo-chat-actions textarea')!
    details.value = 'It ignored the issue.'
    details.dispatchEvent(new Event('input'))
    button('Send feedback')!.click()
    await flushPromises()
    expect(api.feedback).toEqual([{ aiMessageId: 'm1', helpful: false, details: 'It ignored the issue.' }])
  })

  it('Copy puts the answer’s markdown on the clipboard', async () => {
    const writeText = vi.fn(async () => {})
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
    await ask('Hi')
    api.broadcast({ requestId: 'request-1', role: 'ASSISTANT', content: '**Hello** `world`', id: 'm1' })
    await flushPromises()
    button('Copy', articles()[1]!)!.click()
    await flushPromises()
    expect(writeText).toHaveBeenCalledWith('**Hello** `world`')
    expect(button('Copied', articles()[1]!)).toBeDefined()
  })

  it('Chat history lists the chats; opening one loads it; deleting asks first', async () => {
    api.threads = [
      { id: 'thread-1', title: 'Safari checkout', conversationType: 'DUO_CHAT', createdAt: '2026-11-01T10:00:00Z', lastUpdatedAt: '2026-11-01T10:05:00Z' },
      { id: 'thread-2', title: 'Pipelines', conversationType: 'DUO_CHAT', createdAt: '2026-11-02T10:00:00Z', lastUpdatedAt: '2026-11-02T10:05:00Z' },
    ]
    api.history = [
      { requestId: 'old', role: 'USER', content: 'How do pipelines work?', timestamp: '2026-11-02T10:00:00Z', threadId: 'thread-2' },
      { requestId: 'old', role: 'ASSISTANT', content: 'Jobs in stages.', timestamp: '2026-11-02T10:00:01Z', threadId: 'thread-2' },
    ]
    button('Chat history')!.click()
    await flushPromises()
    const list = document.querySelector('ul[aria-label="Chats"]')!
    expect([...list.querySelectorAll(':scope > li')].map((li) => li.getAttribute('aria-label'))).toEqual(['Pipelines', 'Safari checkout'])

    button('Delete Safari checkout')!.click()
    await flushPromises()
    expect(api.deletedThreads).toEqual([])
    button('Delete', list.querySelector('[role="group"]')!)!.click()
    await flushPromises()
    expect(api.deletedThreads).toEqual(['thread-1'])

    list.querySelector<HTMLButtonElement>('.duo-chat-threads__open')!.click()
    await flushPromises()
    expect(document.querySelector('ul[aria-label="Chats"]')).toBeNull()
    expect(articles().map((a) => a.querySelector('p, .duo-chat-message__markdown')?.textContent?.trim())).toEqual(['How do pipelines work?', 'Jobs in stages.'])
    expect(localStorage.getItem('duo-chat-drawer:thread:gid://gitlab/User/1')).toBe('thread-2')
  })
})
