import { expect, test, type Locator, type Page } from '@playwright/test'
import { longAnswer } from '../src/render/fixtures/answers'
import { releaseAnswer, resetGateway, scriptNextAnswer } from './gateway'

test.beforeEach(async ({ request }) => {
  await resetGateway(request)
})

/** How far the log is scrolled from its bottom, in px. */
function distanceFromBottom(log: Locator): Promise<number> {
  return log.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight)
}

/**
 * The same, as the next frame paints it. Plain words reach the DOM between frames, and the log
 * catches up in the frame's ResizeObserver step, before paint: an observer made now runs after
 * the drawer's and sees what the reader will see.
 */
function paintedDistanceFromBottom(log: Locator): Promise<number> {
  return log.evaluate(
    (el) =>
      new Promise<number>((resolve) => {
        const observer = new ResizeObserver(() => {
          observer.disconnect()
          resolve(el.scrollHeight - el.scrollTop - el.clientHeight)
        })
        observer.observe(el.querySelector('.duo-chat-log__content')!)
      }),
  )
}

/** The log's scrollTop once a smooth scroll has landed: the same over three frames. */
function settledScrollTop(log: Locator): Promise<number> {
  return log.evaluate(
    (el) =>
      new Promise<number>((resolve) => {
        let last = -1
        let same = 0
        const check = (): void => {
          same = el.scrollTop === last ? same + 1 : 0
          last = el.scrollTop
          if (same >= 3) resolve(last)
          else requestAnimationFrame(check)
        }
        requestAnimationFrame(check)
      }),
  )
}

async function openAndAsk(page: Page, question: string): Promise<{ drawer: Locator; log: Locator }> {
  const drawer = page.getByRole('complementary', { name: 'Duo Chat' })
  if (!(await drawer.isVisible())) await page.getByRole('button', { name: 'Ask GitLab Duo' }).click()
  const prompt = drawer.getByRole('textbox', { name: 'Chat prompt' })
  await prompt.fill(question)
  await prompt.press('Enter')
  return { drawer, log: drawer.getByRole('log', { name: 'Chat messages' }) }
}

test('the log follows a streaming answer, stops when the reader scrolls up, and resumes on "Jump to latest" and on a new question', async ({ page, request }) => {
  // The stream pauses at each hold until the test releases it, so every step below acts while the
  // answer is still streaming, and sees it grow by at least 70 chunks, however slow the machine.
  await scriptNextAnswer(request, { user: 'alice', text: longAnswer(16_000), chunkSize: 30, delayMs: 12, holdAfterChunks: [250, 320, 390, 460] })
  await page.goto('/')
  const { drawer, log } = await openAndAsk(page, 'Explain the checkout flow')
  const answer = log.getByRole('article', { name: /^GitLab Duo/ }).last()
  const jump = drawer.getByRole('button', { name: 'Jump to latest' })

  // Following: once the answer overflows the log, the newest text stays in view.
  await expect.poll(() => log.evaluate((el) => el.scrollHeight > el.clientHeight * 2)).toBe(true)
  await expect(answer).toHaveAttribute('data-status', 'streaming')
  for (let frame = 0; frame < 5; frame++) expect(await paintedDistanceFromBottom(log)).toBeLessThanOrEqual(32)
  await expect(jump).toBeHidden()

  // The reader scrolls up: the view stays where they put it while the answer keeps growing.
  await log.hover()
  await page.mouse.wheel(0, -400)
  await expect(jump).toBeVisible()
  const readingAt = await settledScrollTop(log)
  const heightThen = await log.evaluate((el) => el.scrollHeight)
  await releaseAnswer(request, 'alice')
  await expect.poll(() => log.evaluate((el) => el.scrollHeight)).toBeGreaterThan(heightThen + 200)
  expect(await log.evaluate((el) => el.scrollTop)).toBe(readingAt)
  await expect(answer).toHaveAttribute('data-status', 'streaming')

  // "Jump to latest" goes back to the bottom and follows again.
  await jump.click()
  await expect(jump).toBeHidden()
  await expect(log).toBeFocused()
  const heightAtJump = await log.evaluate((el) => el.scrollHeight)
  await releaseAnswer(request, 'alice')
  await expect.poll(() => log.evaluate((el) => el.scrollHeight)).toBeGreaterThan(heightAtJump + 200)
  expect(await paintedDistanceFromBottom(log)).toBeLessThanOrEqual(32)

  // The keyboard too: Page Up in the log stops following while the answer keeps growing.
  await page.keyboard.press('PageUp')
  await expect(jump).toBeVisible()
  const keyedAt = await settledScrollTop(log)
  const heightAtKey = await log.evaluate((el) => el.scrollHeight)
  await releaseAnswer(request, 'alice')
  await expect.poll(() => log.evaluate((el) => el.scrollHeight)).toBeGreaterThan(heightAtKey + 200)
  expect(await log.evaluate((el) => el.scrollTop)).toBe(keyedAt)
  await jump.click()
  await expect(jump).toBeHidden()

  // Scrolled up again when the answer ends: a new question brings the reader back to it.
  await releaseAnswer(request, 'alice')
  await expect(answer).toHaveAttribute('data-status', 'complete', { timeout: 20_000 })
  await log.hover()
  await page.mouse.wheel(0, -800)
  await expect(jump).toBeVisible()
  await scriptNextAnswer(request, { user: 'alice', text: 'A short second answer.', chunkSize: 5, delayMs: 10 })
  await openAndAsk(page, 'And the next step?')
  await expect(jump).toBeHidden()
  await expect(log.getByRole('article', { name: /^GitLab Duo/ }).last()).toHaveAttribute('data-status', 'complete')
  await expect.poll(() => distanceFromBottom(log)).toBeLessThanOrEqual(32)
  await expect(log.getByText('A short second answer.')).toBeInViewport()
})

test('a streamed code block has its language and a "Copy code" button that copies the code', async ({ page, request, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'])
  const code = 'def submit_order\n  return if @submitting\n\n  @submitting = true\nend'
  // Held inside the code block (chunk 8 of 26) until the button has been checked mid-stream.
  await scriptNextAnswer(request, { user: 'alice', text: `Guard it:\n\n\`\`\`ruby\n${code}\n\`\`\`\n\nThat is all.`, chunkSize: 4, delayMs: 15, holdAfterChunks: [8] })
  await page.goto('/')
  const { log } = await openAndAsk(page, 'How do I guard it?')
  const answer = log.getByRole('article', { name: /^GitLab Duo/ })
  const copy = answer.getByRole('button', { name: 'Copy code' })
  // The block, its label and its button show while the code is still arriving.
  await expect(copy).toBeVisible()
  await expect(answer).toHaveAttribute('data-status', 'streaming')
  await expect(answer.locator('.duo-chat-code__lang')).toHaveText('ruby')
  const handle = await copy.elementHandle()
  await releaseAnswer(request, 'alice')
  await expect(answer).toHaveAttribute('data-status', 'complete')
  // The same button element throughout: it was never re-created.
  expect(await handle!.evaluate((el) => el.isConnected)).toBe(true)
  await copy.click()
  await expect(answer.getByRole('button', { name: 'Code copied' })).toHaveText('Copied')
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${code}\n`)
})
