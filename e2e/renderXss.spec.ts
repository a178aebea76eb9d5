import { fileURLToPath } from 'node:url'
import { expect, test, type BrowserContext, type Page } from '@playwright/test'
import { hiddenCharacterCode, spoofedLinks, xssVectors } from '../src/render/fixtures/xssVectors'
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

test('every hostile vector, streamed in three-character chunks into the live page, runs nothing at any frame', async ({ page }) => {
  const attacks = await watchForAttacks(page)
  await page.goto('/')
  const results = await page.evaluate(
    async ({ rendererUrl, sanitizeUrl, vectors }) => {
      const { StreamingMarkdown } = (await import(/* @vite-ignore */ rendererUrl)) as typeof import('../src/render/streamingMarkdown')
      const { sanitizeToFragment } = (await import(/* @vite-ignore */ sanitizeUrl)) as typeof import('../src/render/sanitize')
      const failures: string[] = []
      // The unfinished tail is built from tokens, not by DOMPurify: look at every frame of it.
      const dangersIn = (root: Element): string[] => {
        const found: string[] = []
        for (const el of root.querySelectorAll('*')) {
          if (el.matches('script, iframe, frame, object, embed, svg, math, style, link, meta, base, form, input, textarea, template, video, audio, noscript, img:not([src])')) found.push(`<${el.tagName}>`)
          for (const attr of el.attributes) {
            if (/^on/i.test(attr.name) || attr.name === 'style' || attr.name === 'srcdoc') found.push(`${el.tagName}[${attr.name}]`)
            if (/^(javascript|vbscript|data):/i.test(attr.value.replace(/[\u0000-\u0020]/g, ''))) found.push(`${el.tagName}[${attr.name}=${attr.value}]`)
          }
          if (el instanceof HTMLImageElement && el.src && new URL(el.src).origin !== location.origin) found.push(`img ${el.src}`)
        }
        return found
      }
      for (const [name, markdown] of vectors) {
        const streamed = document.body.appendChild(document.createElement('div'))
        streamed.className = 'xss-probe'
        const view = new StreamingMarkdown(streamed, { schedule: (callback) => (queueMicrotask(callback), () => {}) })
        const text = `Here:\n\n${markdown}\n\nAnything else?`
        for (let end = 3; end < text.length; end += 3) {
          view.update(text.slice(0, end))
          view.flush()
          for (const danger of dangersIn(streamed)) failures.push(`${name}, after ${end} characters: ${danger}`)
          // Let the browser render some of the half-written states, so a handler would get its chance.
          if (end % 15 === 0) await new Promise((resolve) => requestAnimationFrame(resolve))
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

/** Sends one question to the drawer and waits for the scripted answer to complete. */
async function askForAnswer(page: Page, request: Parameters<typeof scriptNextAnswer>[0], text: string) {
  await scriptNextAnswer(request, { user: 'alice', text, chunkSize: 3, delayMs: 1 })
  await page.goto('/')
  await page.getByRole('button', { name: 'Ask GitLab Duo' }).click()
  const drawer = page.getByRole('complementary', { name: 'Duo Chat' })
  const prompt = drawer.getByRole('textbox', { name: 'Chat prompt' })
  await prompt.fill('Show me some links')
  await prompt.press('Enter')
  const answer = drawer.getByRole('article', { name: /^GitLab Duo/ })
  await expect(answer).toHaveAttribute('data-status', 'complete', { timeout: 25_000 })
  return answer
}

/** Serves evil.example with a page that reports how it was opened, and records each request's Referer. */
async function fakeForeignHost(context: BrowserContext): Promise<string[]> {
  const referers: string[] = []
  await context.route(/^https?:\/\/evil\.example\//, async (route) => {
    referers.push(route.request().headers()['referer'] ?? '')
    await route.fulfill({
      contentType: 'text/html',
      body: '<title>evil</title><script>document.title = JSON.stringify({ opener: window.opener !== null, referrer: document.referrer })</script>',
    })
  })
  return referers
}

const ODD_EXTERNAL_LINKS = [
  '[scheme without slashes](https:evil.example/p)',
  '[protocol-relative](//evil.example/p)',
  '[one slash](https:/evil.example/p)',
  '[reference][r]',
  '<https:evil.example/autolink>',
  '',
  '[r]: //evil.example/ref',
].join('\n')

test('links to another host, however the URL is spelled, open a new tab with no opener and no referrer; the page stays', async ({ page, context, request }) => {
  const referers = await fakeForeignHost(context)
  const answer = await askForAnswer(page, request, `Links:\n\n${ODD_EXTERNAL_LINKS}\n\nDone.`)
  const links = answer.locator('.duo-chat-message__markdown a')
  await expect(links).toHaveCount(5)
  // As the browser resolves them: every one of them leaves the page's origin.
  const seen = await links.evaluateAll((anchors) =>
    anchors.map((a) => [new URL((a as HTMLAnchorElement).href).origin !== location.origin, a.getAttribute('target'), a.getAttribute('rel'), a.getAttribute('referrerpolicy')]),
  )
  expect(seen).toEqual(Array.from({ length: 5 }, () => [true, '_blank', 'noopener noreferrer', 'no-referrer']))

  const pageUrl = page.url()
  for (const link of await links.all()) {
    const [popup] = await Promise.all([page.waitForEvent('popup'), link.click()])
    await expect(popup).toHaveTitle(/^\{/)
    expect(JSON.parse(await popup.title())).toEqual({ opener: false, referrer: '' })
    await popup.close()
  }
  expect(page.url()).toBe(pageUrl)
  expect(referers).toEqual(['', '', '', '', ''])
})

test('spoofed links show their real host beside them, streamed into the live page', async ({ page }) => {
  await page.goto('/')
  const results = await page.evaluate(
    async ({ rendererUrl, vectors }) => {
      const { StreamingMarkdown } = (await import(/* @vite-ignore */ rendererUrl)) as typeof import('../src/render/streamingMarkdown')
      const out: Array<[string, string[]]> = []
      for (const [name, markdown] of vectors) {
        const container = document.body.appendChild(document.createElement('div'))
        const view = new StreamingMarkdown(container, { schedule: (callback) => (queueMicrotask(callback), () => {}) })
        for (let end = 3; end < markdown.length; end += 3) {
          view.update(markdown.slice(0, end))
          view.flush()
        }
        view.finish(markdown)
        out.push([name, [...container.querySelectorAll('.duo-chat-link-host')].map((host) => host.textContent ?? '')])
      }
      return out
    },
    { rendererUrl, vectors: spoofedLinks },
  )
  expect(results).toEqual(spoofedLinks.map(([name, , host]) => [name, [` (${host})`]]))
})

test.describe('hidden characters in code', () => {
  test.use({ permissions: ['clipboard-read', 'clipboard-write'] })

  test('are marked where they are, the block carries a note, and Copy copies the code exactly', async ({ page, request }) => {
    const [, markdown, markers] = hiddenCharacterCode[0]!
    const answer = await askForAnswer(page, request, `Paste this:\n\n${markdown}\n\nDone.`)
    const block = answer.locator('.duo-chat-code')
    await expect(block.getByRole('note')).toContainText('hidden Unicode characters')
    // Highlighting (which rebuilds the code) keeps the markers.
    await expect(block.locator('code[data-duo-highlighted]')).toHaveCount(1)
    await expect(block.locator('.duo-chat-hidden-char')).toHaveText(markers)
    expect(await block.locator('code').evaluate((code) => /[\u061C\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/.test(code.textContent ?? ''))).toBe(false)
    await block.getByRole('button', { name: 'Copy code' }).click()
    await expect(block.getByRole('button', { name: 'Code copied' })).toBeVisible()
    const code = markdown.slice(markdown.indexOf('\n') + 1, markdown.lastIndexOf('```'))
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(code)
  })
})
