import { expect, test } from '@playwright/test'
import { resetGateway } from './gateway'

test.beforeEach(async ({ request }) => {
  await resetGateway(request)
})

test('attached context: remove one of two items, send, and "Context used" lists only the other', async ({ page }) => {
  await page.goto('/')
  await page.evaluate(() => {
    window.DuoChat!.duoChatGlobalState.contexts.push(
      { id: 'acme/shop:src/checkout/button.ts', category: 'FILE', title: 'button.ts', content: "button.addEventListener('touchend', placeOrder)" },
      { id: 'acme/shop:src/checkout/cart.ts', category: 'FILE', title: 'cart.ts', content: 'export const cart = []' },
    )
    window.DuoChat!.focusChatInput()
  })
  const drawer = page.getByRole('complementary', { name: 'Duo Chat' })
  const chips = drawer.getByRole('list', { name: 'Attached context' })
  await expect(chips.getByRole('listitem', { name: 'button.ts' })).toBeVisible()
  await expect(chips.getByRole('listitem', { name: 'cart.ts' })).toBeVisible()

  await chips.getByRole('button', { name: 'Remove cart.ts' }).click()
  await expect(chips.getByRole('listitem', { name: 'cart.ts' })).toHaveCount(0)

  await drawer.getByRole('textbox', { name: 'Chat prompt' }).fill('/explain')
  await drawer.getByRole('textbox', { name: 'Chat prompt' }).press('Escape')
  await drawer.getByRole('button', { name: 'Send' }).click()
  const question = drawer.getByRole('article', { name: /^You/ })
  await expect(question.getByRole('list', { name: 'Context used' }).getByRole('listitem')).toHaveText(['button.ts'])
  await expect(drawer.getByRole('article', { name: /^GitLab Duo/ })).toHaveAttribute('data-status', 'complete', { timeout: 20_000 })

  // What was sent is part of the history: it comes back after a reload.
  await page.reload()
  await page.evaluate(() => window.DuoChat!.focusChatInput())
  await expect(drawer.getByRole('article', { name: /^You/ }).getByRole('list', { name: 'Context used' }).getByRole('listitem')).toHaveText(['button.ts'])
})

test('a documentation question lists its Sources as links', async ({ page }) => {
  await page.goto('/')
  await page.evaluate(() => window.DuoChat!.focusChatInput())
  const drawer = page.getByRole('complementary', { name: 'Duo Chat' })
  // The page's issue is not what this question is about.
  await drawer.getByRole('button', { name: /^Remove / }).first().click()
  await drawer.getByRole('textbox', { name: 'Chat prompt' }).fill('How do I configure a CI/CD pipeline?')
  await drawer.getByRole('button', { name: 'Send' }).click()
  const answer = drawer.getByRole('article', { name: /^GitLab Duo/ })
  await expect(answer).toHaveAttribute('data-status', 'complete', { timeout: 20_000 })
  const sources = answer.getByRole('list', { name: 'Sources' }).getByRole('link')
  await expect(sources.first()).toHaveAttribute('href', /^https:\/\/docs\.gitlab\.com\//)
  await expect(answer.getByRole('group').or(answer.locator('details')).first()).toContainText('Steps')
})

test('a merge request command with injected context answers with its title and no reader step', async ({ page }) => {
  await page.goto('/')
  await page.evaluate(() =>
    window.DuoChat!.sendDuoChatCommand({
      question: 'Summarize this merge request',
      resourceId: 'gid://gitlab/MergeRequest/1',
      contexts: [
        {
          id: 'gid://gitlab/MergeRequest/1',
          category: 'MERGE_REQUEST',
          title: 'Fix Safari checkout click handler',
          content: 'Title: Fix Safari checkout click handler\nDescription: Listen to click instead of touchend so Safari places the order.',
          metadata: { iid: 1, title: 'Fix Safari checkout click handler' },
        },
      ],
    }),
  )
  const drawer = page.getByRole('complementary', { name: 'Duo Chat' })
  const answer = drawer.getByRole('article', { name: /^GitLab Duo/ })
  await expect(answer).toHaveAttribute('data-status', 'complete', { timeout: 20_000 })
  await expect(answer).toContainText('Fix Safari checkout click handler')
  await expect(answer).not.toContainText('Merge Request Reader')
})

test('/include searches the user’s projects; a disabled result is skipped, and the pick becomes a chip', async ({ page }) => {
  await page.goto('/')
  await page.evaluate(() => window.DuoChat!.focusChatInput())
  const drawer = page.getByRole('complementary', { name: 'Duo Chat' })
  const prompt = drawer.getByRole('textbox', { name: 'Chat prompt' })
  await prompt.fill('/include invoice')
  const results = drawer.getByRole('listbox', { name: 'Context to include' })
  await expect(results.getByRole('option', { name: /Invoice PDFs/ })).toHaveAttribute('aria-disabled', 'true')
  await prompt.fill('/include safari')
  await expect(results.getByRole('option', { name: /Fix Safari checkout click handler/ })).toBeVisible()
  await results.getByRole('option', { name: /Fix Safari checkout click handler/ }).click()
  await expect(drawer.getByRole('list', { name: 'Attached context' }).getByRole('listitem', { name: 'Fix Safari checkout click handler' })).toBeVisible()
  await expect(prompt).toHaveValue('')
})
