// @vitest-environment jsdom
import { describe, expect, it } from 'vitest'
import { renderMarkdown } from './markdown'

function render(markdown: string): HTMLElement {
  const container = document.createElement('div')
  container.innerHTML = renderMarkdown(markdown)
  return container
}

function dangerousAttributes(root: HTMLElement): string[] {
  return [...root.querySelectorAll('*')].flatMap((el) =>
    [...el.attributes].filter((a) => /^on/i.test(a.name) || /^\s*(javascript|data:text\/html|vbscript)/i.test(a.value)).map((a) => `${el.tagName}[${a.name}=${a.value}]`),
  )
}

describe('renderMarkdown', () => {
  it('renders the markdown a model writes', () => {
    const html = render('## Summary\n\n- **bold** and `code`\n\n```js\nconst a = 1\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |')
    expect(html.querySelector('h2')?.textContent).toBe('Summary')
    expect(html.querySelector('li strong')?.textContent).toBe('bold')
    expect(html.querySelector('pre code')?.textContent).toContain('const a = 1')
    expect(html.querySelectorAll('td')).toHaveLength(2)
  })

  it.each([
    ['a script tag', '<script>alert(1)</script>'],
    ['an image with onerror', '<img src=x onerror=alert(1)>'],
    ['an svg with onload', '<svg onload=alert(1)>'],
    ['an iframe', '<iframe src="javascript:alert(1)"></iframe>'],
    ['a markdown javascript: link', '[click](javascript:alert(1))'],
    ['an encoded javascript: link', '[click](jav&#x09;ascript:alert(1))'],
    ['a markdown data:text/html link', '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
    ['a markdown image with javascript:', '![x](javascript:alert(1))'],
    ['a reference link with javascript:', '[a][1]\n\n[1]: javascript:alert(1)'],
    ['an autolink with javascript:', '<javascript:alert(1)>'],
    ['a style tag', '<style>body{display:none}</style>'],
    ['a form', '<form action="https://evil.test"><input name="x"></form>'],
  ])('lets nothing of %s run', (_name, markdown) => {
    const html = render(markdown)
    expect(html.querySelector('script, iframe, svg, style, form, input, object, embed')).toBeNull()
    expect(dangerousAttributes(html)).toEqual([])
  })

  it('opens external links in a new tab without an opener', () => {
    const link = render('[docs](https://docs.gitlab.com/)').querySelector('a')!
    expect(link.getAttribute('target')).toBe('_blank')
    expect(link.getAttribute('rel')).toBe('noopener noreferrer')
  })

  it('keeps relative and mailto links in place', () => {
    const links = [...render('[issue](/acme/shop/-/issues/1) [mail](mailto:a@b.test)').querySelectorAll('a')]
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['/acme/shop/-/issues/1', 'mailto:a@b.test'])
    expect(links.map((a) => a.hasAttribute('target'))).toEqual([false, false])
  })
})
