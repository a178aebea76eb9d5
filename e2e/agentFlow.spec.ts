import { expect, test } from '@playwright/test'
import { resetGateway } from './gateway'

test.beforeEach(async ({ request }) => {
  await resetGateway(request)
})

test('a question goes through the agent and the answer streams in, then survives a reload', async ({ page }) => {
  await page.goto('/')
  const opener = page.getByRole('button', { name: 'Ask GitLab Duo' })
  await opener.click()

  const drawer = page.getByRole('complementary', { name: 'Duo Chat' })
  await expect(drawer).toBeVisible()
  const prompt = drawer.getByRole('textbox', { name: 'Chat prompt' })
  await expect(prompt).toBeFocused()
  await prompt.fill('What is issue #1 about?')
  await prompt.press('Enter')

  const log = drawer.getByRole('log', { name: 'Chat messages' })
  await expect(log.getByRole('article', { name: /^You/ })).toContainText('What is issue #1 about?')
  const answer = log.getByRole('article', { name: /^GitLab Duo/ })
  await expect(answer).toContainText('Issue Reader')
  await expect(drawer.getByRole('button', { name: 'Stop' })).toBeVisible()

  // Streaming: part of the answer is on screen while the article is still busy.
  await expect(answer).toHaveAttribute('data-status', 'streaming')
  const partial = await answer.locator('.duo-chat-message__markdown').innerText()
  expect(partial.length).toBeGreaterThan(0)

  await expect(answer).toHaveAttribute('data-status', 'complete', { timeout: 20_000 })
  const final = await answer.locator('.duo-chat-message__markdown').innerText()
  expect(final.length).toBeGreaterThan(partial.length)
  expect(final).toContain('Checkout button unresponsive on Safari')
  await expect(drawer.getByRole('button', { name: 'Send' })).toBeVisible()
  await expect(drawer.getByRole('status').filter({ hasText: 'Answer ready' })).toBeAttached()

  await page.reload()
  await page.getByRole('button', { name: 'Ask GitLab Duo' }).click()
  const reloaded = page.getByRole('complementary', { name: 'Duo Chat' }).getByRole('log', { name: 'Chat messages' })
  await expect(reloaded.getByRole('article', { name: /^You/ })).toContainText('What is issue #1 about?')
  await expect(reloaded.getByRole('article', { name: /^GitLab Duo/ })).toContainText('Checkout button unresponsive on Safari')
})

test('Escape closes the drawer and focus returns to the host button', async ({ page }) => {
  await page.goto('/')
  const opener = page.getByRole('button', { name: 'Ask GitLab Duo' })
  await opener.click()
  const drawer = page.getByRole('complementary', { name: 'Duo Chat' })
  await expect(drawer).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(drawer).toBeHidden()
  await expect(page.getByRole('complementary', { name: 'Duo Chat' })).toHaveCount(0)
  await expect(opener).toBeFocused()
})

test('a prompt over 10,000 characters is refused and the draft stays', async ({ page }) => {
  await page.goto('/')
  await page.getByRole('button', { name: 'Ask GitLab Duo' }).click()
  const drawer = page.getByRole('complementary', { name: 'Duo Chat' })
  const prompt = drawer.getByRole('textbox', { name: 'Chat prompt' })
  const draft = 'x'.repeat(10_001)
  await prompt.fill(draft)
  await prompt.press('Enter')
  await expect(drawer.getByRole('alert')).toContainText('the limit is 10,000')
  await expect(prompt).toHaveValue(draft)
  await expect(drawer.getByRole('article')).toHaveCount(0)
})

test('an unknown resource answers M3003 with a sentence and a Retry', async ({ page }) => {
  await page.goto('/?resource=gid://gitlab/Issue/4040')
  await page.getByRole('button', { name: 'Ask GitLab Duo' }).click()
  const drawer = page.getByRole('complementary', { name: 'Duo Chat' })
  await drawer.getByRole('textbox', { name: 'Chat prompt' }).fill('What is this issue about?')
  await drawer.getByRole('button', { name: 'Send' }).click()
  const answer = drawer.getByRole('article', { name: /^GitLab Duo/ })
  await expect(answer.getByRole('alert')).toContainText('Error code: M3003')
  await expect(answer.getByRole('alert')).toContainText("You don't have access")
  await expect(answer.getByRole('button', { name: 'Retry' })).toBeVisible()
})

test('when the gateway cannot be reached the drawer says so, and Retry answers once it is back', async ({ page }) => {
  await page.goto('/')
  await page.getByRole('button', { name: 'Ask GitLab Duo' }).click()
  const drawer = page.getByRole('complementary', { name: 'Duo Chat' })
  await expect(drawer.getByRole('textbox', { name: 'Chat prompt' })).toBeFocused()
  await page.route('**/graphql', (route) => route.abort('connectionrefused'))
  await drawer.getByRole('textbox', { name: 'Chat prompt' }).fill('Hello?')
  await drawer.getByRole('button', { name: 'Send' }).click()
  const failed = drawer.getByRole('article', { name: /^GitLab Duo/ })
  await expect(failed.getByRole('alert')).toContainText('Error code: M1000')
  await expect(drawer.getByRole('button', { name: 'Send' })).toBeVisible()

  await page.unroute('**/graphql')
  await failed.getByRole('button', { name: 'Retry' }).click()
  const answers = drawer.getByRole('article', { name: /^GitLab Duo/ })
  await expect(answers).toHaveCount(1)
  await expect(answers).toHaveAttribute('data-status', 'complete', { timeout: 20_000 })
  await expect(drawer.getByRole('article', { name: /^You/ })).toHaveText(/Hello\?/)
})
