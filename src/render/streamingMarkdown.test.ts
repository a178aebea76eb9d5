// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { answers, longAnswer, spoofingAnswer } from './fixtures/answers'
import { renderMarkdownInto, RUN_CLASS, RUN_SIZE, StreamingMarkdown, type FrameScheduler } from './streamingMarkdown'

/** A frame clock the test advances by hand. */
function manualFrames(): { schedule: FrameScheduler; frame: () => void; pending: () => number } {
  let callbacks: Array<() => void> = []
  return {
    schedule: (callback) => {
      callbacks.push(callback)
      return () => {
        callbacks = callbacks.filter((c) => c !== callback)
      }
    },
    frame: () => {
      const due = callbacks
      callbacks = []
      for (const callback of due) callback()
    },
    pending: () => callbacks.length,
  }
}

function oneShot(markdown: string): string {
  const container = document.createElement('div')
  renderMarkdownInto(container, markdown)
  return container.innerHTML
}

/** A deterministic random source (mulberry32), so a failing chunking can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function chunk(text: string, next: () => number, maxSize: number): string[] {
  const chunks: string[] = []
  for (let i = 0; i < text.length; ) {
    const size = 1 + Math.floor(next() * maxSize)
    chunks.push(text.slice(i, i + size))
    i += size
  }
  return chunks
}

afterEach(() => {
  document.body.replaceChildren()
})

describe('StreamingMarkdown', () => {
  // jsdom parses HTML slowly: a few chunkings per answer here; e2e/renderStreaming.spec.ts runs
  // many more of them in Chromium.
  const corpus = { ...answers, spoofing: spoofingAnswer, long: longAnswer(2_500) }

  it.each(Object.keys(corpus))('renders %s streamed in random chunks exactly as rendered in one go', (name) => {
    const text = corpus[name as keyof typeof corpus]!
    const expected = oneShot(text)
    for (let seed = 1; seed <= 3; seed++) {
      const next = random(seed * 7919 + name.length)
      const frames = manualFrames()
      const container = document.createElement('div')
      const view = new StreamingMarkdown(container, { schedule: frames.schedule })
      let sofar = ''
      for (const piece of chunk(text, next, seed === 1 ? 12 : 60)) {
        sofar += piece
        view.update(sofar)
        // Frames come at random moments: several chunks may share one.
        if (next() < 0.4) frames.frame()
      }
      if (seed % 2) frames.frame()
      view.finish(text)
      expect(container.innerHTML, `seed ${seed}`).toBe(expected)
    }
  })

  it('never re-creates a finished block: a selection in it survives the rest of the stream', () => {
    const text = answers.issueSummary!
    const frames = manualFrames()
    const container = document.body.appendChild(document.createElement('div'))
    const view = new StreamingMarkdown(container, { schedule: frames.schedule })
    const firstBreak = text.indexOf('\n\n', text.indexOf('Issue #1')) + 3
    view.update(text.slice(0, firstBreak + 10))
    frames.frame()
    const heading = container.querySelector('h2')!
    const paragraph = container.querySelector('p')!
    const range = document.createRange()
    range.selectNodeContents(paragraph)
    const selected = range.toString()
    const removed: Node[] = []
    new MutationObserver((records) => records.forEach((r) => removed.push(...r.removedNodes))).observe(container, { childList: true, subtree: true })

    for (let end = firstBreak + 10; end <= text.length; end += 20) {
      view.update(text.slice(0, end))
      frames.frame()
    }
    view.finish(text)

    expect(container.querySelector('h2')).toBe(heading)
    expect(container.querySelector('p')).toBe(paragraph)
    expect(range.toString()).toBe(selected)
    expect(removed.filter((n) => n === heading || n === paragraph || paragraph.contains(n))).toEqual([])
  })

  it('shows plain words at once, batches markup to one DOM update per animation frame, flushes on finish', () => {
    const frames = manualFrames()
    const container = document.createElement('div')
    const onRender = vi.fn()
    const view = new StreamingMarkdown(container, { schedule: frames.schedule, onRender })
    // After an idle frame the first update shows at once...
    view.update('Hel')
    expect(container.textContent).toBe('Hel\n')
    // ...plain words that only extend the last text node too...
    view.update('Hello wor')
    expect(container.textContent).toBe('Hello wor\n')
    expect(onRender).toHaveBeenCalledTimes(2)
    // ...while markup waits for the next frame, and updates share it.
    view.update('Hello wor **ld**')
    view.update('Hello wor **ld**, and')
    expect(container.textContent).toBe('Hello wor\n')
    expect(frames.pending()).toBe(1)
    frames.frame()
    expect(onRender).toHaveBeenCalledTimes(3)
    expect(container.innerHTML).toContain('Hello wor <strong>ld</strong>, and')
    view.update('Hello wor **ld**, and `more')
    expect(container.textContent).toBe('Hello wor ld, and\n')
    view.finish('Hello wor **ld**, and `more` text.')
    expect(container.textContent).toBe('Hello wor ld, and more text.\n')
    frames.frame()
    expect(onRender).toHaveBeenCalledTimes(4)
    // A quiet frame later, the next update is immediate again, markup or not.
    view.update('Hello wor **ld**, and `more` text. *And')
    frames.frame()
    frames.frame()
    view.update('Hello wor **ld**, and `more` text. *And* then')
    expect(container.textContent).toBe('Hello wor ld, and more text. And then\n')
  })

  it('keeps blocks in runs of a fixed size, the same however the answer was chunked', () => {
    const text = longAnswer(6_000)
    const container = document.createElement('div')
    renderMarkdownInto(container, text)
    const runs = [...container.children]
    expect(runs.length).toBeGreaterThan(2)
    expect(runs.every((run) => run.className === RUN_CLASS)).toBe(true)
    expect(runs.slice(0, -1).every((run) => run.childNodes.length === RUN_SIZE)).toBe(true)
    expect(runs.at(-1)!.childNodes.length).toBeLessThanOrEqual(RUN_SIZE)
    // (The streaming tests above compare innerHTML, runs included, with this one-shot render.)
  })

  it('shows unfinished syntax sensibly while it streams', () => {
    const frames = manualFrames()
    const container = document.createElement('div')
    const view = new StreamingMarkdown(container, { schedule: frames.schedule })
    const show = (text: string): string => {
      view.update(text)
      frames.frame()
      return container.innerHTML
    }
    expect(show('Some **important')).toContain('<strong>important</strong>')
    expect(show('Some **important** [docs](https://docs.gitl')).not.toContain('](')
    expect(show('Intro\n\n```ts\nconst a =')).toContain('<code class="language-ts">const a =')
    expect(container.querySelector('.duo-chat-code__lang')?.textContent).toBe('ts')
    expect(show('| a | b |\n|---')).toContain('<th>a</th>')
  })

  it('keeps a streaming code block, its label and its Copy button in place as code arrives', async () => {
    const frames = manualFrames()
    const container = document.body.appendChild(document.createElement('div'))
    const view = new StreamingMarkdown(container, { schedule: frames.schedule })
    const code = '```ruby\ndef submit_order\n  return if @submitting\n\n  @submitting = true\nend\n```\n\nDone.\n'
    view.update(code.slice(0, 25))
    frames.frame()
    const button = container.querySelector('button')!
    expect(button.textContent).toBe('Copy')
    expect(button.getAttribute('aria-label')).toBe('Copy code')
    expect(container.querySelector('.duo-chat-code__lang')?.textContent).toBe('ruby')
    const writeText = vi.fn(async () => {})
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
    button.click()
    await vi.waitFor(() => expect(button.textContent).toBe('Copied'))
    expect(button.getAttribute('aria-label')).toBe('Code copied')
    expect(writeText).toHaveBeenCalledWith('def submit_order\n')

    for (let end = 26; end <= code.length; end += 3) {
      view.update(code.slice(0, end))
      frames.frame()
    }
    view.finish(code)
    expect(container.querySelector('button')).toBe(button)
    button.click()
    await vi.waitFor(() => expect(writeText).toHaveBeenLastCalledWith('def submit_order\n  return if @submitting\n\n  @submitting = true\nend\n'))
  })

  it('shows only images from allowed origins, and the alt text of others', () => {
    const container = document.createElement('div')
    renderMarkdownInto(container, '![ok](/uploads/a.png) ![cdn](https://cdn.example.com/b.png) ![pixel](https://evil.example/p.png)', {
      allowedImageOrigins: ['self', 'https://cdn.example.com'],
    })
    expect([...container.querySelectorAll('img')].map((i) => i.getAttribute('src'))).toEqual(['/uploads/a.png', 'https://cdn.example.com/b.png'])
    expect(container.textContent).toContain('pixel')
  })

  it('resolves a reference link whose definition comes after it', () => {
    const frames = manualFrames()
    const container = document.createElement('div')
    const view = new StreamingMarkdown(container, { schedule: frames.schedule })
    const text = 'Read [the docs][docs] first.\n\nThen ask again.\n\n[docs]: https://docs.gitlab.com/\n'
    for (let end = 1; end <= text.length; end += 4) {
      view.update(text.slice(0, end))
      frames.frame()
    }
    view.finish(text)
    expect(container.querySelector('a')?.getAttribute('href')).toBe('https://docs.gitlab.com/')
  })

  it('leaves nothing of a half-written reference definition once the answer completes', () => {
    // Definitions after their use re-render earlier blocks mid-stream; chunk sizes 1 to 80.
    const text = answers.docsAnswer!
    const expected = oneShot(text)
    for (let seed = 1; seed <= 16; seed++) {
      const next = random(seed)
      const frames = manualFrames()
      const container = document.createElement('div')
      const view = new StreamingMarkdown(container, { schedule: frames.schedule })
      let sofar = ''
      for (const piece of chunk(text, next, [1, 4, 20, 80][seed % 4]!)) {
        sofar += piece
        view.update(sofar)
        if (next() < 0.4) frames.frame()
      }
      view.finish(text)
      expect(container.innerHTML, `seed ${seed}`).toBe(expected)
    }
  })

  it('lays the runs out again when a late definition re-renders blocks across several runs', () => {
    const text = `See [the docs][docs] first.\n\n${longAnswer(3_000)}\n[docs]: https://docs.gitlab.com/\n\nThat is all.\n`
    const expected = oneShot(text)
    const frames = manualFrames()
    const container = document.createElement('div')
    const view = new StreamingMarkdown(container, { schedule: frames.schedule })
    for (let end = 7; end < text.length + 7; end += 7) {
      view.update(text.slice(0, end))
      frames.frame()
    }
    // Mid-stream: the definition is finished once the next paragraph has begun.
    expect(container.querySelector('a')?.getAttribute('href')).toBe('https://docs.gitlab.com/')
    view.finish(text)
    expect(container.children.length).toBeGreaterThan(1)
    expect(container.innerHTML).toBe(expected)
  })

  it('renders a replaced answer from scratch', () => {
    const container = document.createElement('div')
    const view = new StreamingMarkdown(container, { schedule: manualFrames().schedule })
    view.finish('First answer.\n\nWith two paragraphs.')
    view.finish('A different answer.')
    expect(container.innerHTML).toBe(oneShot('A different answer.'))
  })

  it('highlights finished code blocks with a lazily loaded highlighter', async () => {
    const container = document.createElement('div')
    renderMarkdownInto(container, '```js\n// say hi\nconst greeting = "hi"\n```\n', { highlight: true })
    await vi.waitFor(() => expect(container.querySelector('.duo-chat-hl-keyword')?.textContent).toBe('const'))
    expect(container.querySelector('.duo-chat-hl-string')?.textContent).toBe('"hi"')
    expect(container.querySelector('.duo-chat-hl-comment')?.textContent).toBe('// say hi')
    expect(container.querySelector('code')?.textContent).toBe('// say hi\nconst greeting = "hi"\n')
  })
})
