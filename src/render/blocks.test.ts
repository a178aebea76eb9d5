import { describe, expect, it } from 'vitest'
import { BlockStream, findStableBoundary } from './blocks'
import { lexBlocks } from './markdown'

/** Streams `text` in pieces of `size` and returns, per step, the raw text of each block that finished. */
function stream(text: string, size: number): { finished: string[]; tails: string[] } {
  const blocks = new BlockStream()
  const finished: string[] = []
  const tails: string[] = []
  for (let end = size; end < text.length + size; end += size) {
    const step = blocks.advance(text.slice(0, Math.min(end, text.length)))
    expect(step.reset).toBe(false)
    finished.push(...step.finished.filter((t) => t.type !== 'space').map((t) => t.raw))
    tails.push(step.tail.map((t) => t.raw).join(''))
  }
  const last = blocks.advance(text, true)
  finished.push(...last.finished.filter((t) => t.type !== 'space').map((t) => t.raw))
  return { finished, tails }
}

function boundaryOf(src: string): string {
  const { tokens } = lexBlocks(src)
  return src.slice(0, findStableBoundary(tokens, src).length)
}

describe('findStableBoundary', () => {
  it('finishes a paragraph once a blank line and the next complete line follow it', () => {
    expect(boundaryOf('First paragraph.\n\nSecond')).toBe('')
    expect(boundaryOf('First paragraph.\n\nSecond line\n')).toBe('First paragraph.\n\n')
  })

  it('does not finish a paragraph that the next line may still join', () => {
    // "#" alone is an empty heading now, but "#hashtag" continues the paragraph.
    expect(boundaryOf('Paragraph\n#')).toBe('')
    expect(boundaryOf('Paragraph\n# Heading\n')).toBe('Paragraph\n')
  })

  it('keeps a list open across blank lines while the next line may continue it', () => {
    expect(boundaryOf('- one\n\n  still one\n')).toBe('')
    expect(boundaryOf('- one\n\n- two\n')).toBe('')
    expect(boundaryOf('- one\n- two\n\nAfter the list\n')).toBe('- one\n- two\n\n')
  })

  it('keeps indented code open across blank lines', () => {
    expect(boundaryOf('    code\n\n    more code\n')).toBe('')
  })

  it('never splits an open code fence, even at its blank lines', () => {
    expect(boundaryOf('```js\nconst a = 1\n\nconst b = 2\n\nconst c')).toBe('')
    expect(boundaryOf('```js\nconst a = 1\n```\n\nText\n')).toBe('```js\nconst a = 1\n```\n\n')
  })

  it('finishes blocks before a heading, a rule or a fence that interrupts them', () => {
    expect(boundaryOf('Intro\n```\ncode\n')).toBe('Intro\n')
    expect(boundaryOf('- a\n- b\n## Next\n')).toBe('- a\n- b\n')
  })
})

describe('BlockStream', () => {
  it('finishes every block exactly once, in order, whatever the chunk size', () => {
    const text = '# Title\n\nIntro with **bold**.\n\n- a\n- b\n\n```sh\necho hi\n```\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n> quote\n\nEnd.\n'
    const oneShot = lexBlocks(text).tokens.filter((t) => t.type !== 'space').map((t) => t.raw)
    for (const size of [1, 2, 3, 7, 20, 1000]) expect(stream(text, size).finished).toEqual(oneShot)
  })

  it('lexes only the tail: finished text is never lexed again', () => {
    const text = Array.from({ length: 50 }, (_, i) => `Paragraph ${i} with some words in it.`).join('\n\n') + '\n'
    const { tails } = stream(text, 10)
    // The unfinished tail stays about one paragraph long however long the answer grows.
    expect(Math.max(...tails.map((t) => t.length))).toBeLessThan(90)
  })

  it('keeps an open code fence in the tail until it closes', () => {
    const blocks = new BlockStream()
    const first = blocks.advance('Intro.\n\n```python\ndef f():\n\n    return 1\n')
    expect(first.finished.map((t) => t.type)).toEqual(['paragraph', 'space'])
    expect(first.tail.map((t) => t.type)).toEqual(['code'])
    const more = blocks.advance('Intro.\n\n```python\ndef f():\n\n    return 1\n```\n\nAfter\n')
    expect(more.finished.map((t) => t.type)).toEqual(['code', 'space'])
  })

  it('keeps a list in the tail while items arrive across chunks', () => {
    const blocks = new BlockStream()
    expect(blocks.advance('- one\n- tw').tail.map((t) => t.type)).toEqual(['list'])
    expect(blocks.advance('- one\n- two\n\n').finished).toEqual([])
    const step = blocks.advance('- one\n- two\n\n- three\n\nDone\n')
    expect(step.finished.filter((t) => t.type === 'list')).toHaveLength(1)
    expect((step.finished[0] as { items: unknown[] }).items).toHaveLength(3)
  })

  it('turns a paragraph into a table when the delimiter row arrives', () => {
    const blocks = new BlockStream()
    expect(blocks.advance('| a | b |\n').tail.map((t) => t.type)).toEqual(['paragraph'])
    expect(blocks.advance('| a | b |\n| --- | --- |\n| 1 | 2 |').tail.map((t) => t.type)).toEqual(['table'])
  })

  it('keeps nested quotes together across chunks', () => {
    const text = '> outer\n>\n> > inner\n> > still inner\n>\n> outer again\n\nAfter\n'
    const { finished } = stream(text, 4)
    expect(finished).toEqual(['> outer\n>\n> > inner\n> > still inner\n>\n> outer again', 'After\n'])
  })

  it('reports reference definitions that finish after the blocks that use them', () => {
    const blocks = new BlockStream()
    blocks.advance('See [the docs][docs].\n\nMore text\n')
    const step = blocks.advance('See [the docs][docs].\n\nMore text\n\n[docs]: https://docs.gitlab.com\n', true)
    expect(step.newLinks).toEqual(['docs'])
    expect(blocks.knownLinks.docs?.href).toBe('https://docs.gitlab.com')
  })

  it('starts over when the text is replaced rather than extended', () => {
    const blocks = new BlockStream()
    blocks.advance('First answer.\n\nSecond paragraph\n')
    expect(blocks.advance('Another answer entirely.\n\nWith more text\n').reset).toBe(true)
  })

  it('treats Windows line endings like Unix ones', () => {
    const blocks = new BlockStream()
    const step = blocks.advance('# Title\r\n\r\nText\r\n', true)
    expect(step.finished.filter((t) => t.type !== 'space').map((t) => t.type)).toEqual(['heading', 'paragraph'])
  })
})
