import { expect, test } from '@playwright/test'
import { resetGateway, scriptNextAnswer } from './gateway'

test.beforeEach(async ({ request }) => {
  await resetGateway(request)
})

test('/gitlab.html: signed in by its session cookie, the drawer opens with Alt+D and answers over ActionCable on the same origin', async ({ page, request, context, baseURL }) => {
  await scriptNextAnswer(request, { user: 'alice', text: 'Answered inside GitLab.', chunkSize: 4, delayMs: 5 })
  const sockets: string[] = []
  const posts: { url: string; csrf: string | null }[] = []
  page.on('websocket', (socket) => sockets.push(socket.url()))
  page.on('request', (sent) => {
    if (sent.method() === 'POST') posts.push({ url: sent.url(), csrf: sent.headers()['x-csrf-token'] ?? null })
  })
  await page.goto('/gitlab.html')
  expect((await context.cookies()).find((cookie) => cookie.name === '_gitlab_session')?.value).toBe('alice-session')
  await expect(page.locator('meta[name="csrf-token"]')).toHaveAttribute('content', 'alice-csrf-token')

  await page.keyboard.press('Alt+D')
  const drawer = page.getByRole('complementary', { name: 'Duo Chat' })
  const prompt = drawer.getByRole('textbox', { name: 'Chat prompt' })
  await expect(prompt).toBeFocused()
  await prompt.fill('Hello from the issue page')
  await prompt.press('Enter')
  await expect(drawer.getByRole('article', { name: /^GitLab Duo/ }).last()).toContainText('Answered inside GitLab.')

  const origin = new URL(baseURL!).origin
  expect(sockets.filter((url) => url.endsWith('/-/cable'))).toEqual([`${origin.replace(/^http/, 'ws')}/-/cable`])
  expect(posts.length).toBeGreaterThan(0)
  for (const post of posts) expect(post).toEqual({ url: `${origin}/api/graphql`, csrf: 'alice-csrf-token' })
})

test("in this project '/' is the GitLab page, so the shared specs run over ActionCable", async ({ page }) => {
  const sockets: string[] = []
  page.on('websocket', (socket) => sockets.push(new URL(socket.url()).pathname))
  await page.goto('/')
  await expect(page.locator('duo-chat-drawer')).toHaveAttribute('transport', 'actioncable')
  await page.evaluate(() => window.DuoChat!.focusChatInput())
  await expect.poll(() => sockets).toContain('/-/cable')
  expect(sockets).not.toContain('/graphql')
})
