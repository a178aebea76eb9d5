import { expect, type Locator, type Page } from '@playwright/test'
import { ask } from './drawer'
import { scriptNextAnswer } from './gateway'

/** An answer wider than the drawer: a table, a long line of code, a long link and an unbroken string. */
export const WIDE_ANSWER = [
  '## Browser support',
  '',
  '| Browser | Version | Engine | Released | Checkout works |',
  '| --- | --- | --- | --- | --- |',
  '| Safari | 17.4 | WebKit | March 2024 | No: the overlay keeps intercepting clicks |',
  '| Chrome | 123 | Blink | March 2024 | Yes |',
  '| Firefox | 124 | Gecko | March 2024 | Yes |',
  '',
  '```js',
  "document.querySelectorAll('.promo-overlay, .promo-overlay__backdrop').forEach((element) => element.remove()) // remove every overlay",
  '```',
  '',
  'See https://gitlab.example.com/acme/shop/-/merge_requests/1/diffs?commit_id=0123456789abcdef0123456789abcdef01234567 and the hash sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.',
].join('\n')

/** The demo (the custom element in a shadow root), opened at `viewport`, with a width remembered for alice when `stored`. */
export async function openDrawer(page: Page, { viewport, stored = null, rtl = false }: { viewport: { width: number; height: number }; stored?: number | null; rtl?: boolean }): Promise<Locator> {
  await page.setViewportSize(viewport)
  if (stored !== null) {
    await page.addInitScript((width) => localStorage.setItem('duo-chat-drawer:width:gid://gitlab/User/1', String(width)), stored)
  }
  await page.goto('/')
  await page.waitForFunction(() => window.DuoChat !== undefined)
  if (rtl) await page.evaluate(() => document.documentElement.setAttribute('dir', 'rtl'))
  await page.evaluate(() => window.DuoChat!.focusChatInput())
  const drawer = page.getByRole('complementary', { name: 'Duo Chat' })
  await expect(drawer).toBeVisible()
  await expect(drawer.getByText('Ask GitLab Duo', { exact: true })).toBeVisible()
  await expect(drawer.getByRole('list', { name: 'Attached context' }).getByRole('listitem')).toHaveCount(1)
  return drawer
}

export async function askForWideAnswer(page: Page, drawer: Locator): Promise<Locator> {
  await scriptNextAnswer(page.request, { user: 'alice', text: WIDE_ANSWER, chunkSize: 60, delayMs: 5 })
  const answer = await ask(drawer, 'Which browsers does checkout work in?')
  await expect(answer).toHaveAttribute('data-status', 'complete')
  await expect(answer.getByRole('table')).toBeVisible()
  return answer
}

