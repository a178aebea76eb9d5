import { expect, test, type Page } from '@playwright/test'
import { resetGateway, scriptNextAnswer } from './gateway'

// Keyboard only, end to end, in the plain HTML host (`/`), where the drawer lives in the shadow
// root of <duo-chat-drawer>: no click, no fill, no focus() from the test, only key presses.

const CODE = "document.querySelector('.promo-overlay')?.remove()"
const FIRST_ANSWER = 'The promo overlay covers **Pay now** on Safari.'
const SECOND_ANSWER = ['Remove the overlay once the promo ends:', '', '```js', CODE, '```', '', 'Then test the checkout again.'].join('\n')

interface Focus {
  /** Accessible name: aria-label, else the text. */
  name: string
  tag: string
  className: string
  inDrawer: boolean
  /** Index of the answer ("GitLab Duo" article) the element is in, -1 outside any. */
  answer: number
  role: string | null
}

/** What has the keyboard focus, through the shadow root. */
async function focused(page: Page): Promise<Focus | null> {
  return page.evaluate(() => {
    let el = document.activeElement
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement
    if (!el || el === document.body) return null
    const root = el.getRootNode() as Document | ShadowRoot
    const answers = [...root.querySelectorAll('article')].filter((a) => a.querySelector('.duo-chat-message__author')?.textContent?.trim() === 'GitLab Duo')
    const article = el.closest('article')
    return {
      name: (el.getAttribute('aria-label') ?? el.textContent ?? '').trim(),
      tag: el.tagName.toLowerCase(),
      className: typeof el.className === 'string' ? el.className : '',
      inDrawer: el.closest('aside.duo-chat-drawer') !== null,
      answer: article ? answers.indexOf(article) : -1,
      role: el.getAttribute('role'),
    }
  })
}

/** Presses `key` until the focus matches, at most `max` times; returns every focus passed on the way. */
async function pressUntil(page: Page, key: string, match: (focus: Focus | null) => boolean, max = 25): Promise<(Focus | null)[]> {
  const seen: (Focus | null)[] = []
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key)
    const focus = await focused(page)
    seen.push(focus)
    if (match(focus)) return seen
  }
  throw new Error(`${key} never reached the element; passed: ${seen.map((f) => (f ? `${f.tag}"${f.name.slice(0, 30)}"` : 'body')).join(', ')}`)
}

const isOpener = (f: Focus | null) => f?.tag === 'button' && f.name === 'Ask GitLab Duo' && !f.inDrawer
const isPrompt = (f: Focus | null) => f?.tag === 'textarea' && f.name === 'Chat prompt'

async function openWithShortcut(page: Page) {
  await page.goto('/')
  await expect(page.getByRole('button', { name: 'Ask GitLab Duo' })).toBeVisible()
  // Keyboard users reach the host's button first; it is the opener the focus returns to.
  await pressUntil(page, 'Tab', isOpener)
  await page.keyboard.press('Alt+KeyD')
  const drawer = page.getByRole('complementary', { name: 'Duo Chat' })
  await expect(drawer).toBeVisible()
  await expect.poll(async () => isPrompt(await focused(page))).toBe(true)
  return drawer
}

test.beforeEach(async ({ request }) => {
  await resetGateway(request)
})

test.describe('keyboard only', () => {
  test.use({ permissions: ['clipboard-read', 'clipboard-write'] })

  test('open with Alt+D, ask, send with Enter, move through the answers, copy code, close with Escape', async ({ page, request }) => {
    await scriptNextAnswer(request, { user: 'alice', text: FIRST_ANSWER, chunkSize: 16, delayMs: 5 })
    await scriptNextAnswer(request, { user: 'alice', text: SECOND_ANSWER, chunkSize: 16, delayMs: 5 })
    const drawer = await openWithShortcut(page)
    const answers = drawer.getByRole('article', { name: /^GitLab Duo/ })

    // Shift+Enter is a newline; Enter sends.
    await page.keyboard.type('Why does the button')
    await page.keyboard.press('Shift+Enter')
    await page.keyboard.type('do nothing?')
    await expect(drawer.getByRole('textbox', { name: 'Chat prompt' })).toHaveValue('Why does the button\ndo nothing?')
    await page.keyboard.press('Enter')
    await expect(answers.first()).toHaveAttribute('data-status', 'complete')
    await expect(answers.first()).toContainText('covers Pay now on Safari')
    expect(isPrompt(await focused(page)), 'the prompt keeps the focus after sending').toBe(true)
    await expect(drawer.getByRole('textbox', { name: 'Chat prompt' })).toHaveValue('')

    await page.keyboard.type('How do I remove it?')
    await page.keyboard.press('Enter')
    await expect(answers).toHaveCount(2)
    await expect(answers.nth(1)).toHaveAttribute('data-status', 'complete')

    // Back to the conversation: Shift+Tab reaches the "Chat messages" log...
    await pressUntil(page, 'Shift+Tab', (f) => f?.role === 'log' && f.name === 'Chat messages')
    // ...and Tab moves from the log through the first answer's controls into the second's.
    const path = await pressUntil(page, 'Tab', (f) => f?.answer === 1)
    expect(path.every((f) => f?.inDrawer)).toBe(true)
    expect(path.some((f) => f?.answer === 0 && f.name === 'Copy'), 'the first answer is passed on the way').toBe(true)
    expect((await focused(page))?.answer).toBe(1)

    // The second answer's code block has its own Copy button; Enter presses it.
    const codeCopy = (f: Focus | null) => f?.answer === 1 && f.className.includes('duo-chat-code__copy')
    if (!codeCopy(await focused(page))) await pressUntil(page, 'Shift+Tab', codeCopy, 5).catch(() => pressUntil(page, 'Tab', codeCopy, 8))
    await page.keyboard.press('Enter')
    await expect(answers.nth(1).getByRole('button', { name: 'Copied' })).toBeVisible()
    // (marked ends a code block's text with a newline; whether the copy keeps it is not the point here.)
    expect((await page.evaluate(() => navigator.clipboard.readText())).trimEnd()).toBe(CODE)

    // Escape closes the drawer from wherever the focus is in it, and the focus goes back to the opener.
    await page.keyboard.press('Escape')
    await expect(drawer).toBeHidden()
    await expect(page.getByRole('button', { name: 'Ask GitLab Duo' })).toBeFocused()

    // Alt+D toggles: it opens again with the conversation kept, the prompt focused.
    await page.keyboard.press('Alt+KeyD')
    await expect(drawer).toBeVisible()
    await expect(answers).toHaveCount(2)
    await expect.poll(async () => isPrompt(await focused(page))).toBe(true)
  })
})

test('on a narrow screen the open drawer covers the page and keeps the focus until closed', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 800 })
  const drawer = await openWithShortcut(page)
  const box = await drawer.boundingBox()
  expect(box).toMatchObject({ x: 0, y: 0, width: 390, height: 800 })

  // The prompt is the last element Tab reaches while the draft is empty (Send is disabled).
  await page.keyboard.press('Tab')
  const first = await focused(page)
  expect(first).toMatchObject({ tag: 'button', name: 'Chat history', inDrawer: true })
  await page.keyboard.press('Shift+Tab')
  expect(isPrompt(await focused(page)), 'Shift+Tab from the first element wraps to the last').toBe(true)

  // A whole round of Tab never leaves the drawer and comes back to the prompt.
  const round = await pressUntil(page, 'Tab', isPrompt, 30)
  expect(round.length).toBeGreaterThan(3)
  expect(round.filter((f) => !f?.inDrawer)).toEqual([])
  // ...and the same backwards.
  const back = await pressUntil(page, 'Shift+Tab', isPrompt, 30)
  expect(back.filter((f) => !f?.inDrawer)).toEqual([])
  expect(back.map((f) => f?.name)).toEqual([...round.map((f) => f?.name)].reverse().slice(1).concat('Chat prompt'))

  // With a draft, Send is the last element.
  await page.keyboard.type('Hello')
  await page.keyboard.press('Tab')
  expect(await focused(page)).toMatchObject({ name: 'Send', inDrawer: true })
  await page.keyboard.press('Tab')
  expect(await focused(page)).toMatchObject({ name: 'Chat history', inDrawer: true })

  await page.keyboard.press('Escape')
  await expect(drawer).toBeHidden()
  await expect(page.getByRole('button', { name: 'Ask GitLab Duo' })).toBeFocused()
})
