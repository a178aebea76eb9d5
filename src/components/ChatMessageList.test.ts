// @vitest-environment jsdom
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { nextTick, reactive } from 'vue'
import type { ChatMessage } from '../state/types'
import ChatMessageList from './ChatMessageList.vue'

function message(index: number, fields: Partial<ChatMessage> = {}): ChatMessage {
  const role = index % 2 ? 'ASSISTANT' : 'USER'
  return reactive({
    key: `${role}:${index}`,
    id: null,
    requestId: `r${Math.floor(index / 2)}`,
    role,
    content: role === 'USER' ? `Question ${index}` : `## Answer ${index}\n\nSee **step ${index}**.`,
    errors: [],
    status: 'complete',
    timestamp: new Date(Date.UTC(2026, 0, 1, 9, 0, index)).toISOString(),
    threadId: null,
    extras: null,
    toolSteps: [],
    ...fields,
  }) as ChatMessage
}

const nextFrame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()))

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.replaceChildren()
})

describe('ChatMessageList', () => {
  it('streams an answer into its markdown container, a frame at a time, and renders it in full when complete', async () => {
    const answer = message(1, { content: '', status: 'streaming' })
    const wrapper = mount(ChatMessageList, { props: { messages: [message(0), answer] }, attachTo: document.body, global: { stubs: { ChatAnswerActions: true } } })
    answer.content = 'Checking **the'
    await nextTick()
    await nextFrame()
    const article = wrapper.findAll('article').at(-1)!
    expect(article.attributes('data-status')).toBe('streaming')
    expect(article.find('.duo-chat-message__markdown strong').text()).toBe('the')
    answer.content = 'Checking **the checkout** flow.\n\n```js\nsubmit()\n```'
    answer.status = 'complete'
    await nextTick()
    expect(article.find('.duo-chat-message__markdown').text()).toContain('Checking the checkout flow.')
    expect(article.find('.duo-chat-code__lang').text()).toBe('js')
    expect(article.find('button').text()).toBe('Copy')
    wrapper.unmount()
  })

  it('opens a long history on its newest messages and adds the older ones right after', async () => {
    const messages = Array.from({ length: 300 }, (_, i) => message(i))
    const wrapper = mount(ChatMessageList, { props: { messages }, attachTo: document.body, global: { stubs: { ChatAnswerActions: true } } })
    const count = (): number => wrapper.findAll('article').length
    expect(count()).toBeLessThan(100)
    expect(wrapper.findAll('article').at(-1)!.text()).toContain('Answer 299')
    await vi.waitFor(() => expect(count()).toBe(300), { timeout: 10_000 })
    expect(wrapper.findAll('article').at(0)!.text()).toContain('Question 0')
    wrapper.unmount()
  })

  it('renders the markdown of old messages only when they scroll near', async () => {
    const observed = new Map<Element, IntersectionObserverCallback>()
    vi.stubGlobal(
      'IntersectionObserver',
      class {
        constructor(private readonly callback: IntersectionObserverCallback) {}
        observe(element: Element): void {
          observed.set(element, this.callback)
        }
        unobserve(element: Element): void {
          observed.delete(element)
        }
        disconnect(): void {}
      },
    )
    const messages = Array.from({ length: 20 }, (_, i) => message(i))
    const wrapper = mount(ChatMessageList, { props: { messages }, attachTo: document.body, global: { stubs: { ChatAnswerActions: true } } })
    const oldest = wrapper.findAll('article')[1]!
    // Off-screen: the text is there (find in page works), the markdown is not rendered yet.
    expect(oldest.find('.duo-chat-message__markdown').text()).toContain('## Answer 1')
    expect(oldest.find('h2').exists()).toBe(false)
    expect(wrapper.findAll('article').at(-1)!.find('h2').text()).toBe('Answer 19')

    const element = oldest.find('.duo-chat-message__markdown').element
    // Off-screen messages are watched only once their group of messages comes near.
    const group = element.closest('.duo-chat-log__group')!
    expect(observed.has(element)).toBe(false)
    observed.get(group)!([{ target: group, isIntersecting: true } as unknown as IntersectionObserverEntry], {} as IntersectionObserver)
    observed.get(element)!([{ target: element, isIntersecting: true } as unknown as IntersectionObserverEntry], {} as IntersectionObserver)
    await nextTick()
    expect(oldest.find('h2').text()).toBe('Answer 1')
    expect(oldest.find('.duo-chat-message__markdown').text()).not.toContain('##')
    wrapper.unmount()
  })

  it('offers "Jump to latest" once the reader scrolls up, and follows again from there or on a new question', async () => {
    const messages = reactive(Array.from({ length: 6 }, (_, i) => message(i)))
    const wrapper = mount(ChatMessageList, { props: { messages }, attachTo: document.body, global: { stubs: { ChatAnswerActions: true } } })
    const log = wrapper.get('[role="log"]').element as HTMLElement
    let scrollTop = 0
    Object.defineProperty(log, 'scrollHeight', { configurable: true, get: () => 2000 })
    Object.defineProperty(log, 'clientHeight', { configurable: true, get: () => 400 })
    Object.defineProperty(log, 'scrollTop', { configurable: true, get: () => scrollTop, set: (v: number) => (scrollTop = Math.min(Math.max(0, v), 1600)) })
    const scrollTo = async (top: number): Promise<void> => {
      scrollTop = top
      await wrapper.get('[role="log"]').trigger('scroll')
    }

    await scrollTo(1600)
    expect(wrapper.find('button').exists()).toBe(false)
    await scrollTo(900)
    const jump = wrapper.get('button')
    expect(jump.text()).toBe('Jump to latest')

    await jump.trigger('click')
    expect(scrollTop).toBe(1600)
    expect(wrapper.find('button').exists()).toBe(false)
    expect(document.activeElement).toBe(log)

    await scrollTo(300)
    expect(wrapper.find('button').exists()).toBe(true)
    messages.push(message(6, { content: 'A new question', status: 'pending' }))
    await flushPromises()
    expect(wrapper.find('button').exists()).toBe(false)
    expect(scrollTop).toBe(1600)
    wrapper.unmount()
  })
})
