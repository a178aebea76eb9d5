import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'
import { ask } from './drawer'
import { gatewayOrigin, resetGateway } from './gateway'

declare global {
  interface Window {
    /** The reasons the host's provider was called with, in order. */
    selectionCalls?: string[]
  }
}

const SNIPPET = "checkoutButton.addEventListener('touchend', placeOrder)"

/** The host page registers a reactive provider, as a script-tag host would. */
async function registerSelectionProvider(page: Page): Promise<void> {
  await page.evaluate((content) => {
    window.selectionCalls = []
    window.DuoChat!.registerContextProvider({
      name: 'selection',
      title: 'Selected text',
      category: 'SNIPPET',
      mode: 'reactive',
      async provide({ reason }) {
        window.selectionCalls!.push(reason)
        return { id: 'checkout.ts:10-12', category: 'SNIPPET', title: 'checkout.ts lines 10–12', content }
      },
    })
    window.DuoChat!.focusChatInput()
  }, SNIPPET)
}

test.beforeEach(async ({ request }) => {
  await resetGateway(request)
  const response = await request.post(`${gatewayOrigin}/__mock/settings`, { data: { user: 'alice', pipeline: 'rag' } })
  expect(response.ok(), await response.text()).toBe(true)
})

test('the engine asks the page’s reactive provider, the answer uses it and "Context used" lists it; excluded, it is not called', async ({ page }) => {
  await page.goto('/')
  await registerSelectionProvider(page)
  const drawer = page.getByRole('complementary', { name: 'Duo Chat' })
  // The page's issue is not what these questions are about.
  await drawer.getByRole('list', { name: 'Attached context' }).getByRole('button', { name: /^Remove / }).first().click()

  const answer = await ask(drawer, 'Why does this code not fire on Safari?')
  await expect(answer).toHaveAttribute('data-status', 'complete', { timeout: 20_000 })
  await expect(answer).toContainText("addEventListener('touchend', placeOrder)")
  expect(await page.evaluate(() => window.selectionCalls)).toEqual([expect.stringMatching(/\w/)])

  const question = drawer.getByRole('article', { name: /^You/ }).last()
  const used = question.getByRole('list', { name: 'Context used' })
  await expect(used.getByRole('listitem', { name: 'checkout.ts lines 10–12' })).toContainText('from Selected text')
  // The steps say the page was asked, for what, and how long it took.
  await answer.getByText('Steps').click()
  const steps = answer.getByRole('list', { name: 'Steps' })
  await expect(steps.getByRole('listitem').filter({ hasText: 'Asking the page for more context' })).toContainText(/read selection/)
  await expect(steps.getByRole('listitem').filter({ hasText: 'Asking the page for more context' })).toContainText(/\d+(\.\d)? m?s/)

  // What reached the model and the steps are stored with the answer: they come back after a reload.
  await page.reload()
  await registerSelectionProvider(page)
  const reloaded = drawer.getByRole('article', { name: /^You/ }).last().getByRole('list', { name: 'Context used' })
  await expect(reloaded.getByRole('listitem', { name: 'checkout.ts lines 10–12' })).toContainText('from Selected text')
  const reloadedAnswer = drawer.getByRole('article', { name: /^GitLab Duo/ }).last()
  await reloadedAnswer.getByText('Steps').click()
  await expect(reloadedAnswer.getByRole('list', { name: 'Steps' })).toContainText('Asking the page for more context')

  // The user turns the provider off in "Context sources": it is not called, and nothing of it is used.
  await drawer.getByRole('button', { name: 'Context sources' }).click()
  const toggle = drawer.getByRole('switch', { name: 'Selected text' })
  await expect(toggle).toHaveAttribute('aria-checked', 'true')
  await toggle.click()
  await expect(toggle).toHaveAttribute('aria-checked', 'false')
  await drawer.getByRole('button', { name: 'Context sources' }).click()

  const second = await ask(drawer, 'Why does this code not fire on Safari?')
  await expect(second).toHaveAttribute('data-status', 'complete', { timeout: 20_000 })
  expect(await page.evaluate(() => window.selectionCalls)).toEqual([])
  await expect(second).not.toContainText("addEventListener('touchend', placeOrder)")
  await expect(drawer.getByRole('article', { name: /^You/ }).last().getByRole('listitem', { name: 'checkout.ts lines 10–12' })).toHaveCount(0)

  // The choice is remembered for alice across a reload.
  await page.reload()
  await registerSelectionProvider(page)
  await drawer.getByRole('button', { name: 'Context sources' }).click()
  await expect(drawer.getByRole('switch', { name: 'Selected text' })).toHaveAttribute('aria-checked', 'false')
  await expect(drawer.getByRole('switch', { name: 'Current page' })).toHaveAttribute('aria-checked', 'true')
})

test('Context sources, Context used and the Steps pass axe (WCAG 2.2 AA) inside the element’s shadow root', async ({ page }) => {
  await page.goto('/')
  await registerSelectionProvider(page)
  const drawer = page.getByRole('complementary', { name: 'Duo Chat' })
  const axe = async () =>
    (
      await new AxeBuilder({ page })
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
        .include({ fromShadowDom: ['duo-chat-drawer', 'aside.duo-chat-drawer'] })
        .analyze()
    ).violations.flatMap((v) => v.nodes.map((node) => `${v.id}: ${JSON.stringify(node.target)}`))

  await drawer.getByRole('button', { name: 'Context sources' }).click()
  await expect(drawer.getByRole('switch', { name: 'GitLab documentation' })).toBeVisible()
  await drawer.getByRole('switch', { name: 'Selected text' }).focus()
  await page.keyboard.press('Space')
  await expect(drawer.getByRole('switch', { name: 'Selected text' })).toHaveAttribute('aria-checked', 'false')
  await page.keyboard.press('Space')
  await expect(drawer.getByRole('switch', { name: 'Selected text' })).toHaveAttribute('aria-checked', 'true')
  expect(await axe(), 'Context sources open').toEqual([])

  await drawer.getByRole('list', { name: 'Attached context' }).getByRole('button', { name: /^Remove / }).first().click()
  const answer = await ask(drawer, 'Why does this code not fire on Safari?')
  await expect(answer).toHaveAttribute('data-status', 'complete', { timeout: 20_000 })
  await answer.getByText('Steps').click()
  await expect(answer.getByRole('list', { name: 'Steps' })).toBeVisible()
  expect(await axe(), 'Context used and Steps').toEqual([])
})
