// @vitest-environment jsdom
import { describe, expect, it } from 'vitest'
import { BlockStream } from './blocks'
import { answers, longAnswer, spoofingAnswer } from './fixtures/answers'
import { hiddenCharacterCode, honestLinks, spoofedLinks, xssVectors } from './fixtures/xssVectors'
import { lexBlocks, renderTokens } from './markdown'
import { sanitizeToFragment } from './sanitize'
import { buildTailBlock, TAIL_ELEMENTS } from './tailDom'

const policy = { allowedImageOrigins: ['self'] }

function holder(fragment: DocumentFragment): HTMLElement {
  const div = document.createElement('div')
  div.append(fragment)
  return div
}

/**
 * Streams `text` in chunks of `size` through the block splitter and compares, for every tail
 * token of every step, the nodes built from tokens with what marked + DOMPurify make of it.
 */
function compareTails(text: string, size: number): { built: number; html: number; mismatches: string[] } {
  const stream = new BlockStream()
  let built = 0
  let html = 0
  const mismatches: string[] = []
  for (let end = size; end < text.length + size; end += size) {
    const { tail } = stream.advance(text.slice(0, end))
    for (const token of tail) {
      const fragment = buildTailBlock(token, document, policy)
      if (!fragment) {
        html++
        continue
      }
      built++
      const fromTokens = holder(fragment)
      const purified = holder(sanitizeToFragment(renderTokens([token])))
      if (!fromTokens.isEqualNode(purified)) mismatches.push(`${JSON.stringify(token.raw)}\n  tokens: ${fromTokens.innerHTML}\n  DOMPurify: ${purified.innerHTML}`)
    }
  }
  return { built, html, mismatches }
}

describe('the tail built from tokens', () => {
  it.each(Object.entries({ ...answers, spoofing: spoofingAnswer }))('%s: every unfinished block is the DOM DOMPurify makes of its HTML', (_name, answer) => {
    for (const size of [1, 7, 23]) {
      const { built, mismatches } = compareTails(answer, size)
      expect(mismatches).toEqual([])
      expect(built).toBeGreaterThan(0)
    }
  })

  it('takes the token path for most frames of a long answer', () => {
    const { built, html, mismatches } = compareTails(longAnswer(12_000), 20)
    expect(mismatches).toEqual([])
    expect(built).toBeGreaterThan(html * 4)
  })

  it.each([...xssVectors, ...spoofedLinks.map(([name, markdown]) => [name, markdown] as const), ...honestLinks, ...hiddenCharacterCode.map(([name, markdown]) => [name, markdown] as const)])(
    '%s: half-written or whole, the tail is what DOMPurify would keep, or DOMPurify renders it',
    (_name, markdown) => {
      const { mismatches } = compareTails(`Here:\n\n${markdown}\n\nAnything else?`, 3)
      expect(mismatches).toEqual([])
    },
  )

  it('builds only allow-listed elements, with text as text', () => {
    const { tokens } = lexBlocks('Press <kbd onclick="alert(1)">Enter</kbd> and **go** to [docs](https://docs.gitlab.com/) <img src=x onerror=alert(1)>\n')
    const fragment = buildTailBlock(tokens[0]!, document, policy)!
    const root = holder(fragment)
    expect([...root.querySelectorAll('*')].map((el) => el.tagName.toLowerCase()).every((tag) => TAIL_ELEMENTS.has(tag))).toBe(true)
    expect(root.querySelector('kbd, img')).toBeNull()
    expect(root.textContent).toContain('<kbd onclick="alert(1)">')
    expect(root.textContent).toContain('<img src=x onerror=alert(1)>')
    const link = root.querySelector('a')!
    expect([link.getAttribute('href'), link.getAttribute('target'), link.getAttribute('rel')]).toEqual(['https://docs.gitlab.com/', '_blank', 'noopener noreferrer'])
  })

  it('puts every URL through the URL policy, and leaves what it does not mirror to DOMPurify', () => {
    const build = (markdown: string): HTMLElement | null => {
      const fragment = buildTailBlock(lexBlocks(markdown).tokens[0]!, document, policy)
      return fragment && holder(fragment)
    }
    // Spelled without https:// but leaving the page all the same: written as resolved, new tab.
    expect(build('[x](https:evil.example/p)\n')!.querySelector('a')!.getAttribute('href')).toBe('https://evil.example/p')
    expect(build('[x](//evil.example/p)\n')!.querySelector('a')!.getAttribute('target')).toBe('_blank')
    // Scripts never become a link; what DOMPurify's profile refuses is its call, not ours.
    expect(build('[x](javascript:alert(1))\n')).toBeNull()
    expect(build('[x](JaVaScRiPt:alert(1))\n')).toBeNull()
    // Images (a refused one shows its alt text), titles and entities: the HTML path.
    expect(build('![x](https://evil.example/a.png)\n')).toBeNull()
    expect(build('[x](/a "title")\n')).toBeNull()
    expect(build('Fish &amp; chips\n')).toBeNull()
  })
})
