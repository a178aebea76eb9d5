import { expect, test } from '@playwright/test'
import { resetGateway, scriptNextAnswer } from './gateway'

test.beforeEach(async ({ request }) => {
  await resetGateway(request)
})

test('a dropped connection mid-answer shows "Reconnecting…" and the whole answer still arrives', async ({ page, request }) => {
  const text = 'This answer survives a dropped connection. '.repeat(6).trim()
  await scriptNextAnswer(request, { user: 'alice', text, chunkSize: 6, delayMs: 40, dropConnectionAfterChunk: 3 })
  await page.goto('/')
  await page.evaluate(() => window.DuoChat!.focusChatInput())
  const drawer = page.getByRole('complementary', { name: 'Duo Chat' })
  await drawer.getByRole('textbox', { name: 'Chat prompt' }).fill('Tell me something')
  await drawer.getByRole('textbox', { name: 'Chat prompt' }).press('Enter')
  await expect(drawer.getByRole('status').filter({ hasText: 'Reconnecting…' })).toBeVisible()
  const answer = drawer.getByRole('article', { name: /^GitLab Duo/ })
  await expect(answer).toHaveAttribute('data-status', 'complete', { timeout: 20_000 })
  await expect(answer.locator('.duo-chat-message__markdown')).toHaveText(text)
  await expect(drawer.getByRole('status').filter({ hasText: 'Reconnecting…' })).toHaveCount(0)
  await expect(drawer.getByRole('article')).toHaveCount(2)
})
