// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest'
import { xssVectors } from './fixtures/xssVectors'
import { sanitizeToFragment } from './sanitize'
import { StreamingMarkdown } from './streamingMarkdown'

declare global {
  interface Window {
    __xss?: unknown
  }
}

const FORBIDDEN = 'script, iframe, frame, frameset, object, embed, svg, math, style, link, meta, base, form, input, button:not(.duo-chat-code__copy), textarea, select, template, video, audio, source, noscript'

/** Everything in `root` that could run or leak: event attributes, hostile URLs, foreign images. */
function dangers(root: ParentNode): string[] {
  const found: string[] = []
  for (const el of root.querySelectorAll('*')) {
    if (el.matches(FORBIDDEN)) found.push(`<${el.tagName.toLowerCase()}>`)
    for (const attr of el.attributes) {
      const value = attr.value.replace(/[\u0000-\u0020]/g, '').toLowerCase()
      if (/^on/i.test(attr.name)) found.push(`${el.tagName}[${attr.name}]`)
      if (/^(javascript|vbscript|data):/.test(value)) found.push(`${el.tagName}[${attr.name}=${attr.value}]`)
      if (['style', 'srcset', 'formaction', 'action', 'xlink:href'].includes(attr.name)) found.push(`${el.tagName}[${attr.name}]`)
    }
    if (el.tagName === 'IMG' && new URL(el.getAttribute('src') ?? 'about:blank', location.href).origin !== location.origin) found.push(`img from ${el.getAttribute('src')}`)
    if (el.tagName === 'A' && /^https?:/i.test(el.getAttribute('href') ?? '') && el.getAttribute('rel') !== 'noopener noreferrer') found.push('external link with an opener')
  }
  return found
}

function streamInto(container: HTMLElement, text: string, size: number): void {
  const view = new StreamingMarkdown(container, { schedule: (callback) => (queueMicrotask(callback), () => {}) })
  for (let end = size; end < text.length; end += size) {
    view.update(text.slice(0, end))
    view.flush()
  }
  view.finish(text)
}

afterEach(() => {
  document.body.replaceChildren()
  delete window.__xss
})

describe('hostile model output', () => {
  it.each(xssVectors)('%s: nothing survives when streamed', (_name, markdown) => {
    const container = document.body.appendChild(document.createElement('div'))
    // Streamed in small chunks, so that every half-written state of the vector is rendered too.
    streamInto(container, `Here:\n\n${markdown}\n\nAnything else?`, 6)
    expect(dangers(container)).toEqual([])
    expect(window.__xss).toBeUndefined()
    expect(container.textContent).toContain('Anything else?')
  })

  it.each(xssVectors)('%s: DOMPurify alone strips it from raw HTML', (_name, markdown) => {
    // The renderer escapes raw HTML before DOMPurify sees it; the profile must hold without that too.
    const fragment = sanitizeToFragment(markdown)
    const holder = document.createElement('div')
    holder.append(fragment)
    expect(dangers(holder)).toEqual([])
  })

  it('shows raw HTML in model output as text', () => {
    const container = document.body.appendChild(document.createElement('div'))
    streamInto(container, 'Press <kbd>Enter</kbd>, then <script>alert(1)</script>.', 5)
    expect(container.querySelector('kbd, script')).toBeNull()
    expect(container.textContent).toContain('<script>alert(1)</script>')
  })

  it('keeps safe links: external ones open in a new tab without an opener', () => {
    const container = document.body.appendChild(document.createElement('div'))
    streamInto(container, '[docs](https://docs.gitlab.com/) [issue](/acme/shop/-/issues/1) [mail](mailto:a@b.test)', 4)
    const links = [...container.querySelectorAll('a')]
    expect(links.map((a) => [a.getAttribute('href'), a.getAttribute('target'), a.getAttribute('rel')])).toEqual([
      ['https://docs.gitlab.com/', '_blank', 'noopener noreferrer'],
      ['/acme/shop/-/issues/1', null, null],
      ['mailto:a@b.test', null, null],
    ])
  })
})
