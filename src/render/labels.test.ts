// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { defaultRendererLabels, type RendererLabels } from './labels'
import { renderMarkdownInto } from './streamingMarkdown'

/** Every key set to a sentinel that names it (in capitals, so no default hides in it). */
function sentinelLabels(): RendererLabels {
  const labels: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(defaultRendererLabels)) {
    labels[key] = typeof value === 'function' ? (arg: string) => `«${key.toUpperCase()}:${arg}»` : `«${key.toUpperCase()}»`
  }
  return labels as unknown as RendererLabels
}

/** Every default string (and the fixed part of every default function) that must not show. */
function englishDefaults(): string[] {
  return Object.values(defaultRendererLabels).map((value) => (typeof value === 'function' ? value('§').split('§')[0]!.trim() : value)).filter((text) => text.length > 2)
}

/** All text a user could see or hear: text content and the attributes that name things. */
function everything(root: Element): string {
  const parts = [root.textContent ?? '']
  for (const el of root.querySelectorAll('*')) for (const name of ['aria-label', 'title', 'alt', 'aria-description']) parts.push(el.getAttribute(name) ?? '')
  return parts.join('\n')
}

afterEach(() => {
  document.body.replaceChildren()
  vi.unstubAllGlobals()
})

describe('renderer labels', () => {
  it('writes no English default into the DOM when every label is replaced, Copy states included', async () => {
    const container = document.body.appendChild(document.createElement('div'))
    const labels = sentinelLabels()
    const writeText = vi.fn().mockResolvedValueOnce(undefined).mockRejectedValueOnce(new Error('denied'))
    vi.stubGlobal('navigator', { clipboard: { writeText } })
    const markdown = [
      '```',
      'let x = 1 // \u202E hidden',
      '```',
      '',
      '[https://gitlab.example.com/a](https://evil.example/a) and [docs](https://xn--gitlb-7ve.example/)',
    ].join('\n')
    const view = renderMarkdownInto(container, markdown, { labels })
    const button = container.querySelector('button')!
    const seen = [everything(container)]
    button.click()
    await vi.waitFor(() => expect(button.textContent).toBe('«COPIED»'))
    seen.push(everything(container))
    button.click()
    await vi.waitFor(() => expect(button.textContent).toBe('«COPYFAILED»'))
    seen.push(everything(container))
    view.destroy()

    const text = seen.join('\n')
    expect(text).toContain('«COPYCODE»')
    expect(text).toContain('«CODECOPIED»')
    expect(text).toContain('«CODEWITHOUTLANGUAGE»')
    expect(text).toContain('«LINKDESTINATION:evil.example»')
    expect(text).toContain('«LINKDESTINATION:xn--gitlb-7ve.example»')
    expect(text).toContain('«HIDDENCHARACTER:U+202E»')
    expect(text).toContain('«HIDDENCHARACTERSNOTE»')
    for (const english of englishDefaults()) expect(text).not.toContain(english)
  })

  it('replaces only the labels given, the rest stay English', () => {
    const container = document.body.appendChild(document.createElement('div'))
    renderMarkdownInto(container, '```js\nx\n```', { labels: { copy: 'Kopieren' } })
    const button = container.querySelector('button')!
    expect(button.textContent).toBe('Kopieren')
    expect(button.getAttribute('aria-label')).toBe('Copy code')
  })
})
