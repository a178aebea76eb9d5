// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest'
import { defaultRendererLabels } from './labels'
import { decorateCodeBlocks, decorateTables, handleInsertCodeButtons, patchText } from './dom'
import { sanitizeToFragment } from './sanitize'
import { renderMarkdownInto } from './streamingMarkdown'

function render(html: string): Node[] {
  const fragment = sanitizeToFragment(html)
  decorateCodeBlocks(fragment)
  const holder = document.createElement('div')
  const nodes = [...fragment.childNodes]
  holder.append(...nodes)
  return nodes
}

const html = (nodes: Node[]): string => nodes.map((n) => (n.nodeType === 1 ? (n as Element).outerHTML : n.textContent)).join('')

describe('patchText', () => {
  it('changes only text nodes when the tags are the same, keeping every element', () => {
    const nodes = render('<p>Some <strong>bol</strong> a</p>\n')
    const strong = (nodes[0] as Element).querySelector('strong')
    expect(patchText(nodes, '<p>Some <strong>bol</strong> a</p>\n', '<p>Some <strong>bold text</strong> and more</p>\n')).toBe(true)
    expect(html(nodes)).toBe(html(render('<p>Some <strong>bold text</strong> and more</p>\n')))
    expect((nodes[0] as Element).querySelector('strong')).toBe(strong)
  })

  it('declines, changing nothing, when the markup differs', () => {
    const nodes = render('<p>Some text</p>\n')
    const before = html(nodes)
    expect(patchText(nodes, '<p>Some text</p>\n', '<p>Some <em>text</em></p>\n')).toBe(false)
    expect(patchText(nodes, '<p>Some text</p>\n', '<p>Some text <a href="https://x.test">x</a></p>\n')).toBe(false)
    expect(html(nodes)).toBe(before)
  })

  it('declines when the DOM is not what the old HTML says (the sanitizer changed it)', () => {
    // DOMPurify drops the script and its text: the texts no longer line up with the HTML's.
    const old = '<p>a<script>alert(1)</script>b</p>'
    const nodes = render(old)
    expect(patchText(nodes, old, '<p>a<script>alert(2)</script>bc</p>')).toBe(false)
  })

  it('decodes what marked escapes, so hostile text stays text', () => {
    const nodes = render('<p>x</p>')
    expect(patchText(nodes, '<p>x</p>', '<p>x &lt;img src=x onerror=alert(1)&gt; &amp; &quot;y&quot; &#39;z&#39;</p>')).toBe(true)
    expect(nodes[0]!.textContent).toBe('x <img src=x onerror=alert(1)> & "y" \'z\'')
    expect((nodes[0] as Element).querySelector('img')).toBeNull()
    // Any other entity is left to a full render.
    expect(patchText(nodes, '<p>x &lt;img src=x onerror=alert(1)&gt; &amp; &quot;y&quot; &#39;z&#39;</p>', '<p>&copy; x</p>')).toBe(false)
  })

  it('leaves the code block header and Copy button alone', () => {
    const old = '<pre><code class="language-js">const a\n</code></pre>\n'
    const nodes = render(old)
    expect(patchText(nodes, old, '<pre><code class="language-js">const a = 1\n</code></pre>\n')).toBe(true)
    const figure = nodes[0] as Element
    expect(figure.querySelector('code')!.textContent).toBe('const a = 1\n')
    expect(figure.querySelector('button')!.textContent).toBe('Copy')
    expect(figure.querySelector('.duo-chat-code__lang')!.textContent).toBe('js')
  })

  it('declines when a text appears where there was none', () => {
    const old = '<p><strong></strong></p>'
    const nodes = render(old)
    expect(patchText(nodes, old, '<p><strong>x</strong></p>')).toBe(false)
  })

  it('declines a change that other decorations depend on: the text of a link, a hidden character', () => {
    // A link's text decides whether its real host is shown beside it.
    const link = '<p>See <a href="https://evil.example/">the docs</a> now</p>'
    const linkNodes = render(link)
    expect(patchText(linkNodes, link, '<p>See <a href="https://evil.example/">gitlab.example.com</a> now</p>')).toBe(false)
    expect(linkNodes[0]!.textContent).toBe('See the docs now')
    // Text around the link does not.
    expect(patchText(linkNodes, link, '<p>See <a href="https://evil.example/">the docs</a> now, please</p>')).toBe(true)
    // A hidden character needs a marker.
    const code = '<pre><code>const a\n</code></pre>\n'
    const codeNodes = render(code)
    expect(patchText(codeNodes, code, '<pre><code>const a\u202E = 1\n</code></pre>\n')).toBe(false)
    expect((codeNodes[0] as Element).querySelector('code')!.textContent).toBe('const a\n')
  })
})

describe('decorateTables', () => {
  it('puts a table in a named region that takes the focus, so a wide table scrolls sideways', () => {
    const fragment = sanitizeToFragment('<table><thead><tr><th>Browser</th></tr></thead><tbody><tr><td>Safari</td></tr></tbody></table>')
    decorateTables(fragment, { ...defaultRendererLabels, table: 'Tableau' })
    const region = fragment.firstElementChild!
    expect(region.getAttribute('role')).toBe('region')
    expect(region.getAttribute('aria-label')).toBe('Tableau')
    expect(region.getAttribute('tabindex')).toBe('0')
    expect(region.querySelector('table')!.textContent).toBe('BrowserSafari')
    // Decorating again wraps nothing twice.
    decorateTables(fragment)
    expect(fragment.querySelectorAll('[role="region"]')).toHaveLength(1)
  })

  it('lets streamed text patch a table cell in place', () => {
    const old = '<table><tbody><tr><td>Saf</td></tr></tbody></table>'
    const fragment = sanitizeToFragment(old)
    decorateTables(fragment)
    const nodes = [...fragment.childNodes]
    document.createElement('div').append(...nodes)
    expect(patchText(nodes, old, '<table><tbody><tr><td>Safari</td></tr></tbody></table>')).toBe(true)
    expect((nodes[0] as Element).querySelector('td')!.textContent).toBe('Safari')
  })
})

describe('Insert code', () => {
  it('is offered only when the host takes code, beside Copy', () => {
    const without = sanitizeToFragment('<pre><code>x\n</code></pre>')
    decorateCodeBlocks(without)
    expect([...without.querySelectorAll('button')].map((b) => b.textContent)).toEqual(['Copy'])
    const withInsert = sanitizeToFragment('<pre><code>x\n</code></pre>')
    decorateCodeBlocks(withInsert, defaultRendererLabels, { insertCode: true })
    expect([...withInsert.querySelectorAll('button')].map((b) => b.textContent)).toEqual(['Insert code', 'Copy'])
  })

  it('hands the code as written and its language to the host', () => {
    const onInsertCode = vi.fn()
    const container = document.body.appendChild(document.createElement('div'))
    const view = renderMarkdownInto(container, 'Run:\n\n```ts\nconst a = "<b>"\n```\n\n```\nplain\n```\n', { onInsertCode })
    const buttons = [...container.querySelectorAll<HTMLButtonElement>('button')].filter((b) => b.textContent === 'Insert code')
    expect(buttons).toHaveLength(2)
    buttons[0]!.click()
    buttons[1]!.click()
    expect(onInsertCode.mock.calls).toEqual([
      ['const a = "<b>"\n', 'ts'],
      ['plain\n', ''],
    ])
    view.destroy()
    buttons[0]!.click()
    expect(onInsertCode).toHaveBeenCalledTimes(2)
    container.remove()
  })

  it('does not listen when the host takes no code', () => {
    const container = document.createElement('div')
    const stop = handleInsertCodeButtons(container, () => {
      throw new Error('unexpected')
    })
    stop()
    const fragment = sanitizeToFragment('<pre><code>x\n</code></pre>')
    decorateCodeBlocks(fragment, defaultRendererLabels, { insertCode: true })
    container.append(fragment)
    expect(() => container.querySelector<HTMLButtonElement>('.duo-chat-code__insert')!.click()).not.toThrow()
  })
})
