import { expect, test, type Locator, type Page } from '@playwright/test'
import { ask } from './drawer'
import { resetGateway, scriptNextAnswer } from './gateway'
import { askForWideAnswer, openDrawer } from './wideAnswer'

// The finishing touches as a user meets them in Chromium: resizing by pointer, touch and keys
// (both directions), the width remembered across a reload, tables that scroll with their words
// whole, one Enter for a full slash command, and Insert code reaching the page.

const WIDE = { width: 1100, height: 800 }

test.beforeEach(async ({ request }) => {
  await resetGateway(request)
})

const widthOf = async (drawer: Locator): Promise<number> => Math.round((await drawer.boundingBox())!.width)

/** Drags the separator's middle by `dx` px with the mouse. */
async function drag(page: Page, separator: Locator, dx: number): Promise<void> {
  const box = (await separator.boundingBox())!
  const x = box.x + box.width / 2
  const y = box.y + box.height / 2
  await page.mouse.move(x, y)
  await page.mouse.down()
  // Past the handle: pointer capture keeps the moves coming.
  await page.mouse.move(x + dx / 2, y + 40, { steps: 4 })
  await page.mouse.move(x + dx, y + 80, { steps: 4 })
  await page.mouse.up()
}

test('the inner edge resizes the drawer by mouse and keys, within its bounds, and the width survives a reload', async ({ page }) => {
  const drawer = await openDrawer(page, { viewport: WIDE })
  const separator = drawer.getByRole('separator', { name: 'Resize Duo Chat' })
  await expect(separator).toHaveAttribute('aria-orientation', 'vertical')
  await expect(separator).toHaveAttribute('aria-valuemin', '320')
  await expect(separator).toHaveAttribute('aria-valuemax', '800')
  expect(await widthOf(drawer)).toBe(400)

  await drag(page, separator, -150)
  expect(await widthOf(drawer)).toBe(550)
  await expect(separator).toHaveAttribute('aria-valuenow', '550')
  await drag(page, separator, -1000)
  expect(await widthOf(drawer)).toBe(800)

  await separator.focus()
  await page.keyboard.press('ArrowRight')
  expect(await widthOf(drawer)).toBe(784)
  await page.keyboard.press('Home')
  expect(await widthOf(drawer)).toBe(320)
  await page.keyboard.press('ArrowLeft')
  await page.keyboard.press('ArrowLeft')
  await expect(separator).toHaveAttribute('aria-valuenow', '352')

  await page.reload()
  await page.evaluate(() => window.DuoChat!.focusChatInput())
  await expect(drawer).toBeVisible()
  expect(await widthOf(drawer)).toBe(352)
  await page.keyboard.press('Escape')
})

test('right to left: the inner edge is the right one, and the keys follow what the reader sees', async ({ page }) => {
  const drawer = await openDrawer(page, { viewport: WIDE, rtl: true })
  expect((await drawer.boundingBox())!.x).toBe(0)
  const separator = drawer.getByRole('separator', { name: 'Resize Duo Chat' })
  const edge = (await separator.boundingBox())!
  expect(edge.x + edge.width / 2).toBeCloseTo(400, -1)

  await drag(page, separator, 100)
  expect(await widthOf(drawer)).toBe(500)
  await separator.focus()
  await page.keyboard.press('ArrowRight')
  expect(await widthOf(drawer)).toBe(516)
  await page.keyboard.press('ArrowLeft')
  await page.keyboard.press('ArrowLeft')
  expect(await widthOf(drawer)).toBe(484)
  await page.keyboard.press('End')
  expect(await widthOf(drawer)).toBe(800)
})

test('a touch drag resizes the drawer too', async ({ page }) => {
  const drawer = await openDrawer(page, { viewport: WIDE })
  const separator = drawer.getByRole('separator', { name: 'Resize Duo Chat' })
  const box = (await separator.boundingBox())!
  const at = (x: number) => ({ pointerId: 7, pointerType: 'touch', isPrimary: true, button: 0, buttons: 1, clientX: x, clientY: box.y + 200, bubbles: true })
  const start = box.x + box.width / 2
  await separator.dispatchEvent('pointerdown', at(start))
  await separator.dispatchEvent('pointermove', at(start - 60))
  await separator.dispatchEvent('pointerup', at(start - 60))
  expect(await widthOf(drawer)).toBe(460)
  expect(await page.evaluate(() => localStorage.getItem('duo-chat-drawer:width:gid://gitlab/User/1'))).toBe('460')
})

test('on a narrow screen the drawer takes the whole width and has no handle', async ({ page }) => {
  const drawer = await openDrawer(page, { viewport: { width: 600, height: 800 }, stored: 500 })
  expect(await drawer.boundingBox()).toMatchObject({ x: 0, width: 600 })
  await expect(drawer.getByRole('separator')).toHaveCount(0)
})

test('a wide table scrolls sideways by keyboard with its words whole', async ({ page }) => {
  const drawer = await openDrawer(page, { viewport: WIDE })
  const answer = await askForWideAnswer(page, drawer)
  const region = answer.getByRole('region', { name: 'Table' })
  await region.focus()
  await expect(region).toBeFocused()
  expect(await region.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true)
  await page.keyboard.press('ArrowRight')
  await expect.poll(() => region.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0)
  // Each one-word cell stays on one line: no "Brows / er".
  const broken = await region.evaluate((el) =>
    [...el.querySelectorAll('th, td')]
      .filter((cell) => !/\s/.test(cell.textContent!.trim()))
      .filter((cell) => {
        const range = document.createRange()
        range.selectNodeContents(cell)
        return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size > 1
      })
      .map((cell) => cell.textContent),
  )
  expect(broken).toEqual([])
})

test('one Enter runs a slash command typed in full; a partial one is completed first', async ({ page, request }) => {
  const drawer = await openDrawer(page, { viewport: WIDE })
  await scriptNextAnswer(request, { user: 'alice', text: 'The overlay covers the button.', chunkSize: 40, delayMs: 5 })
  await expect(await ask(drawer, 'Why does the button do nothing?')).toHaveAttribute('data-status', 'complete')
  const prompt = drawer.getByRole('textbox', { name: 'Chat prompt' })
  await prompt.fill('/cle')
  await prompt.press('Enter')
  await expect(prompt).toHaveValue('/clear ')
  await prompt.fill('/clear')
  await prompt.press('Enter')
  await expect(drawer.getByRole('article')).toHaveCount(0)
  await expect(prompt).toHaveValue('')
})

test('Insert code hands the code and its language to the page as a duo-chat-insert-code event', async ({ page }) => {
  const drawer = await openDrawer(page, { viewport: WIDE })
  await page.evaluate(() => {
    const seen: unknown[] = ((window as unknown as { inserted: unknown[] }).inserted = [])
    document.querySelector('duo-chat-drawer')!.addEventListener('duo-chat-insert-code', (event) => seen.push((event as CustomEvent).detail))
  })
  const answer = await askForWideAnswer(page, drawer)
  await answer.getByRole('button', { name: 'Insert code' }).click()
  const inserted = await page.evaluate(() => (window as unknown as { inserted: Array<{ code: string; language: string }> }).inserted)
  expect(inserted).toHaveLength(1)
  expect(inserted[0]!.language).toBe('js')
  expect(inserted[0]!.code).toContain("document.querySelectorAll('.promo-overlay, .promo-overlay__backdrop')")
})
