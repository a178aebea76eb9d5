import { expect, test, type Locator, type Page } from '@playwright/test'
import { ask } from './drawer'
import { resetGateway, scriptNextAnswer } from './gateway'

// Visual review: the drawer's key states as screenshots, compared with the baselines committed in
// e2e/visual.spec.ts-snapshots/. A UI change shows up as a failing comparison with a diff image;
// when the change is meant, update the baselines (see README.keyboard.md) and review the new PNGs.
//
// Deterministic on purpose: scripted answers (no agent timing) except the one with sources and
// steps, a wait for data-status="complete", animations off (toHaveScreenshot's default) and the
// messages' clock times masked.

const MARKDOWN = [
  '## Why the button does nothing',
  '',
  'The promo overlay covers **Pay now** on Safari:',
  '',
  '- the overlay has `z-index: 10`',
  '- Safari keeps it after the promo ends',
  '',
  '```js',
  "document.querySelector('.promo-overlay')?.remove()",
  '```',
  '',
  '| Browser | Works |',
  '| --- | --- |',
  '| Safari | no |',
  '| Chrome | yes |',
].join('\n')

test.use({ viewport: { width: 1100, height: 900 } })

test.beforeEach(async ({ request }) => {
  await resetGateway(request)
})

async function open(page: Page, { rtl = false } = {}): Promise<Locator> {
  await page.goto('/')
  await page.waitForFunction(() => window.DuoChat !== undefined)
  if (rtl) await page.evaluate(() => document.documentElement.setAttribute('dir', 'rtl'))
  await page.evaluate(() => window.DuoChat!.focusChatInput())
  const drawer = page.getByRole('complementary', { name: 'Duo Chat' })
  await expect(drawer).toBeVisible()
  // The history is loaded (empty) and the page's resource is checked: the empty state is final.
  await expect(drawer.getByText('Ask GitLab Duo', { exact: true })).toBeVisible()
  await expect(drawer.getByRole('list', { name: 'Attached context' }).getByRole('listitem')).toHaveCount(1)
  return drawer
}

async function snapshot(drawer: Locator, name: string): Promise<void> {
  // A step's duration differs from run to run, like the clock times.
  await expect(drawer).toHaveScreenshot(name, { maxDiffPixelRatio: 0.02, mask: [drawer.locator('time'), drawer.locator('.duo-chat-step__duration')] })
}

test('empty, with the predefined prompts', async ({ page }) => {
  const drawer = await open(page)
  await expect(drawer.locator('.duo-chat-prompts button')).not.toHaveCount(0)
  await snapshot(drawer, 'empty.png')
})

test('a finished answer with markdown: heading, list, code block, table', async ({ page, request }) => {
  const drawer = await open(page)
  await scriptNextAnswer(request, { user: 'alice', text: MARKDOWN, chunkSize: 40, delayMs: 5 })
  const answer = await ask(drawer, 'Why does the button do nothing?')
  await expect(answer).toHaveAttribute('data-status', 'complete')
  await expect(answer.getByRole('table')).toBeVisible()
  await snapshot(drawer, 'markdown-answer.png')
})

test('an answer from the docs with its Sources and Steps', async ({ page }) => {
  const drawer = await open(page)
  const answer = await ask(drawer, 'How do I create an issue?')
  await expect(answer).toHaveAttribute('data-status', 'complete', { timeout: 20_000 })
  await expect(answer.getByRole('list', { name: 'Sources' })).toBeVisible()
  await answer.getByText('Steps', { exact: true }).click()
  await expect(answer.getByRole('list', { name: 'Steps' })).toBeVisible()
  await snapshot(drawer, 'sources-and-steps.png')
})

test('an error with its code and Retry', async ({ page, request }) => {
  const drawer = await open(page)
  await scriptNextAnswer(request, { user: 'alice', errorCode: 'A1001' })
  const answer = await ask(drawer, 'What is issue #1 about?')
  await expect(answer).toHaveAttribute('data-status', 'error')
  await expect(answer.getByRole('alert')).toContainText('Error code: A1001')
  await snapshot(drawer, 'error.png')
})

test('context chips: attached, and one the gateway refuses', async ({ page }) => {
  const drawer = await open(page)
  await page.evaluate(() => {
    window.DuoChat!.duoChatGlobalState.contexts.push(
      { id: 'gid://gitlab/MergeRequest/1', category: 'MERGE_REQUEST', title: 'Fix Safari checkout click handler' },
      { id: 'gid://gitlab/Issue/50', category: 'ISSUE', title: 'Invoice PDFs render without the company logo' },
    )
  })
  const chips = drawer.getByRole('list', { name: 'Attached context' })
  await expect(chips.getByRole('listitem')).toHaveCount(3)
  await expect(chips.getByRole('listitem', { name: 'Invoice PDFs render without the company logo' })).toHaveAttribute('aria-disabled', 'true')
  await snapshot(drawer, 'context-chips.png')
})

test('queued prompts behind a running one', async ({ page, request }) => {
  const drawer = await open(page)
  // The first chunk arrives at once, the next in a minute: the first command holds still, running.
  await scriptNextAnswer(request, { user: 'alice', text: 'Looking at the issue now. More in a moment.', chunkSize: 26, delayMs: 60_000 })
  await page.evaluate(() => {
    const { sendDuoChatCommand } = window.DuoChat!
    for (const question of ['/explain', 'Summarize the discussion', 'What should I do next?']) {
      sendDuoChatCommand({ question, resourceId: 'gid://gitlab/Issue/1' }).catch(() => {})
    }
  })
  await expect(drawer.getByRole('list', { name: 'Queued prompts' }).getByRole('listitem')).toHaveCount(2)
  const answer = drawer.getByRole('article', { name: /^GitLab Duo/ }).last()
  await expect(answer).toHaveAttribute('data-status', 'streaming')
  await expect(answer).toContainText('Looking at the issue now.')
  await snapshot(drawer, 'queued-prompts.png')
})

test('the slash-command menu', async ({ page }) => {
  const drawer = await open(page)
  await drawer.getByRole('textbox', { name: 'Chat prompt' }).press('/')
  await expect(drawer.getByRole('listbox').getByRole('option')).not.toHaveCount(0)
  await snapshot(drawer, 'slash-command-menu.png')
})

test('the chat history list', async ({ page, request }) => {
  const drawer = await open(page)
  for (const question of ['How do I create an epic?', 'Summarize merge request !1']) {
    await scriptNextAnswer(request, { user: 'alice', text: `Answer to: ${question}`, chunkSize: 40, delayMs: 5 })
    await expect(await ask(drawer, question)).toHaveAttribute('data-status', 'complete')
    await drawer.getByRole('button', { name: 'New chat' }).click()
  }
  await drawer.getByRole('button', { name: 'Chat history' }).click()
  await expect(drawer.getByRole('list', { name: 'Chats' }).getByRole('listitem')).toHaveCount(2)
  await snapshot(drawer, 'chat-history.png')
})

test('dark theme, following prefers-color-scheme', async ({ page, request }) => {
  await page.emulateMedia({ colorScheme: 'dark' })
  const drawer = await open(page)
  await scriptNextAnswer(request, { user: 'alice', text: MARKDOWN, chunkSize: 40, delayMs: 5 })
  const answer = await ask(drawer, 'Why does the button do nothing?')
  await expect(answer).toHaveAttribute('data-status', 'complete')
  await expect(answer.getByRole('table')).toBeVisible()
  await snapshot(drawer, 'dark.png')
})

test('right to left, following the page', async ({ page, request }) => {
  const drawer = await open(page, { rtl: true })
  await scriptNextAnswer(request, { user: 'alice', text: MARKDOWN, chunkSize: 40, delayMs: 5 })
  const answer = await ask(drawer, 'Why does the button do nothing?')
  await expect(answer).toHaveAttribute('data-status', 'complete')
  // The drawer sits at the inline end of a right-to-left page: the left edge.
  expect((await drawer.boundingBox())?.x).toBe(0)
  await snapshot(drawer, 'rtl.png')
})
