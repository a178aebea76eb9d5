// @vitest-environment jsdom
import { mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick, reactive } from 'vue'

// The setup file loads the renderer before every test file; these tests need it not loaded yet,
// so each takes fresh copies of the loader and of the component that uses it.
async function freshModules(): Promise<{ lazy: typeof import('./renderer'); MarkdownContent: typeof import('../components/MarkdownContent.vue').default }> {
  vi.resetModules()
  const lazy = await import('./renderer')
  const { default: MarkdownContent } = await import('../components/MarkdownContent.vue')
  return { lazy, MarkdownContent }
}

beforeEach(() => {
  vi.spyOn(console, 'warn').mockImplementation(() => {})
})

afterEach(() => {
  vi.restoreAllMocks()
  document.body.replaceChildren()
})

describe('the markdown renderer, loaded on demand', () => {
  it('shows an answer as plain text until the renderer has loaded, never as HTML, then renders it', async () => {
    const { lazy, MarkdownContent } = await freshModules()
    expect(lazy.loadedRenderer()).toBeNull()
    const source = reactive({ content: 'Checking **the' })
    const wrapper = mount(MarkdownContent, { props: { source, streaming: true }, attachTo: document.body })
    const root = wrapper.find('.duo-chat-message__markdown').element

    expect(root.textContent).toBe('Checking **the')
    source.content = 'Checking **the checkout** <img src="x" onerror="alert(1)">'
    await nextTick()
    expect(root.textContent).toBe('Checking **the checkout** <img src="x" onerror="alert(1)">')
    expect(root.querySelector('img, strong')).toBeNull()

    await lazy.whenRendererReady()
    await wrapper.setProps({ streaming: false })
    expect(root.querySelector('strong')?.textContent).toBe('the checkout')
    expect(root.querySelector('img[onerror]')).toBeNull()
  })

  it('renders at once when the renderer has loaded before the message mounts', async () => {
    const { lazy, MarkdownContent } = await freshModules()
    await lazy.whenRendererReady()
    const wrapper = mount(MarkdownContent, { props: { source: { content: '## Steps\n\n1. Open' }, streaming: false }, attachTo: document.body })
    expect(wrapper.find('h2').text()).toBe('Steps')
    expect(wrapper.find('.duo-chat-message__markdown--deferred').exists()).toBe(false)
  })

  it('leaves a message that was removed while the renderer loaded alone', async () => {
    const { lazy, MarkdownContent } = await freshModules()
    const wrapper = mount(MarkdownContent, { props: { source: { content: '**gone**' }, streaming: false }, attachTo: document.body })
    const root = wrapper.find('.duo-chat-message__markdown').element
    wrapper.unmount()
    await lazy.whenRendererReady()
    await nextTick()
    expect(root.querySelector('strong')).toBeNull()
  })

  it("applies the plugin's image origins to the sanitizer, whether they come before or after the load", async () => {
    const { lazy } = await freshModules()
    const image = '![chart](https://images.example.com/chart.png)'
    lazy.configureRendererSanitizer({ allowedImageOrigins: ['https://images.example.com'] })
    const { StreamingMarkdown } = await lazy.loadRenderer()
    const first = document.createElement('div')
    new StreamingMarkdown(first).finish(image)
    expect(first.querySelector('img')?.getAttribute('src')).toBe('https://images.example.com/chart.png')

    lazy.configureRendererSanitizer({ allowedImageOrigins: ['self'] })
    const second = document.createElement('div')
    new StreamingMarkdown(second).finish(image)
    expect(second.querySelector('img')).toBeNull()
    expect(second.textContent).toContain('chart')
  })

  it('loads one module however many callers ask at once', async () => {
    const { lazy } = await freshModules()
    const [a, b] = await Promise.all([lazy.loadRenderer(), lazy.loadRenderer()])
    expect(a).toBe(b)
    expect(lazy.loadedRenderer()).toBe(a)
  })
})
