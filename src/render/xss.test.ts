// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { hiddenCharacterCode, honestLinks, spoofedLinks, xssVectors } from './fixtures/xssVectors'
import { sanitizeToFragment } from './sanitize'
import { hostToShow } from './spoofing'
import { renderMarkdownInto, StreamingMarkdown } from './streamingMarkdown'

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
    // "External" as the browser sees it: `https:evil.example` and `//evil.example` leave the page too.
    const href = el.tagName === 'A' ? el.getAttribute('href') : null
    const target = href === null ? null : new URL(href, document.baseURI)
    if (target && /^https?:$/.test(target.protocol) && target.origin !== location.origin) {
      if (el.getAttribute('target') !== '_blank' || el.getAttribute('rel') !== 'noopener noreferrer' || el.getAttribute('referrerpolicy') !== 'no-referrer') found.push(`external link ${href} without target, rel or referrerpolicy`)
    }
  }
  return found
}

function streamInto(container: HTMLElement, text: string, size: number, onEach?: () => void): StreamingMarkdown {
  const view = new StreamingMarkdown(container, { schedule: (callback) => (queueMicrotask(callback), () => {}) })
  for (let end = size; end < text.length; end += size) {
    view.update(text.slice(0, end))
    view.flush()
    onEach?.()
  }
  view.finish(text)
  return view
}

function oneShot(markdown: string): HTMLElement {
  const container = document.createElement('div')
  renderMarkdownInto(container, markdown)
  return container
}

/** Each link with the host shown beside it ('' for none). */
function linksAndHosts(root: ParentNode): Array<[text: string, host: string]> {
  return [...root.querySelectorAll('a')].map((a) => {
    const next = a.nextElementSibling
    const host = next?.classList.contains('duo-chat-link-host') && a.nextSibling === next ? (next.textContent ?? '') : ''
    return [a.textContent ?? '', host]
  })
}

/** Every link shows a host exactly when its current text and href call for one: none is stale. */
function staleDecorations(root: ParentNode): string[] {
  const stale: string[] = []
  for (const a of root.querySelectorAll('a')) {
    const shown = a.nextElementSibling?.classList.contains('duo-chat-link-host') ? a.nextElementSibling.textContent : null
    const expected = hostToShow(a)
    if ((expected === null ? null : ` (${expected})`) !== shown) stale.push(`${a.textContent} -> ${a.getAttribute('href')}: shows ${shown}, should show ${expected}`)
  }
  return stale
}

afterEach(() => {
  document.body.replaceChildren()
  delete window.__xss
  vi.unstubAllGlobals()
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

  it.each(xssVectors)('%s: nothing that could run is on the page at any frame while it streams', (_name, markdown) => {
    // The unfinished tail is built from tokens, not by DOMPurify (./tailDom): check every frame.
    for (const size of [3, 5, 7]) {
      const container = document.body.appendChild(document.createElement('div'))
      let frames = 0
      streamInto(container, `Here:\n\n${markdown}\n\nAnything else?`, size, () => {
        frames++
        expect(dangers(container)).toEqual([])
        expect(staleDecorations(container)).toEqual([])
      })
      expect(frames).toBeGreaterThan(3)
      expect(window.__xss).toBeUndefined()
      container.remove()
    }
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

describe('links that leave the page', () => {
  // The page is http://localhost:3000/: `https:` is another scheme, so `https:evil.example/p`
  // is absolute (on an https page it would be a relative path, and it stays on the page).
  it.each([
    ['[p](https:evil.example/p)', 'https://evil.example/p'],
    ['[p](//evil.example/p)', 'http://evil.example/p'],
    ['[p](https:/evil.example)', 'https://evil.example/'],
    ['[p](HTTPS://evil.example/p)', 'https://evil.example/p'],
    ['[p][r]\n\n[r]: //evil.example', 'http://evil.example/'],
    ['<https:evil.example/p>', 'https://evil.example/p'],
  ])('%s opens %s in a new tab, with no opener and no referrer', (markdown, resolved) => {
    const container = document.body.appendChild(document.createElement('div'))
    streamInto(container, `${markdown}\n\nAnything else?`, 3)
    const link = container.querySelector('a')!
    expect([link.getAttribute('href'), link.getAttribute('target'), link.getAttribute('rel'), link.getAttribute('referrerpolicy')]).toEqual([
      resolved,
      '_blank',
      'noopener noreferrer',
      'no-referrer',
    ])
  })

  it('judges by the URL the document base resolves: what the base sends abroad is external, what stays is not', () => {
    const base = document.createElement('base')
    base.href = 'https://gitlab.example.com/acme/shop/'
    document.head.append(base)
    try {
      const container = document.body.appendChild(document.createElement('div'))
      streamInto(container, `[away](-/issues/1) [same scheme](https:evil.example/p) [home](${location.origin}/acme)`, 4)
      const [away, sameScheme, home] = container.querySelectorAll('a')
      expect(away!.getAttribute('href')).toBe('https://gitlab.example.com/acme/shop/-/issues/1')
      expect(away!.getAttribute('target')).toBe('_blank')
      // With an https base, `https:evil.example/p` is a path on the base's host.
      expect(sameScheme!.getAttribute('href')).toBe('https://gitlab.example.com/acme/shop/evil.example/p')
      expect(home!.hasAttribute('target')).toBe(false)
    } finally {
      base.remove()
    }
  })

  it('blocks images whose resolved origin is not allowed, however the URL is spelled', () => {
    const container = document.body.appendChild(document.createElement('div'))
    streamInto(container, '![one](//evil.example/1.png) ![two](https:evil.example/2.png) ![three](/logo.png)', 5)
    expect(container.textContent).toContain('one')
    expect(container.textContent).toContain('two')
    expect([...container.querySelectorAll('img')].map((img) => img.getAttribute('src'))).toEqual(['/logo.png'])
  })
})

describe('spoofed links', () => {
  it.each(spoofedLinks)('%s: shows the real host beside the link, streamed or not', (_name, markdown, host) => {
    const expected = oneShot(markdown)
    expect(linksAndHosts(expected).map(([, shown]) => shown)).toContain(` (${host})`)
    for (const size of [1, 5]) {
      const container = document.body.appendChild(document.createElement('div'))
      // After every frame, each link shows the host its text and href call for at that moment.
      const stale: string[] = []
      streamInto(container, markdown, size, () => stale.push(...staleDecorations(container)))
      expect(stale, `chunks of ${size}`).toEqual([])
      expect(container.innerHTML, `chunks of ${size}`).toBe(expected.innerHTML)
    }
  })

  it('isolates the host it shows and the link, so a right-to-left override in the link text reverses neither the host nor what follows', () => {
    const container = oneShot('[\u202Emoc.elpmaxe.baltig](https://evil.example/)')
    const shown = container.querySelector('.duo-chat-link-host')!
    expect(shown.getAttribute('dir')).toBe('ltr')
    expect(shown.textContent).toBe(' (evil.example)')
    // The override ends with the link: the link is isolated as well.
    expect(container.querySelector('a')!.getAttribute('dir')).toBe('auto')
  })

  it('updates the host as the link text streams: text that turns into another host gets it, by the fast path too', () => {
    const frames: Array<() => void> = []
    const container = document.body.appendChild(document.createElement('div'))
    const view = new StreamingMarkdown(container, { schedule: (callback) => (frames.push(callback), () => {}) })
    const text = 'Sign in at [https://gitlab.example.com/users/sign_in](https://evil.example/login) today'
    const stale: string[] = []
    for (let end = 1; end <= text.length; end++) {
      view.update(text.slice(0, end))
      frames.splice(0).forEach((frame) => frame())
      stale.push(...staleDecorations(container))
    }
    view.finish(text)
    expect(stale).toEqual([])
    expect(linksAndHosts(container)).toEqual([['https://gitlab.example.com/users/sign_in', ' (evil.example)']])
  })

  it.each(honestLinks)('%s: adds nothing', (_name, markdown) => {
    const container = oneShot(markdown)
    expect(container.querySelector('a')).not.toBeNull()
    expect(container.querySelector('.duo-chat-link-host')).toBeNull()
  })
})

describe('hidden characters in code', () => {
  const source = (markdown: string): string => markdown.slice(markdown.indexOf('\n') + 1, markdown.lastIndexOf('```'))

  it.each(hiddenCharacterCode)('%s: a marker at each, a note on the block, Copy copies the code exactly', async (_name, markdown, markers) => {
    const writeText = vi.fn().mockResolvedValue(undefined)
    vi.stubGlobal('navigator', { clipboard: { writeText } })
    const expected = oneShot(markdown)
    for (const size of [1, 7]) {
      const container = document.body.appendChild(document.createElement('div'))
      streamInto(container, markdown, size)
      expect(container.innerHTML, `chunks of ${size}`).toBe(expected.innerHTML)
      const code = container.querySelector('pre > code')!
      expect([...code.querySelectorAll('.duo-chat-hidden-char')].map((marker) => marker.textContent)).toEqual(markers)
      // Nothing hidden is left in what is shown: each character became its marker.
      expect(code.textContent).not.toMatch(/[\u061C\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/)
      expect(container.querySelector('[role="note"]')?.textContent).toMatch(/hidden Unicode characters/)
      container.querySelector('button')!.click()
      await vi.waitFor(() => expect(writeText).toHaveBeenCalledTimes(size === 1 ? 1 : 2))
      expect(writeText).toHaveBeenLastCalledWith(source(markdown))
    }
  })

  it('marks them in highlighted code too, and Copy still copies the code as written', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined)
    vi.stubGlobal('navigator', { clipboard: { writeText } })
    const [, markdown, markers] = hiddenCharacterCode[0]!
    const container = document.body.appendChild(document.createElement('div'))
    renderMarkdownInto(container, markdown, { highlight: true })
    await vi.waitFor(() => expect(container.querySelector('code[data-duo-highlighted]')).not.toBeNull())
    const code = container.querySelector('pre > code')!
    expect(code.querySelector('.duo-chat-hl-keyword')).not.toBeNull()
    expect([...code.querySelectorAll('.duo-chat-hidden-char')].map((marker) => marker.textContent)).toEqual(markers)
    container.querySelector('button')!.click()
    await vi.waitFor(() => expect(writeText).toHaveBeenCalledWith(source(markdown)))
  })

  it('marks them in inline code, and leaves code without them as it was', () => {
    const container = oneShot('Run `rm -rf \u202E/tmp/x` and `ls`.\n\n```\nplain\n```')
    expect([...container.querySelectorAll('.duo-chat-hidden-char')].map((marker) => marker.textContent)).toEqual(['U+202E'])
    expect(container.querySelector('[role="note"]')).toBeNull()
    expect(container.querySelectorAll('code')[1]!.innerHTML).toBe('ls')
  })
})
