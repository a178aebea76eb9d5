import { existsSync } from 'node:fs'
import AxeBuilder from '@axe-core/playwright'
import { expect, test } from '@playwright/test'
import { noisePng, solidPng } from '../mocks/gateway/pngFixture'
import { TRANSCRIPTION_FIXTURES } from '../mocks/gateway/transcription'
import { ask } from './drawer'
import { resetGateway, scriptNextAnswer } from './gateway'

// Images as context end to end: the real canvas, Apollo, the extension mutation and the scripted
// model's vision (docs/guide/multimodal.md). The graphql-ws project only: GitLab's page (actioncable)
// speaks no extensions, so it offers no images.

test.beforeEach(async ({ request }) => {
  await resetGateway(request)
})

// Fake microphone and camera, allowed without a prompt: for this file only (its own browser).
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
test.use({
  launchOptions: {
    ...(existsSync(chromiumPath) ? { executablePath: chromiumPath } : {}),
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
  },
})

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

test('attach a PNG: a chip with its thumbnail, an answer that states its size, colour and description, and the image after a reload', async ({ page }) => {
  await page.goto('/')
  await page.evaluate(() => window.DuoChat!.focusChatInput())
  const drawer = page.getByRole('complementary', { name: 'Duo Chat' })
  await expect(drawer.getByRole('button', { name: 'Attach image' })).toBeVisible()
  await drawer.locator('input[data-image-input]').setInputFiles({
    name: 'login-form.png',
    mimeType: 'image/png',
    buffer: solidPng(300, 200, [220, 30, 30], 'A login form with a red error banner'),
  })
  const chips = drawer.getByRole('list', { name: 'Attached context' })
  await expect(chips.getByRole('img', { name: /login-form\.png/ })).toBeVisible()

  // The demo's page holds the drawer in a shadow root (the script-tag host).
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG).include({ fromShadowDom: ['duo-chat-drawer', 'aside.duo-chat-drawer'] }).analyze()
  expect(violations.map((violation) => violation.id)).toEqual([])

  const answer = await ask(drawer, 'What is in this image?')
  await expect(answer).toHaveAttribute('data-status', 'complete', { timeout: 20_000 })
  await expect(answer).toContainText('300×200')
  await expect(answer).toContainText('mostly red')
  await expect(answer).toContainText('A login form with a red error banner')
  // The chip went with the question: it shows on the sent message and no longer beside the prompt.
  await expect(drawer.getByRole('article', { name: /^You/ }).getByRole('img', { name: /login-form\.png/ })).toBeVisible()
  await expect(chips.getByRole('img')).toHaveCount(0)

  await page.reload()
  await page.evaluate(() => window.DuoChat!.focusChatInput())
  const reloaded = drawer.getByRole('article', { name: /^You/ }).getByRole('img', { name: /login-form\.png/ })
  await expect(reloaded).toBeVisible()
  expect(await reloaded.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(300)
})

test('an SVG is refused with a clear message, even named .png', async ({ page }) => {
  await page.goto('/')
  await page.evaluate(() => window.DuoChat!.focusChatInput())
  const drawer = page.getByRole('complementary', { name: 'Duo Chat' })
  await drawer.locator('input[data-image-input]').setInputFiles({
    name: 'logo.png',
    mimeType: 'image/png',
    buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>'),
  })
  await expect(drawer.getByRole('alert')).toHaveText('logo.png is not a PNG, JPEG, WebP or GIF image, so it cannot be attached.')
  await expect(drawer.getByRole('list', { name: 'Attached context' }).getByRole('img')).toHaveCount(0)
})

test('a large image is scaled down to 1568 px on its longest side before it is sent', async ({ page }) => {
  await page.goto('/')
  await page.evaluate(() => window.DuoChat!.focusChatInput())
  const drawer = page.getByRole('complementary', { name: 'Duo Chat' })
  await drawer.locator('input[data-image-input]').setInputFiles({ name: 'wide.png', mimeType: 'image/png', buffer: solidPng(3136, 400, [30, 70, 220]) })
  await expect(drawer.getByRole('list', { name: 'Attached context' }).getByRole('img', { name: /wide\.png/ })).toBeVisible()
  const answer = await ask(drawer, 'Describe the image')
  await expect(answer).toHaveAttribute('data-status', 'complete', { timeout: 20_000 })
  await expect(answer).toContainText('1568×200')
  await expect(answer).toContainText('mostly blue')
})

test('Read aloud speaks an answer through speechSynthesis without its code, and Stop reading stops it', async ({ page, request }) => {
  await scriptNextAnswer(request, { user: 'alice', text: 'Remove the **overlay**:\n\n```js\ndocument.querySelector(".promo")?.remove()\n```\n\nThen reload the page.' })
  // Headless Chromium has no voices: the page's speechSynthesis is replaced by one that records
  // what it was asked to say and speaks until cancelled.
  await page.addInitScript(() => {
    const spoken: string[] = []
    let current: SpeechSynthesisUtterance | null = null
    Object.assign(window, { spokenTexts: spoken })
    window.speechSynthesis.speak = (utterance: SpeechSynthesisUtterance) => {
      spoken.push(utterance.text)
      current = utterance
    }
    window.speechSynthesis.cancel = () => {
      const ending = current
      current = null
      ending?.onend?.(new Event('end') as SpeechSynthesisEvent)
    }
  })
  await page.goto('/')
  await page.evaluate(() => window.DuoChat!.focusChatInput())
  const drawer = page.getByRole('complementary', { name: 'Duo Chat' })
  const answer = await ask(drawer, 'How do I remove the promo overlay?')
  await expect(answer).toHaveAttribute('data-status', 'complete', { timeout: 20_000 })
  await answer.getByRole('button', { name: 'Read aloud' }).click()
  await expect(answer.getByRole('button', { name: 'Stop reading' })).toBeFocused()
  const spoken = await page.evaluate(() => (window as unknown as { spokenTexts: string[] }).spokenTexts)
  expect(spoken).toEqual(['Remove the overlay:\nCode block skipped.\nThen reload the page.'])
  await answer.getByRole('button', { name: 'Stop reading' }).press('Enter')
  await expect(answer.getByRole('button', { name: 'Read aloud' })).toBeVisible()
})

test('Voice input without browser recognition: the fake microphone records, the gateway transcribes a fixture clip into the box, nothing is sent', async ({ page }) => {
  // No SpeechRecognition (it would need Google's servers), and a MediaRecorder whose recording is a
  // fixture clip: the real getUserMedia (fake device), extension mutation and gateway do the rest.
  const clip = [...TRANSCRIPTION_FIXTURES[0]!.clip()]
  await page.addInitScript((bytes: number[]) => {
    const w = window as unknown as Record<string, unknown>
    for (const name of ['SpeechRecognition', 'webkitSpeechRecognition']) Object.defineProperty(window, name, { value: undefined, configurable: true })
    class FixtureRecorder {
      state = 'inactive'
      mimeType = 'audio/wav'
      ondataavailable: ((event: { data: Blob }) => void) | null = null
      onstop: (() => void) | null = null
      constructor(readonly stream: MediaStream) {}
      start() {
        this.state = 'recording'
      }
      stop() {
        this.state = 'inactive'
        this.ondataavailable?.({ data: new Blob([new Uint8Array(bytes)], { type: 'audio/wav' }) })
        this.onstop?.()
      }
    }
    w.MediaRecorder = FixtureRecorder
  }, clip)
  await page.goto('/')
  await page.evaluate(() => window.DuoChat!.focusChatInput())
  const drawer = page.getByRole('complementary', { name: 'Duo Chat' })
  const prompt = drawer.getByRole('textbox', { name: 'Chat prompt' })
  await prompt.fill('Quick one:')
  const voice = drawer.getByRole('button', { name: 'Voice input' })
  await expect(voice).toHaveAttribute('aria-pressed', 'false')
  await voice.click()
  await expect(voice).toHaveAttribute('aria-pressed', 'true')
  await voice.press('Enter')
  await expect(drawer.getByRole('alert')).toHaveCount(0)
  await expect(prompt).toHaveValue(`Quick one: ${TRANSCRIPTION_FIXTURES[0]!.text}`)
  await expect(voice).toHaveAttribute('aria-pressed', 'false')
  await expect(drawer.getByRole('article')).toHaveCount(0)
})

test('two large images for one question: the second is refused before anything is sent, naming it', async ({ page }) => {
  await page.goto('/')
  await page.evaluate(() => window.DuoChat!.focusChatInput())
  const drawer = page.getByRole('complementary', { name: 'Duo Chat' })
  await drawer.locator('input[data-image-input]').setInputFiles([
    { name: 'one.png', mimeType: 'image/png', buffer: noisePng(440, 440, 1) },
    { name: 'two.png', mimeType: 'image/png', buffer: noisePng(440, 440, 2) },
  ])
  await expect(drawer.getByRole('alert')).toHaveText("two.png would take this question's images over 684 KB together. Send it with a question of its own, or remove an image.")
  await expect(drawer.getByRole('list', { name: 'Attached context' }).getByRole('img')).toHaveCount(1)
  const answer = await ask(drawer, 'What is in this image?')
  await expect(answer).toHaveAttribute('data-status', 'complete', { timeout: 20_000 })
  await expect(answer).toContainText('440×440')
})

test('Share screen: one frame of the fake screen becomes an image chip with a thumbnail, and the answer states its size', async ({ page }) => {
  // getDisplayMedia needs no picker here: --use-fake-ui-for-media-stream accepts the request and
  // --use-fake-device-for-media-stream supplies a fake screen (checked with Debian's Chromium 156).
  // The real getDisplayMedia runs; the page only keeps its streams, to check that the capture stopped.
  await page.addInitScript(() => {
    const streams: MediaStream[] = []
    Object.assign(window, { displayStreams: streams })
    const getDisplayMedia = navigator.mediaDevices.getDisplayMedia.bind(navigator.mediaDevices)
    navigator.mediaDevices.getDisplayMedia = async (constraints) => {
      const stream = await getDisplayMedia(constraints)
      streams.push(stream)
      return stream
    }
  })
  await page.goto('/')
  await page.evaluate(() => window.DuoChat!.focusChatInput())
  const drawer = page.getByRole('complementary', { name: 'Duo Chat' })
  await drawer.getByRole('button', { name: 'Share screen' }).click()
  const thumbnail = drawer.getByRole('list', { name: 'Attached context' }).getByRole('img', { name: /Screenshot\.png/ })
  await expect(thumbnail).toBeVisible()
  await expect(drawer.getByRole('alert')).toHaveCount(0)
  // The thumbnail shows the bytes that go to the gateway; their size is what the model must state.
  await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0)
  const { width, height } = await thumbnail.evaluate((img: HTMLImageElement) => ({ width: img.naturalWidth, height: img.naturalHeight }))
  expect(Math.max(width, height)).toBeLessThanOrEqual(1568)
  // The capture is over once the frame is taken: no track of the screen is left running.
  const tracks = await page.evaluate(() =>
    (window as unknown as { displayStreams: MediaStream[] }).displayStreams.flatMap((stream) => stream.getTracks().map((track) => track.readyState)),
  )
  expect(tracks).toEqual(['ended'])
  const answer = await ask(drawer, 'What is on my screen?')
  await expect(answer).toHaveAttribute('data-status', 'complete', { timeout: 20_000 })
  await expect(answer).toContainText(`${width}×${height}`)
  await expect(answer).toContainText('Screenshot.png')
  await expect(drawer.getByRole('article', { name: /^You/ }).getByRole('img', { name: /Screenshot\.png/ })).toBeVisible()
})
