import { fileURLToPath } from 'node:url'
import { expect, test } from '@playwright/test'
import { answers, longAnswer } from '../src/render/fixtures/answers'

const rendererUrl = `/@fs${fileURLToPath(new URL('../src/render/streamingMarkdown.ts', import.meta.url))}`

test('in Chromium, any chunking of real answers, with frames at any moment, ends in the DOM of a one-shot render', async ({ page }) => {
  await page.goto('/')
  const corpus = { ...answers, long: longAnswer(20_000) }
  const mismatches = await page.evaluate(
    async ({ rendererUrl, corpus }) => {
      const { StreamingMarkdown, renderMarkdownInto } = (await import(/* @vite-ignore */ rendererUrl)) as typeof import('../src/render/streamingMarkdown')
      let seed = 42
      const random = (): number => {
        // mulberry32: deterministic, so a failure can be replayed
        seed = (seed + 0x6d2b79f5) >>> 0
        let t = seed
        t = Math.imul(t ^ (t >>> 15), t | 1)
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296
      }
      const failures: string[] = []
      for (const [name, text] of Object.entries(corpus)) {
        const expected = document.createElement('div')
        renderMarkdownInto(expected, text)
        const runs = name === 'long' ? 2 : 16
        for (let run = 0; run < runs; run++) {
          let due: (() => void) | null = null
          const container = document.createElement('div')
          const view = new StreamingMarkdown(container, { schedule: (callback) => ((due = callback), () => (due = null)) })
          const maxChunk = [1, 4, 20, 80][run % 4]!
          for (let end = 0; end < text.length; ) {
            end += 1 + Math.floor(random() * maxChunk)
            view.update(text.slice(0, end))
            if (random() < 0.4 && due) {
              const frame: () => void = due
              due = null
              frame()
              // What is on screen mid-stream is what a fresh render of the same text shows:
              // the shortcuts for plain text and the morph of the tail never drift from it.
              // (Not for answers with reference definitions: earlier blocks pick those up once the
              // definition is complete, where a fresh render would link to a half-written URL.)
              if (name !== 'long' && !/^\[[^\]]+\]:/m.test(text) && run % 4 === 1) {
                const fresh = document.createElement('div')
                const once = new StreamingMarkdown(fresh, { schedule: () => () => {} })
                once.update(text.slice(0, end))
                once.flush()
                // Trailing spaces at the end of a block render as nothing; the shortcut shows
                // them once a word follows.
                const visible = (html: string): string => html.replace(/ +(<\/|$)/g, '$1')
                if (visible(fresh.innerHTML) !== visible(container.innerHTML)) failures.push(`${name}, run ${run}, mid-stream at ${end}`)
              }
            }
          }
          view.finish(text)
          if (container.innerHTML !== expected.innerHTML) failures.push(`${name}, run ${run}`)
        }
      }
      return failures
    },
    { rendererUrl, corpus },
  )
  expect(mismatches).toEqual([])
})
