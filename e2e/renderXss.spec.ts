import { fileURLToPath } from 'node:url'
import { expect, test, type Page } from '@playwright/test'
import { xssVectors } from '../src/render/fixtures/xssVectors'
import { resetGateway, scriptNextAnswer } from './gateway'

// The demo's Vite server serves the renderer's source to the page for the in-browser checks.
const rendererUrl = `/@fs${fileURLToPath(new URL('../src/render/streamingMarkdown.ts', import.meta.url))}`
const sanitizeUrl = `/@fs${fileURLToPath(new URL('../src/render/sanitize.ts', import.meta.url))}`

/** Event attributes, script-capable URLs and forbidden elements anywhere under `selector`. */
function findDangers(page: Page, selector: string): Promise<string[]> {
  return page.evaluate((selector) => {
    const found: string[] = []
    for (const root of document.querySelectorAll(selector)) {
      for (const el of root.querySelectorAll('*')) {
        if (el.matches('script, iframe, frame, object, embed, svg, math, style, link, meta, base, form, input, textarea, template, video, audio, noscript')) found.push(`<${el.tagName}>`)
        for (const attr of el.attributes) {
          if (/^on/i.test(attr.name)) found.push(`${el.tagName}[${attr.name}]`)
          if (/^(javascript|vbscript|data):/i.test(attr.value.replace(/[\u0000-\u0020]/g, ''))) found.push(`${el.tagName}[${attr.name}=${attr.value}]`)
        }
        if (el instanceof HTMLAnchorElement && el.protocol === 'javascript:') found.push(`a ${el.href}`)
        if (el instanceof HTMLImageElement && el.src && new URL(el.src).origin !== location.origin) found.push(`img ${el.src}`)
      }
    }
    return found
  }, selector)
}

async function watchForAttacks(page: Page): Promise<{ dialogs: string[]; foreign: string[] }> {
  const dialogs: string[] = []
  const foreign: string[] = []
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message())
    void dialog.dismiss()
  })
  page.on('request', (request) => {
    const { hostname } = new URL(request.url())
    if (hostname !== '127.0.0.1' && hostname !== 'localhost') foreign.push(request.url())
  })
  return { dialogs, foreign }
}

test.beforeEach(async ({ request }) => {
  await resetGateway(request)
})

test('hostile markup streamed through the drawer runs nothing and leaves no handler or javascript: URL', async ({ page, request }) => {
  const attacks = await watchForAttacks(page)
  const text = xssVectors.map(([name, markdown]) => `**${name}**\n\n${markdown}`).join('\n\n')
  await scriptNextAnswer(request, { user: 'alice', text, chunkSize: 7, delayMs: 1 })
  await page.goto('/')
  await page.getByRole('button', { name: 'Ask GitLab Duo' }).click()
  const drawer = page.getByRole('complementary', { name: 'Duo Chat' })
  const prompt = drawer.getByRole('textbox', { name: 'Chat prompt' })
  await prompt.fill('Show me some HTML')
  await prompt.press('Enter')
  const answer = drawer.getByRole('article', { name: /^GitLab Duo/ })
  await expect(answer).toHaveAttribute('data-status', 'streaming')
  await expect(answer).toHaveAttribute('data-status', 'complete', { timeout: 25_000 })
  await expect(answer).toContainText('md half link at end')

  // Give late handlers (onerror, onload, ontoggle, onfocus) their chance: hover and click every link.
  for (const link of await answer.locator('.duo-chat-message__markdown a:not([target])').all()) await link.click({ noWaitAfter: true }).catch(() => {})
  await page.mouse.move(10, 10)
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 100))))

  expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined()
  expect(attacks.dialogs).toEqual([])
  expect(attacks.foreign).toEqual([])
  expect(await findDangers(page, '.duo-chat-message__markdown')).toEqual([])
  await expect(page).toHaveURL(/127\.0\.0\.1/)
})

test('every hostile vector, streamed in three-character chunks into the live page, runs nothing', async ({ page }) => {
  const attacks = await watchForAttacks(page)
  await page.goto('/')
  const results = await page.evaluate(
    async ({ rendererUrl, sanitizeUrl, vectors }) => {
      const { StreamingMarkdown } = (await import(/* @vite-ignore */ rendererUrl)) as typeof import('../src/render/streamingMarkdown')
      const { sanitizeToFragment } = (await import(/* @vite-ignore */ sanitizeUrl)) as typeof import('../src/render/sanitize')
      const failures: string[] = []
      for (const [name, markdown] of vectors) {
        const streamed = document.body.appendChild(document.createElement('div'))
        streamed.className = 'xss-probe'
        const view = new StreamingMarkdown(streamed, { schedule: (callback) => (queueMicrotask(callback), () => {}) })
        const text = `Here:\n\n${markdown}\n\nAnything else?`
        for (let end = 3; end < text.length; end += 3) {
          view.update(text.slice(0, end))
          view.flush()
        }
        view.finish(text)
        // DOMPurify's profile alone, on the raw HTML (the renderer escapes it first).
        const raw = document.body.appendChild(document.createElement('div'))
        raw.className = 'xss-probe'
        raw.append(sanitizeToFragment(markdown))
        if (!streamed.textContent?.includes('Anything else?')) failures.push(`${name}: answer cut short`)
      }
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 200)))
      return failures
    },
    { rendererUrl, sanitizeUrl, vectors: xssVectors },
  )
  expect(results).toEqual([])
  expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined()
  expect(attacks.dialogs).toEqual([])
  expect(attacks.foreign).toEqual([])
  expect(await findDangers(page, '.xss-probe')).toEqual([])
})
