import { expect, test, type Page } from '@playwright/test'
import { resetGateway } from './gateway'

// demo/embed.html loads the real script-tag bundle (`npm run build` makes it before the e2e run).
async function openHost(page: Page, hostile: boolean): Promise<void> {
  await page.goto(hostile ? '/embed.html?hostile' : '/embed.html')
  // The hostile stylesheet hides the page's own buttons, so the page opens the drawer by script.
  await page.evaluate(() => window.DuoChat!.focusChatInput())
}

test.beforeEach(async ({ request }) => {
  await resetGateway(request)
})

test('the standalone bundle defines window.DuoChat and <duo-chat-drawer>, and answers', async ({ page }) => {
  const partsLoaded: string[] = []
  page.on('response', (response) => {
    const file = /\/(duo-chat-drawer\.[\w-]+\.js)$/.exec(new URL(response.url()).pathname)?.[1]
    if (file && response.ok()) partsLoaded.push(file)
  })
  await openHost(page, false)
  expect(await page.evaluate(() => Object.keys(window.DuoChat!))).toEqual(expect.arrayContaining(['duoChatGlobalState', 'focusChatInput', 'mount', 'sendDuoChatCommand']))
  expect(await page.evaluate(() => customElements.get('duo-chat-drawer') !== undefined)).toBe(true)
  const drawer = page.getByRole('complementary', { name: 'Duo Chat' })
  await drawer.getByRole('textbox', { name: 'Chat prompt' }).fill('What is issue #1 about?')
  await drawer.getByRole('button', { name: 'Send' }).click()
  await expect(drawer.getByRole('article', { name: /^GitLab Duo/ })).toContainText('Checkout button unresponsive on Safari', { timeout: 20_000 })
  // The markdown renderer is a file beside the script, loaded on demand: the answer is rendered
  // markdown (paragraphs), not the plain text that stands in until the renderer has loaded.
  await expect(drawer.getByRole('article', { name: /^GitLab Duo/ }).locator('.duo-chat-message__markdown p').first()).toBeVisible()
  expect(partsLoaded).toContain('duo-chat-drawer.renderer.js')
})

test('the custom element looks the same on a page with hostile CSS, and its styles stay inside', async ({ page }) => {
  await page.setViewportSize({ width: 1000, height: 700 })
  await openHost(page, false)
  const drawer = page.getByRole('complementary', { name: 'Duo Chat' })
  await expect(drawer).toBeVisible()
  await expect(drawer).toHaveScreenshot('standalone-drawer.png', { maxDiffPixelRatio: 0.01 })

  await openHost(page, true)
  await expect(drawer).toBeVisible()
  await expect(drawer).toHaveScreenshot('standalone-drawer.png', { maxDiffPixelRatio: 0.01 })
  await expect(drawer.getByRole('textbox', { name: 'Chat prompt' })).toBeFocused()

  // Nothing of the drawer's stylesheet reaches the host's own elements with the same class names.
  await openHost(page, false)
  expect(await page.locator('h1').evaluate((h1) => getComputedStyle(h1).fontSize)).toBe('32px')
})
