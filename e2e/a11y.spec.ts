import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Locator, type Page } from '@playwright/test'
import { ask } from './drawer'
import { resetGateway, scriptNextAnswer } from './gateway'

// axe (WCAG 2.2 A and AA) on the drawer's main states, in the Vue host and in the script-tag
// host, where the drawer lives in a shadow root. Only the drawer is checked: the demo's host page
// is not the product.
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

const MARKDOWN = [
  '## Why the button does nothing',
  'The promo overlay covers **Pay now**; see [the MR](https://gitlab.example.com/acme/shop/-/merge_requests/1).',
  '',
  '```ts',
  "button.addEventListener('click', (event) => event.preventDefault())",
  '```',
  '',
  '| Browser | Works |',
  '| --- | --- |',
  '| Safari | no |',
  '| Chrome | yes |',
  '',
  '> Remove the overlay after the promo.',
].join('\n')

test.beforeEach(async ({ request }) => {
  await resetGateway(request)
})

/** The drawer's accessibility violations, one readable line per node. */
async function violations(page: Page, { shadowHost }: { shadowHost?: string } = {}): Promise<string[]> {
  const builder = new AxeBuilder({ page }).withTags(WCAG)
  builder.include(shadowHost ? { fromShadowDom: [shadowHost, 'aside.duo-chat-drawer'] } : 'aside.duo-chat-drawer')
  const { violations: found } = await builder.analyze()
  return found.flatMap((violation) =>
    violation.nodes.map((node) => `${violation.id} (${violation.impact}): ${JSON.stringify(node.target)} ${node.failureSummary?.replace(/\s+/g, ' ')}`),
  )
}

async function open(page: Page, path: string): Promise<Locator> {
  await page.goto(path)
  await page.getByRole('button', { name: 'Ask GitLab Duo' }).first().click()
  const drawer = page.getByRole('complementary', { name: 'Duo Chat' })
  await expect(drawer).toBeVisible()
  return drawer
}

test.describe('axe finds no violations in the drawer', () => {
  test('empty, streaming, markdown, a tool step, steps, an error with Retry', async ({ page, request }) => {
    const drawer = await open(page, '/vue.html')
    expect(await violations(page), 'open and empty').toEqual([])

    await scriptNextAnswer(request, { user: 'alice', text: MARKDOWN, chunkSize: 24, delayMs: 150 })
    const markdown = await ask(drawer, 'Why does the button do nothing?')
    await expect(markdown).toHaveAttribute('data-status', 'streaming')
    expect(await violations(page), 'streaming').toEqual([])
    await expect(markdown).toHaveAttribute('data-status', 'complete')
    await expect(markdown.getByRole('table')).toBeVisible()
    expect(await violations(page), 'markdown with code, a table and links').toEqual([])

    const agent = await ask(drawer, 'What is issue #1 about?')
    await expect(agent).toContainText('Issue Reader')
    expect(await violations(page), 'a tool step').toEqual([])
    await expect(agent).toHaveAttribute('data-status', 'complete', { timeout: 20_000 })
    await agent.getByText('Steps').click()
    expect(await violations(page), 'an answer with its steps shown').toEqual([])

    await scriptNextAnswer(request, { user: 'alice', errorCode: 'A1001' })
    await ask(drawer, 'And the epic?')
    await expect(drawer.getByRole('alert')).toContainText('Error code: A1001')
    expect(await violations(page), 'an error with its code and Retry').toEqual([])
  })

  test('dark theme, with highlighted code', async ({ page, request }) => {
    await page.emulateMedia({ colorScheme: 'dark' })
    const drawer = await open(page, '/vue.html')
    await scriptNextAnswer(request, { user: 'alice', text: MARKDOWN, chunkSize: 200, delayMs: 10 })
    const markdown = await ask(drawer, 'Why does the button do nothing?')
    await expect(markdown).toHaveAttribute('data-status', 'complete')
    // The highlighter loads lazily once the code block is finished.
    await expect(markdown.locator('.duo-chat-hl-string').first()).toHaveText("'click'")
    expect(await violations(page), 'dark markdown with highlighted code').toEqual([])
  })

  test('queued prompts on a narrow screen', async ({ page, request }) => {
    await page.setViewportSize({ width: 360, height: 740 })
    await scriptNextAnswer(request, { user: 'alice', text: 'A slow first answer.', chunkSize: 1, delayMs: 500 })
    await page.goto('/vue.html')
    // The open drawer covers a narrow page, so the host's buttons are clicked from script.
    await page.getByRole('button', { name: 'Explain this issue' }).dispatchEvent('click')
    await page.getByRole('button', { name: 'Summarize this merge request' }).dispatchEvent('click')
    await page.getByRole('button', { name: 'Explain this issue' }).dispatchEvent('click')
    const drawer = page.getByRole('complementary', { name: 'Duo Chat' })
    await expect(drawer.getByRole('list', { name: 'Queued prompts' }).getByRole('listitem')).toHaveCount(2)
    expect(await violations(page)).toEqual([])
  })

  test('inside the shadow root of the script-tag host', async ({ page, request }) => {
    await scriptNextAnswer(request, { user: 'alice', text: 'The overlay covers **Pay now** on Safari.', chunkSize: 400, delayMs: 0 })
    const drawer = await open(page, '/')
    await expect(await ask(drawer, 'Why does the button do nothing?')).toHaveAttribute('data-status', 'complete')
    expect(await violations(page, { shadowHost: 'duo-chat-drawer' })).toEqual([])
  })
})

test('a code block that scrolls sideways can be reached and scrolled with the keyboard', async ({ page, request }) => {
  const longLine = `const line = '${'x'.repeat(300)}'`
  await scriptNextAnswer(request, { user: 'alice', text: `Here:\n\n\`\`\`ts\n${longLine}\n\`\`\``, chunkSize: 400, delayMs: 0 })
  const drawer = await open(page, '/vue.html')
  await expect(await ask(drawer, 'Show me a long line')).toHaveAttribute('data-status', 'complete')
  const pre = drawer.locator('pre')
  await pre.focus()
  await expect(pre).toBeFocused()
  await page.keyboard.press('ArrowRight')
  await expect.poll(() => pre.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0)
  expect(await violations(page)).toEqual([])
})
