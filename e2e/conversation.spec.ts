import { expect, test, type Page } from '@playwright/test'
import { resetGateway, scriptNextAnswer } from './gateway'

test.beforeEach(async ({ request }) => {
  await resetGateway(request)
})

async function openDrawer(page: Page) {
  await page.evaluate(() => window.DuoChat!.focusChatInput())
  return page.getByRole('complementary', { name: 'Duo Chat' })
}

async function ask(page: Page, question: string) {
  const drawer = await openDrawer(page)
  await drawer.getByRole('textbox', { name: 'Chat prompt' }).fill(question)
  await drawer.getByRole('textbox', { name: 'Chat prompt' }).press('Enter')
  return drawer
}

test('Stop mid-stream ends the answer at once and it stays stopped', async ({ page, request }) => {
  await scriptNextAnswer(request, { user: 'alice', text: 'word '.repeat(400), chunkSize: 5, delayMs: 30 })
  await page.goto('/')
  const drawer = await ask(page, 'Write a long answer')
  const answer = drawer.getByRole('article', { name: /^GitLab Duo/ }).first()
  await expect(answer).toHaveAttribute('data-status', 'streaming')
  await drawer.getByRole('button', { name: 'Stop' }).click()
  await expect(answer).toHaveAttribute('data-status', 'stopped')
  await expect(answer).toContainText('Stopped.')
  const text = await answer.innerText()
  // A whole second answer arrives meanwhile; the stopped one has not grown by a chunk.
  await ask(page, 'Hello')
  await expect(drawer.getByRole('article', { name: /^GitLab Duo/ }).last()).toHaveAttribute('data-status', 'complete', { timeout: 20_000 })
  expect(await answer.innerText()).toBe(text)
})

test('a scripted A1001 shows its code, and Retry then answers', async ({ page, request }) => {
  await scriptNextAnswer(request, { user: 'alice', errorCode: 'A1001' })
  await page.goto('/')
  const drawer = await ask(page, 'What is issue #1 about?')
  const failed = drawer.getByRole('article', { name: /^GitLab Duo/ })
  await expect(failed.getByRole('alert')).toContainText('Error code: A1001')
  await expect(failed.getByRole('alert')).toContainText('Try again in a moment')
  await failed.getByRole('button', { name: 'Retry' }).click()
  const answer = drawer.getByRole('article', { name: /^GitLab Duo/ })
  await expect(answer).toHaveCount(1)
  await expect(answer).toContainText('Checkout button unresponsive on Safari', { timeout: 20_000 })
})

test('"/" opens the command menu, and /clear starts a new conversation', async ({ page, request }) => {
  await scriptNextAnswer(request, { user: 'alice', text: 'Hello there.', delayMs: 5 })
  await page.goto('/')
  const drawer = await ask(page, 'Hello')
  await expect(drawer.getByRole('article', { name: /^GitLab Duo/ })).toContainText('Hello there.')
  const prompt = drawer.getByRole('textbox', { name: 'Chat prompt' })
  await prompt.fill('/')
  const menu = drawer.getByRole('listbox', { name: 'Slash commands' })
  await expect(menu.getByRole('option', { name: /\/clear/ })).toBeVisible()
  await prompt.fill('/cle')
  await expect(menu.getByRole('option')).toHaveCount(1)
  await prompt.press('Enter')
  await expect(prompt).toHaveValue('/clear ')
  await prompt.press('Enter')
  await expect(drawer.getByRole('article')).toHaveCount(0)
  await expect(drawer.getByRole('button', { name: 'Summarize this issue' })).toBeVisible()
})

test('New chat, Chat history, and reopening an earlier chat', async ({ page, request }) => {
  await scriptNextAnswer(request, { user: 'alice', text: 'About checkout.', delayMs: 5 })
  await scriptNextAnswer(request, { user: 'alice', text: 'About pipelines.', delayMs: 5 })
  await page.goto('/')
  const drawer = await ask(page, 'First topic: checkout')
  await expect(drawer.getByRole('article', { name: /^GitLab Duo/ })).toContainText('About checkout.')
  await drawer.getByRole('button', { name: 'New chat' }).click()
  await expect(drawer.getByRole('article')).toHaveCount(0)
  await ask(page, 'Second topic: pipelines')
  await expect(drawer.getByRole('article', { name: /^GitLab Duo/ })).toContainText('About pipelines.')

  await drawer.getByRole('button', { name: 'Chat history' }).click()
  const chats = drawer.getByRole('list', { name: 'Chats' })
  await expect(chats.getByRole('listitem')).toHaveCount(2)
  await chats.getByRole('listitem', { name: /First topic/ }).getByRole('button', { name: /^First topic/ }).click()
  await expect(drawer.getByRole('article', { name: /^You/ })).toHaveText([/First topic: checkout/])

  // The open chat survives a reload.
  await page.reload()
  await openDrawer(page)
  await expect(drawer.getByRole('article', { name: /^GitLab Duo/ })).toContainText('About checkout.')
})

test('feedback is remembered after a reload', async ({ page, request }) => {
  await scriptNextAnswer(request, { user: 'alice', text: 'A helpful answer.', delayMs: 5 })
  await page.goto('/')
  const drawer = await ask(page, 'Help me')
  const answer = drawer.getByRole('article', { name: /^GitLab Duo/ })
  await expect(answer).toHaveAttribute('data-status', 'complete')
  await answer.getByRole('button', { name: 'Helpful', exact: true }).click()
  await expect(answer).toContainText('Thank you for your feedback.')
  await page.reload()
  await openDrawer(page)
  await expect(answer).toContainText('Thank you for your feedback.')
  await expect(answer.getByRole('button', { name: 'Helpful', exact: true })).toHaveCount(0)
})

test('two pages of one user show the same conversation live', async ({ browser, request }) => {
  await scriptNextAnswer(request, { user: 'alice', text: 'Seen in both tabs.', delayMs: 5 })
  const context = await browser.newContext()
  const [asking, watching] = [await context.newPage(), await context.newPage()]
  await asking.goto('/')
  await watching.goto('/')
  const watchingDrawer = await openDrawer(watching)
  await expect(watchingDrawer.getByRole('textbox', { name: 'Chat prompt' })).toBeFocused()
  // The watching tab's user-wide subscription is open before the other tab asks.
  await expect(watchingDrawer.getByText('Ask GitLab Duo')).toBeVisible()

  await ask(asking, 'Hello from tab one')
  await expect(watchingDrawer.getByRole('article', { name: /^You/ })).toHaveText([/Hello from tab one/])
  await expect(watchingDrawer.getByRole('article', { name: /^GitLab Duo/ })).toContainText('Seen in both tabs.')
  await context.close()
})
